"""Shared pieces of the slice plots: reading xorscape-slice files and the plateau colour map.

The colour map follows the paper's Figure 6: dark blue at L = 0, turquoise at 0.25, yellow
at 0.5, red at 0.75 and dark red at 1, so the plateaus of k wrong cases out of four
(L = k/4) are told apart at a glance; slopes between them take the intermediate colours.
"""
import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import numpy as np  # noqa: E402

PLATEAU_COLOURS = [
    (0.00, "#08306b"),
    (0.125, "#2171b5"),
    (0.25, "#40e0d0"),
    (0.375, "#b8e986"),
    (0.50, "#ffd700"),
    (0.625, "#ff9a1f"),
    (0.75, "#d62728"),
    (1.00, "#4a0010"),
]
LOSS_CMAP = mcolors.LinearSegmentedColormap.from_list("xorscape_plateaus", PLATEAU_COLOURS)
LOSS_CMAP.set_over("#1a0006")


def pretty(name):
    """'w1_12' -> TeX label w^{(1)}_{12} as in the paper."""
    kind, index = name.split("_")
    return rf"$\Delta {kind[0]}^{{({kind[1]})}}_{{{index}}}$"


def planes(f):
    return list(f["planes"].keys())


def plane(f, name):
    """(x, y, group) of a plane; name 'A,B'."""
    if name not in f["planes"]:
        raise SystemExit(f"plane {name} is not in {f.filename} (it has {', '.join(planes(f))})")
    g = f["planes"][name]
    return g["x"][()], g["y"][()], g


def draw(ax, x, y, z, vmax=1.0, max_points=1200):
    """The loss image with axes in offsets from the center; returns the image for a colour bar.
    Grids finer than max_points per axis are thinned for drawing (keeps PDFs small)."""
    step = max(1, -(-max(len(x), len(y)) // max_points))
    return ax.imshow(np.asarray(z[::step, ::step]), origin="lower", extent=[x[0], x[-1], y[0], y[-1]],
                     cmap=LOSS_CMAP, vmin=0.0, vmax=vmax, aspect="auto", interpolation="nearest")


def label(ax, g, small=False):
    size = 7 if small else None
    ax.set_xlabel(pretty(g.attrs["x_parameter"]), fontsize=size)
    ax.set_ylabel(pretty(g.attrs["y_parameter"]), fontsize=size)


def save(fig, prefix):
    fig.savefig(prefix + ".png", dpi=150)
    fig.savefig(prefix + ".pdf")
    print(f"wrote {prefix}.png and {prefix}.pdf")


def attr_text(f, key, default=""):
    v = f.attrs.get(key, default)
    return v.decode() if isinstance(v, bytes) else str(v)
