#!/usr/bin/python3
"""Figure 7 of the dissecting paper: a cross-section with randomized batches,
(a) one scan and (b) the average over K scans, with (c) the nonrandomized slice and
(d) the mean's distance from it for comparison.

Usage: /usr/bin/python3 plots/slice_fig7.py SLICE.h5 -o PREFIX [--plane b1_1,b2_1]
SLICE.h5 from `xorscape-slice --batch randomized --scans 100`; writes PREFIX.png and PREFIX.pdf.
"""
import matplotlib.pyplot as plt
import numpy as np

import slice_common as sc
import xorscape_plot as xp


def main():
    args = xp.arguments(__doc__, file_help="randomized slice file (xorscape-slice --batch randomized)",
                        configure=lambda p: p.add_argument("--plane", default="b1_1,b2_1", help="plane A,B"))
    path = args.files[0]
    with xp.h5py.File(path, "r") as f:
        if xp.attribute(f, "batch") != "randomized":
            raise SystemExit(f"{path} is not a randomized slice (run xorscape-slice --batch randomized)")
        x, y, g = sc.plane(f, args.plane)
        scans = int(f.attrs["scans"])
        first, mean, nonrandomized = g["loss"][()], g["loss_mean"][()], g["loss_nonrandomized"][()]
        fig, axes = plt.subplots(1, 4, figsize=(17, 4.3), constrained_layout=True)
        titles = ["(a) single randomized scan", f"(b) mean over {scans} scans", "(c) nonrandomized batch"]
        for ax, z, title in zip(axes[:3], [first, mean, nonrandomized], titles):
            image = sc.draw(ax, x, y, z)
            sc.label(ax, g)
            ax.set_title(title)
        fig.colorbar(image, ax=axes[:3], label="loss L", ticks=sc.PLATEAU_TICKS, extend="max")
        difference = np.abs(mean - nonrandomized)
        d = axes[3].imshow(difference, origin="lower", extent=[x[0], x[-1], y[0], y[-1]], cmap="magma",
                           aspect="auto", interpolation="nearest")
        sc.label(axes[3], g)
        axes[3].set_title(f"(d) |mean - nonrandomized|: max {difference.max():.3f}, mean {difference.mean():.4f}",
                          fontsize=9)
        fig.colorbar(d, ax=axes[3], label="absolute difference")
        fig.suptitle(f"Randomized-batch cross-section ({xp.attribute(f, 'data')}, n_h = {int(f.attrs['n_hidden'])}), "
                     f"plane {args.plane} (Fig. 7)")
        xp.save(fig, args.output)


if __name__ == "__main__":
    main()
