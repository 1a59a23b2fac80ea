"""What only the landscape plots share (everything else is in xorscape_plot): the plateau colour
map and the drawing of one plane of a slice file.

The colour map follows the paper's Figure 6: dark blue at L = 0, turquoise at 0.25, yellow
at 0.5, red at 0.75 and dark red at 1, so the plateaus of k wrong cases out of four
(L = k/4) are told apart at a glance; slopes between them take the intermediate colours.
The gnuplot scripts (slice_*.gp, fig6_trajectories.gp) define the same palette.
"""
import matplotlib.colors as mcolors
import numpy as np

import xorscape_plot as xp

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
PLATEAU_TICKS = [0, 0.25, 0.5, 0.75, 1]


def plane_names(f):
    """The planes of a slice file in the order they were asked for (plane_order), else as stored."""
    order = xp.attribute(f, "plane_order")
    return list(order) if order else list(f["planes"].keys())


def plane(f, name):
    """(x, y, group) of a plane; name 'A,B'."""
    if name not in f["planes"]:
        raise SystemExit(f"plane {name} is not in {f.filename} (it has {', '.join(f['planes'])})")
    g = f["planes"][name]
    return g["x"][()], g["y"][()], g


def draw(ax, x, y, z, vmax=1.0, max_points=1200):
    """The loss image with axes in offsets from the center; returns the image for a colour bar.
    Grids finer than max_points per axis are thinned for drawing (keeps PDFs small)."""
    step = max(1, -(-max(len(x), len(y)) // max_points))
    return ax.imshow(np.asarray(z[::step, ::step]), origin="lower", extent=[x[0], x[-1], y[0], y[-1]],
                     cmap=LOSS_CMAP, vmin=0.0, vmax=vmax, aspect="auto", interpolation="nearest")


def label(ax, g, small=False):
    """Axis labels of a plane group: the offsets of its two parameters in the paper's notation."""
    size = 7 if small else None
    ax.set_xlabel(xp.tex(xp.attribute(g, "x_parameter"), delta=True), fontsize=size)
    ax.set_ylabel(xp.tex(xp.attribute(g, "y_parameter"), delta=True), fontsize=size)
