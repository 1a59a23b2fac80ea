#!/usr/bin/python3
"""Figure 6 of the dissecting paper: loss-landscape slices with gradient trajectories.

Reads a slice file (notes/SLICEFILE.md layout) whose planes carry trajectories added by
xorscape-trajectory --into, and draws one panel per plane: the loss as a colour map whose
plateau levels 0 / 0.25 / 0.5 / 0.75 / 1 are distinct colours (dark blue, turquoise, yellow,
red, dark red, as in the paper), gradient-descent paths as solid lines, gradient-flow paths
as dashed lines, red dots at the starts, and a marker at each end (star: converged, cross:
trapped, square: budget spent).

Usage: /usr/bin/python3 plots/fig6_trajectories.py SLICE.h5 OUT_PREFIX [--planes "A,B;C,D;..."]
Writes OUT_PREFIX.png and OUT_PREFIX.pdf. Default planes: the six of our Fig. 6 (the three
the paper names and three of our choice) that are in the file, else every plane in it.
"""
import argparse
import re
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

# (a)-(c) are the planes the paper names; (d)-(f) are not named in its text and are our choice:
# (d) shows the triangular near-zero region and a 0.75 rim the paper describes for its 6(d).
FIG6_PLANES = ["b1_1,b2_1", "w2_12,b1_2", "w1_22,b1_1", "w2_11,w2_12", "w1_11,w1_12", "b1_1,b1_2"]

# Plateau levels as distinct colours; the narrow bands between them carry the steep slopes.
LOSS_COLOURS = LinearSegmentedColormap.from_list(
    "xor_loss_levels",
    [(0.00, "#08306b"), (0.08, "#2171b5"), (0.17, "#41b6c4"), (0.25, "#40e0d0"), (0.33, "#a1dab4"),
     (0.42, "#e8f08a"), (0.50, "#ffe600"), (0.58, "#fdae61"), (0.75, "#d7191c"), (1.00, "#67000d")])


def tex_name(name):
    """Library name -> the paper's notation: w1_22 -> w^{(1)}_{22}, b2_1 -> b^{(2)}_{1}."""
    m = re.fullmatch(r"([wb])([12])_(\d+)", name)
    return rf"{m.group(1)}^{{({m.group(2)})}}_{{{m.group(3)}}}" if m else name


def draw_plane(ax, plane, label):
    x_name, y_name = plane.attrs["x_parameter"], plane.attrs["y_parameter"]
    if "loss" in plane:
        x, y, loss = plane["x"][()], plane["y"][()], plane["loss"][()]
        image = ax.pcolormesh(x, y, loss, cmap=LOSS_COLOURS, vmin=0.0, vmax=1.0, shading="auto", rasterized=True)
        ax.contour(x, y, loss, levels=[0.125, 0.375, 0.625, 0.875], colors="k", linewidths=0.3, alpha=0.5)
        ax.set_xlim(x[0], x[-1])
        ax.set_ylim(y[0], y[-1])
    else:
        image = None
    if "trajectories" in plane:
        group = plane["trajectories"]
        for key in sorted(group, key=lambda k: int(k) if k.isdigit() else 0):
            t = group[key]
            if "x" not in t:
                continue
            tx, ty = t["x"][()], t["y"][()]
            flow = t.attrs.get("integrator", "gd") == "flow"
            ax.plot(tx, ty, color="white" if flow else "black", lw=1.3 if flow else 3.0,
                    ls=(0, (3, 2)) if flow else "-", zorder=3)
            outcome = t.attrs.get("outcome", "")
            marker = {"converged": "*", "trapped": "X"}.get(outcome, "s")
            ax.plot(tx[-1], ty[-1], marker=marker, ms=9, mfc="white" if flow else "black", mec="k", zorder=5)
            ax.plot(tx[0], ty[0], "o", color="red", mec="darkred", ms=6, zorder=6)
    ax.set_xlabel(rf"$\Delta {tex_name(x_name)}$  ({x_name})")
    ax.set_ylabel(rf"$\Delta {tex_name(y_name)}$  ({y_name})")
    ax.set_title(f"({label})  {x_name}, {y_name}", fontsize=10)
    ax.set_aspect("equal", adjustable="box")
    return image


def main():
    parser = argparse.ArgumentParser(description="Figure 6: slices with trajectories")
    parser.add_argument("slice_file")
    parser.add_argument("out_prefix")
    parser.add_argument("--planes", default="", help='"A,B;C,D;..." (default: the six of Fig. 6 in the file)')
    args = parser.parse_args()
    with h5py.File(args.slice_file, "r") as f:
        if "planes" not in f:
            print(f"fig6_trajectories.py: {args.slice_file} has no /planes", file=sys.stderr)
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
            bar = fig.colorbar(image, ax=axes, shrink=0.8, ticks=[0, 0.25, 0.5, 0.75, 1.0])
            bar.set_label("loss L")
        handles = [Line2D([], [], color="black", lw=3.0, label="gradient descent (epochs)"),
                   Line2D([], [], color="white", lw=1.3, ls=(0, (3, 2)), label="gradient flow"),
                   Line2D([], [], ls="", marker="o", color="red", mec="darkred", label="start"),
                   Line2D([], [], ls="", marker="*", color="grey", mec="k", ms=9, label="converged"),
                   Line2D([], [], ls="", marker="X", color="grey", mec="k", ms=8, label="trapped"),
                   Line2D([], [], ls="", marker="s", color="grey", mec="k", ms=7, label="budget spent")]
        legend = fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=6, fontsize=8, frameon=True)
        legend.get_frame().set_facecolor("#bbbbbb")
        center = f.attrs.get("center_note", "")
        fig.suptitle("Loss-landscape slices around solution #1 with steepest-descent paths"
                     + (f"\n{center}" if center else ""), fontsize=11)
        for extension in ("png", "pdf"):
            fig.savefig(f"{args.out_prefix}.{extension}", dpi=150, bbox_inches="tight")
    print(f"fig6_trajectories.py: wrote {args.out_prefix}.png and .pdf", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
