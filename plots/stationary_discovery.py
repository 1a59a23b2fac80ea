#!/usr/bin/python3
"""Discovery curve of one or more xorscape-stationary files: distinct equivalence classes found
against the number of trials (starts). A curve that has levelled off is the evidence that the
census is complete for the method used.

Usage: /usr/bin/python3 plots/stationary_discovery.py OUT_PREFIX FILE.h5 [FILE.h5 ...]
"""
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def label_of(f):
    p = f["problem"].attrs
    return (f"{p['hidden_activation']}/{p['output_activation']}, {p['data']}, {p['reduction']}, "
            f"{p['dimension']} parameters, $\\mu$={p['mu']:g}")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    prefix, paths = sys.argv[1], sys.argv[2:]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for path in paths:
        with h5py.File(path, "r") as f:
            trials = f["discovery/trials"][()]
            found = f["discovery/classes_found"][()]
            ax.step(trials, found, where="post", label=f"{label_of(f)}: {found[-1]} classes")
    ax.axhline(61, color="0.4", linestyle=":", linewidth=1)
    ax.text(1, 61, " paper: 61 classes", va="bottom", fontsize=8, color="0.3")
    ax.set_xscale("log")
    ax.set_xlabel("trials (random starts on the sphere of radius $\\sqrt{2n}$)")
    ax.set_ylabel("distinct equivalence classes found")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    for ext in ("png", "pdf"):
        fig.savefig(f"{prefix}.{ext}", dpi=150)
    return 0


if __name__ == "__main__":
    sys.exit(main())
