#!/usr/bin/python3
"""A basin map (xorscape-slice --basins): the label of every grid point's end of the full-space
gradient flow (solution classes in blues and greens, trapping levels in reds, still moving in
greys) with a legend naming each label and its share of the grid, the end loss, and the flow
time to arrive.

Usage: /usr/bin/python3 plots/slice_basins.py BASINS.h5 -o PREFIX
writes PREFIX.png and PREFIX.pdf.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.patches import Patch

import xorscape_plot as xp

FAMILIES = {"solution": plt.cm.winter, "level": plt.cm.autumn, "budget": plt.cm.Greys, "diverged": plt.cm.spring}


def label_colours(kinds):
    """One colour per label: each kind its own colour family, shades spread over its labels."""
    colours = []
    for k, kind in enumerate(kinds):
        same = [j for j, other in enumerate(kinds) if other == kind]
        shade = 0.5 if len(same) == 1 else 0.15 + 0.6 * same.index(k) / (len(same) - 1)
        if kind == "budget":
            shade = 0.35 + 0.4 * shade
        colours.append(FAMILIES.get(kind, plt.cm.Greys)(shade))
    return colours


def main():
    args = xp.arguments(__doc__, file_help="basin map of xorscape-slice --basins")
    with xp.h5py.File(args.files[0], "r") as f:
        if "basins" not in f or "plane" not in f:
            raise SystemExit(f"{args.files[0]} has no /basins and /plane (run xorscape-slice --basins on a plane)")
        g, b = f["plane"], f["basins"]
        x, y = g["x"][()], g["y"][()]
        label = g["basin_label"][()]
        kinds = [xp.text(v) for v in b["kind"][()]]
        descriptions = [xp.text(v) for v in b["description"][()]]
        fractions = b["fraction"][()]
        extent = [x[0], x[-1], y[0], y[-1]]
        fig, axes = plt.subplots(1, 3, figsize=(18, 6.2), constrained_layout=True,
                                 gridspec_kw={"width_ratios": [1.25, 1, 1]})
        colours = label_colours(kinds)
        cmap = ListedColormap(colours)
        norm = BoundaryNorm(np.arange(len(kinds) + 1) - 0.5, len(kinds))
        axes[0].imshow(label, origin="lower", extent=extent, aspect="auto", cmap=cmap, norm=norm, interpolation="nearest")
        handles = [Patch(color=c, label=f"{k}: {d} ({100 * s:.1f}%)") for k, (c, d, s) in
                   enumerate(zip(colours, descriptions, fractions))]
        axes[0].legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=6.5, ncol=1)
        axes[0].set_title("end of the gradient flow from each grid point", fontsize=9)
        end = axes[1].imshow(g["basin_end_loss"][()], origin="lower", extent=extent, aspect="auto", cmap="viridis",
                             vmin=0, vmax=max(0.5, float(np.max(g["basin_end_loss"][()]))))
        fig.colorbar(end, ax=axes[1], label="end loss")
        axes[1].set_title("loss at the end of the flow", fontsize=9)
        time = np.maximum(g["basin_arrival_time"][()], 1e-3)
        arrival = axes[2].imshow(np.log10(time), origin="lower", extent=extent, aspect="auto", cmap="magma")
        fig.colorbar(arrival, ax=axes[2], label="log10 flow time of the end")
        axes[2].set_title("time to arrive (or the budget)", fontsize=9)
        for ax in axes:
            ax.set_xlabel("x (coefficient of d1)")
            ax.set_ylabel("y (coefficient of d2)")
            ax.plot(g["point_x"][()], g["point_y"][()], "*", color="white", mec="black", ms=10)
        fig.suptitle(f"basins of attraction: {xp.attribute(g, 'description')}\n"
                     f"{int(b.attrs['points'])} starts: {int(b.attrs['converged'])} converge, {int(b.attrs['trapped'])} "
                     f"trapped, {int(b.attrs['still_moving'])} still moving at flow time {b.attrs['flow_time']:.3g}",
                     fontsize=10)
        xp.save(fig, args.output)


if __name__ == "__main__":
    main()
