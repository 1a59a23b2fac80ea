#!/usr/bin/python3
"""Exit 0 when two HDF5 files hold the same numbers: every dataset and numeric attribute of
the first (timing and provenance attributes left out, as in digest.py) is in the second with
the same shape and bit-identical values. Prints the differences otherwise.
Usage: same_numbers.py A.h5 B.h5"""
import os
import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from digest import walk  # noqa: E402


def entries(path):
    lines = []
    with h5py.File(path, "r") as f:
        walk("", f, lines)
    return {key: (shape, digest) for _, key, shape, digest in lines}


def main():
    a, b = entries(sys.argv[1]), entries(sys.argv[2])
    bad = [k for k in sorted(a) if b.get(k) != a[k]]
    for key in bad:
        print(f"differs: {key} {a[key]} -> {b.get(key, 'missing')}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
