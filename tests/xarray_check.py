#!/usr/bin/python3
"""Opens every group of every given HDF5 file with xarray's h5netcdf engine, as a user of
xarray would (xr.open_dataset(path, engine="h5netcdf", group=G)). That works only when every
axis of every dataset has a dimension scale in its group or an ancestor group.
Usage: xarray_check.py FILE.h5 [...]   (exit 1 and one line per group that fails)"""
import sys
import warnings

import h5py
import xarray as xr


def groups(path):
    names = ["/"]
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: names.append("/" + name) if isinstance(obj, h5py.Group) else None)
    return names


def main():
    failures = 0
    opened = 0
    for path in sys.argv[1:]:
        for group in groups(path):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    with xr.open_dataset(path, engine="h5netcdf", group=group) as ds:
                        ds.load()
                opened += 1
            except Exception as e:  # noqa: BLE001 - report every failure, keep going
                failures += 1
                print(f"FAIL: {path} group {group}: {type(e).__name__}: {str(e).splitlines()[0]}")
    print(f"xarray_check: {opened} groups opened, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
