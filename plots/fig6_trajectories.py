#!/usr/bin/python3
"""Figure 6 of the dissecting paper: loss-landscape slices with gradient trajectories.

Reads a slice file (docs/xorscape-slice.md) whose planes carry trajectories added by
xorscape-trajectory --into (or a trajectory file of its own, drawn without the loss), and draws
one panel per plane: the loss in the plateau colours of slice_common (0 / 0.25 / 0.5 / 0.75 / 1:
dark blue, turquoise, yellow, red, dark red, as in the paper), gradient-descent paths as solid
lines, gradient-flow paths as dashed lines, red dots at the starts, and a marker at each end
(star: converged, cross: trapped, square: budget spent).

Usage: /usr/bin/python3 plots/fig6_trajectories.py SLICE.h5 -o PREFIX [--planes "A,B;C,D;..."]
Writes PREFIX.png and PREFIX.pdf. Default planes: the six of our Fig. 6 (the three the paper
names and three of our choice) that are in the file, else every plane in it.
"""
import sys

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D

import slice_common as sc
import xorscape_plot as xp

# (a)-(c) are the planes the paper names; (d)-(f) are not named in its text and are our choice:
# (d) shows the triangular near-zero region and a 0.75 rim the paper describes for its 6(d).
FIG6_PLANES = ["b1_1,b2_1", "w2_12,b1_2", "w1_22,b1_1", "w2_11,w2_12", "w1_11,w1_12", "b1_1,b1_2"]


def draw_trajectories(ax, plane):
    group = plane["trajectories"]
    for key in sorted(group, key=lambda k: int(k) if k.isdigit() else 0):
        t = group[key]
        if "x" not in t:
            continue
        tx, ty = t["x"][()], t["y"][()]
        flow = xp.attribute(t, "integrator", "gd") == "flow"
        ax.plot(tx, ty, color="white" if flow else "black", lw=1.3 if flow else 3.0,
                ls=(0, (3, 2)) if flow else "-", zorder=3)
        marker = {"converged": "*", "trapped": "X"}.get(xp.attribute(t, "outcome", ""), "s")
        ax.plot(tx[-1], ty[-1], marker=marker, ms=9, mfc="white" if flow else "black", mec="k", zorder=5)
        ax.plot(tx[0], ty[0], "o", color="red", mec="darkred", ms=6, zorder=6)


def draw_plane(ax, plane, label):
    x_name, y_name = xp.attribute(plane, "x_parameter"), xp.attribute(plane, "y_parameter")
    image = None
    if "loss" in plane:
        x, y, loss = plane["x"][()], plane["y"][()], plane["loss"][()]
        image = ax.pcolormesh(x, y, loss, cmap=sc.LOSS_CMAP, vmin=0.0, vmax=1.0, shading="auto", rasterized=True)
        ax.contour(x, y, loss, levels=[0.125, 0.375, 0.625, 0.875], colors="k", linewidths=0.3, alpha=0.5)
        ax.set_xlim(x[0], x[-1])
        ax.set_ylim(y[0], y[-1])
    if "trajectories" in plane:
        draw_trajectories(ax, plane)
    ax.set_xlabel(f"{xp.tex(x_name, delta=True)}  ({x_name})")
    ax.set_ylabel(f"{xp.tex(y_name, delta=True)}  ({y_name})")
    ax.set_title(f"({label})  {x_name}, {y_name}", fontsize=10)
    ax.set_aspect("equal", adjustable="box")
    return image


def legend(fig):
    handles = [Line2D([], [], color="black", lw=3.0, label="gradient descent (epochs)"),
               Line2D([], [], color="white", lw=1.3, ls=(0, (3, 2)), label="gradient flow"),
               Line2D([], [], ls="", marker="o", color="red", mec="darkred", label="start"),
               Line2D([], [], ls="", marker="*", color="grey", mec="k", ms=9, label="converged"),
               Line2D([], [], ls="", marker="X", color="grey", mec="k", ms=8, label="trapped"),
               Line2D([], [], ls="", marker="s", color="grey", mec="k", ms=7, label="budget spent")]
    box = fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=6, fontsize=8, frameon=True)
    box.get_frame().set_facecolor("#bbbbbb")


def main():
    args = xp.arguments(__doc__, file_help="slice file with trajectories (xorscape-trajectory --into)",
                        configure=lambda p: p.add_argument(
                            "--planes", default="", help='"A,B;C,D;..." (default: the six of Fig. 6 in the file)'))
    with xp.h5py.File(args.files[0], "r") as f:
        if "planes" not in f:
            print(f"fig6_trajectories.py: {args.files[0]} has no /planes", file=sys.stderr)
            return 2
        present = list(f["planes"])
        if args.planes:
            names = [p for p in args.planes.split(";") if p]
            missing = [p for p in names if p not in present]
            if missing:
                print(f"fig6_trajectories.py: --planes: not in the file: {' '.join(missing)}", file=sys.stderr)
                return 2
        else:
            names = [p for p in FIG6_PLANES if p in present] or present
        columns = min(3, len(names))
        rows = (len(names) + columns - 1) // columns
        fig, axes = plt.subplots(rows, columns, figsize=(4.6 * columns, 4.3 * rows), squeeze=False,
                                 constrained_layout=True)
        image = None
        for index, name in enumerate(names):
            drawn = draw_plane(axes.flat[index], f["planes"][name], "abcdefghijklmnopqrstuvwxyz"[index % 26])
            image = image or drawn
        for ax in axes.flat[len(names):]:
            ax.axis("off")
        if image is not None:
            fig.colorbar(image, ax=axes, shrink=0.8, ticks=sc.PLATEAU_TICKS, label="loss L")
        legend(fig)
        source = xp.attribute(f, "center_source", "the center")
        note = xp.attribute(f, "center_note", "")
        fig.suptitle(f"Loss-landscape slices around {source} with steepest-descent paths" + (f"\n{note}" if note else ""),
                     fontsize=11)
        xp.save(fig, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
