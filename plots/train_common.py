"""Shared pieces of the training plots (Figures 2-5): reading xorscape-train and
xorscape-converge files, the paper's parameter labels, and the output convention
(every Python figure is written as PNG and PDF)."""
import argparse
import os

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402,F401
import numpy as np  # noqa: E402,F401


def tex(name):
    """'w1_12' -> $w^{(1)}_{12}$, 'b2_1' -> $b^{(2)}_{1}$ (the paper's notation)."""
    kind, index = name.split("_")
    return rf"${kind[0]}^{{({kind[1]})}}_{{{index}}}$"


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def parameter_names(f):
    return [text(s) for s in f["parameter_names"][()]]


def runs(f):
    """Names of the recorded traces, in run order."""
    return sorted(f["traces"].keys()) if "traces" in f else []


def case_labels(f):
    name = text(f.attrs.get("dataset", "xor"))
    if name == "xor":
        return ["(0,0)", "(0,1)", "(1,0)", "(1,1)"]
    return ["(-1,-1)", "(-1,+1)", "(+1,-1)", "(+1,+1)"]


def arguments(description, many_files=False):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("files", nargs="+" if many_files else 1, help="HDF5 file(s) written by the tool")
    parser.add_argument("-o", "--output", required=True, help="output name without extension (.png and .pdf)")
    parser.add_argument("--run", type=int, default=0, help="which run's trace (index)")
    args = parser.parse_args()
    for path in args.files:
        if not os.path.exists(path):
            parser.error(f"{path} does not exist")
    return args


def save(fig, output):
    fig.savefig(output + ".png", dpi=150, bbox_inches="tight")
    fig.savefig(output + ".pdf", bbox_inches="tight")
    print(f"wrote {output}.png and {output}.pdf")
