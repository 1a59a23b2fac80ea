#!/usr/bin/python3
"""Figure-6-style panels of selected planes WITHOUT trajectories (the trajectory step draws
Figure 6 proper on the same file). Default: the first nine planes of the file in the order asked for.

Usage: /usr/bin/python3 plots/slice_planes.py SLICE.h5 -o PREFIX [--planes "A,B;C,D;..."]
"""
import math

import matplotlib.pyplot as plt

import slice_common as sc
import xorscape_plot as xp


def main():
    args = xp.arguments(__doc__, file_help="slice file (xorscape-slice)", configure=lambda p: p.add_argument(
        "--planes", help="semicolon-separated list; default: the file's planes in the order asked for (at most 9)"))
    with xp.h5py.File(args.files[0], "r") as f:
        names = [p for p in args.planes.split(";") if p] if args.planes else sc.plane_names(f)[:9]
        columns = min(3, len(names))
        rows = math.ceil(len(names) / columns)
        fig, axes = plt.subplots(rows, columns, figsize=(4.6 * columns + 1, 3.9 * rows), squeeze=False,
                                 constrained_layout=True)
        image = None
        for k, (ax, name) in enumerate(zip(axes.flat, names)):
            x, y, g = sc.plane(f, name)
            image = sc.draw(ax, x, y, g["loss"])
            sc.label(ax, g)
            ax.plot([0], [0], marker="+", color="white", markersize=9)
            ax.set_title(f"({chr(ord('a') + k)}) {name}")
        for ax in list(axes.flat)[len(names):]:
            ax.axis("off")
        fig.colorbar(image, ax=axes, shrink=0.8, label="loss L", ticks=sc.PLATEAU_TICKS, extend="max")
        fig.suptitle("Cross-sections of the loss landscape around the center (+), others fixed")
        xp.save(fig, args.output)


if __name__ == "__main__":
    main()
