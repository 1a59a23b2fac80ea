#!/usr/bin/python3
"""Figure-6-style panels of selected planes WITHOUT trajectories (the trajectory step draws
Figure 6 proper on the same file). Default: the six planes of slice-fig6.h5 in file order.

Usage: /usr/bin/python3 plots/slice_planes.py SLICE.h5 OUT_PREFIX [--planes A,B;C,D;...]
"""
import argparse
import math

import h5py
import matplotlib.pyplot as plt

import slice_common as sc


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file")
    p.add_argument("out")
    p.add_argument("--planes", help="semicolon-separated list; default: the file's planes in the order asked for (at most 9)")
    a = p.parse_args()
    with h5py.File(a.file, "r") as f:
        names = a.planes.split(";") if a.planes else sc.planes(f)[:9]
        order = f.attrs.get("plane_order")  # the order the planes were asked for
        if not a.planes and order is not None:
            names = [n.decode() if isinstance(n, bytes) else str(n) for n in order][:9]
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
        fig.colorbar(image, ax=axes, shrink=0.8, label="loss L", ticks=[0, 0.25, 0.5, 0.75, 1], extend="max")
        fig.suptitle("Cross-sections of the loss landscape around the center (+), others fixed")
        sc.save(fig, a.out)


if __name__ == "__main__":
    main()
