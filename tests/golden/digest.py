#!/usr/bin/python3
"""Digest of the numeric content of every HDF5 file (and text export) in a folder.

One line per dataset and per numeric attribute: FILE<TAB>PATH<TAB>SHAPE<TAB>SHA-256. Values are
hashed as little-endian float64 (floating types) or int64 (integer types), so a change of
storage type alone does not change the digest; strings are hashed as UTF-8. Attributes that
record time, machine or provenance (wall_seconds, rates, created_utc, ...) are left out.
Usage: digest.py FOLDER > DIGEST
"""
import hashlib
import os
import re
import sys

import h5py
import numpy as np

SKIP_ATTRIBUTES = re.compile(
    r"^(created_utc|git_commit|version|command_line|threads|option:threads|option:output|option:resume|option:force|"
    r"option:checkpoint-every|wall_seconds|exchange_seconds|ranks|"
    r"steps_per_second|evaluations_per_second|end_to_end_.*|.*_rate_.*|.*rate_1_thread|units|"
    r"DIMENSION_LIST|REFERENCE_LIST|CLASS|NAME|DIMENSION_LABELS|_Netcdf4.*|simd_level|code_path)$")


def value_digest(value):
    array = np.asarray(value)
    if array.dtype.kind == "f":
        data = array.astype("<f8").tobytes()
    elif array.dtype.kind in "iub":
        data = array.astype("<i8").tobytes()
    elif array.dtype.kind in "SOU":
        flat = [v.decode() if isinstance(v, bytes) else str(v) for v in array.reshape(-1)]
        data = "\x1f".join(flat).encode()
    else:
        return None
    return hashlib.sha256(data).hexdigest()[:32]


def walk(name, handle, lines):
    for key, value in handle.attrs.items():
        if SKIP_ATTRIBUTES.match(key):
            continue
        array = np.asarray(value)
        if array.dtype.kind not in "fiub":  # numeric attributes only: strings are descriptions
            continue
        digest = value_digest(array)
        lines.append((name, handle.name + "@" + key, "x".join(map(str, array.shape)) or "scalar", digest))
    if isinstance(handle, h5py.Dataset):
        digest = value_digest(handle[()])
        if digest is not None:
            lines.append((name, handle.name, "x".join(map(str, handle.shape)) or "scalar", digest))
        return
    for key in handle:
        walk(name, handle[key], lines)


def main():
    folder = sys.argv[1]
    lines = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".h5"):
            with h5py.File(path, "r") as f:
                walk(name, f, lines)
        elif name.startswith("export_") and name.endswith(".txt"):
            with open(path, "rb") as f:
                lines.append((name, "/", "text", hashlib.sha256(f.read()).hexdigest()[:32]))
    for line in sorted(lines):
        print("\t".join(line))


if __name__ == "__main__":
    main()
