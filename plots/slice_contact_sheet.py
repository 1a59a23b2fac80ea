#!/usr/bin/python3
"""All planes of a slice file on one page (for n_h = 2: the 36 cross-sections of section 3.3.1).

Usage: /usr/bin/python3 plots/slice_contact_sheet.py SLICE.h5 -o PREFIX [--dataset loss|loss_mean|loss_nonrandomized]
Each panel is titled by its plane and its plateau area fractions (L = 0, 0.25, 0.5, 0.75, 1).
"""
import math

import matplotlib.pyplot as plt

import slice_common as sc
import xorscape_plot as xp


def configure(parser):
    parser.add_argument("--dataset", default="loss", choices=["loss", "loss_mean", "loss_nonrandomized"])


def main():
    args = xp.arguments(__doc__, file_help="slice file (xorscape-slice)", configure=configure)
    with xp.h5py.File(args.files[0], "r") as f:
        names = sc.plane_names(f)
        columns = math.ceil(math.sqrt(len(names)))
        rows = math.ceil(len(names) / columns)
        # Fixed spacing instead of constrained_layout: laying out 36 panels that way takes seconds.
        fig, axes = plt.subplots(rows, columns, figsize=(2.6 * columns + 1.2, 2.45 * rows + 0.6), squeeze=False)
        fig.subplots_adjust(left=0.05, right=0.9, bottom=0.05, top=0.92, wspace=0.45, hspace=0.6)
        image = None
        for ax, name in zip(axes.flat, names):
            x, y, g = sc.plane(f, name)
            image = sc.draw(ax, x, y, g[args.dataset], max_points=300)
            sc.label(ax, g, small=True)
            ax.tick_params(labelsize=6)
            suffix = "_mean" if args.dataset == "loss_mean" else ""
            fractions = g["plateau_fraction" + suffix][()] if ("plateau_fraction" + suffix) in g else None
            title = name if fractions is None else name + "\n" + " ".join(f"{v:.2f}" for v in fractions)
            ax.set_title(title, fontsize=7)
        for ax in list(axes.flat)[len(names):]:
            ax.axis("off")
        fig.colorbar(image, cax=fig.add_axes([0.92, 0.25, 0.015, 0.5]), label="loss L", ticks=sc.PLATEAU_TICKS,
                     extend="max")
        tolerance = float(f.attrs.get("plateau_tolerance", 0.05))
        fig.suptitle(f"{len(names)} cross-sections, {args.dataset} ({xp.attribute(f, 'batch')} batch); panel titles: "
                     f"share of the plane within ±{tolerance:g} of L = 0, 0.25, 0.5, 0.75, 1", fontsize=10)
        xp.save(fig, args.output)


if __name__ == "__main__":
    main()
