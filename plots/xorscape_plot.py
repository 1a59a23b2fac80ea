"""The one module every xorscape plot script uses: reading files, the paper's labels, the
command-line convention and saving figures.

Convention for every script in plots/:
    /usr/bin/python3 plots/SCRIPT.py FILE [FILE ...] -o PREFIX [options]
writes PREFIX.png and PREFIX.pdf (a script that draws several figures writes PREFIX_NAME.png and
PREFIX_NAME.pdf for each). Run with /usr/bin/python3 (Debian's python3-h5py, -numpy, -matplotlib).
"""
import argparse
import os
import shlex

import h5py  # noqa: F401  (re-exported for the scripts)
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402,F401


def text(value):
    """An HDF5 string (bytes or str) as str; other values through str()."""
    return value.decode() if isinstance(value, bytes) else str(value)


def attribute(handle, name, default=None):
    """A file, group or dataset attribute, strings decoded."""
    value = handle.attrs.get(name, default)
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray) and value.dtype.kind in "OS":
        return [text(v) for v in value]
    return value


def parameter_names(f):
    """The file's parameter names (the /parameter_names scale every tool writes)."""
    return [text(s) for s in f["parameter_names"][()]]


def tex(name, delta=False):
    """'w1_12' -> $w^{(1)}_{12}$ (the paper's notation); delta=True gives $\\Delta w^{(1)}_{12}$.
    Names that do not follow the paper's pattern (the two-ReLU model's w0_1, b0) are set as given."""
    kind, _, index = name.partition("_")
    prefix = r"\Delta " if delta else ""
    if len(kind) == 2 and kind[0] in "wb" and kind[1].isdigit() and index:
        return rf"${prefix}{kind[0]}^{{({kind[1]})}}_{{{index}}}$"
    escaped = name.replace("_", r"\_")
    return rf"${prefix}\mathrm{{{escaped}}}$"


def case_labels(data):
    """Labels of the four cases of a dataset name, in table order."""
    if data == "xor":
        return ["(0,0)", "(0,1)", "(1,0)", "(1,1)"]
    return ["(-1,-1)", "(-1,+1)", "(+1,-1)", "(+1,+1)"]


def arguments(description, files="one", file_help="HDF5 file written by an xorscape tool", configure=None):
    """The shared command line: positional FILE (files="one") or FILE... (files="many"), and
    -o/--output PREFIX. configure(parser) adds a script's own options. Missing files are an error."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("files", nargs=1 if files == "one" else "+", metavar="FILE", help=file_help)
    parser.add_argument("-o", "--output", required=True, metavar="PREFIX",
                        help="output name without extension (PREFIX.png and PREFIX.pdf)")
    if configure:
        configure(parser)
    args = parser.parse_args()
    for path in args.files:
        if not os.path.exists(path):
            parser.error(f"{path} does not exist")
    folder = os.path.dirname(args.output)
    if folder:
        os.makedirs(folder, exist_ok=True)
    return args


def save(fig, output, name=None):
    """Writes OUTPUT.png (150 dpi) and OUTPUT.pdf, or OUTPUT_NAME.* when name is given; closes fig."""
    prefix = f"{output}_{name}" if name else output
    for extension in ("png", "pdf"):
        fig.savefig(f"{prefix}.{extension}", dpi=150, bbox_inches="tight")
    plt.close(fig)
    print(f"wrote {prefix}.png and {prefix}.pdf")
    return prefix


def display_command(command_line, relative_to=None):
    """A tool's recorded command line as a reader would type it: the program without its folder
    (xorscape-slice, not /home/.../build/xorscape-slice) and file paths relative to relative_to."""
    try:
        words = shlex.split(command_line)
    except ValueError:
        return command_line
    if not words:
        return command_line
    words[0] = os.path.basename(words[0])
    if relative_to:
        base = os.path.abspath(relative_to)
        for i, word in enumerate(words[1:], start=1):
            prefix, sep, rest = word.partition(":") if word.startswith("/") and ".h5:" in word else (word, "", "")
            if prefix.startswith("/") and os.path.commonpath([base, os.path.abspath(prefix)]) == base:
                words[i] = os.path.relpath(prefix, base) + sep + rest
    return " ".join(shlex.quote(w) for w in words)
