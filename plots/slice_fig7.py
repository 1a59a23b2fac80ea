#!/usr/bin/python3
"""Figure 7 of the dissecting paper: a cross-section with randomized batches,
(a) one scan and (b) the average over K scans, with (c) the nonrandomized slice and
(d) the mean's distance from it for comparison.

Usage: /usr/bin/python3 plots/slice_fig7.py SLICE.h5 OUT_PREFIX [--plane b1_1,b2_1]
SLICE.h5 from `xorscape-slice --batch randomized --scans 100`; writes OUT_PREFIX.png/.pdf.
"""
import argparse

import h5py
import matplotlib.pyplot as plt
import numpy as np

import slice_common as sc


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file")
    p.add_argument("out")
    p.add_argument("--plane", default="b1_1,b2_1")
    a = p.parse_args()
    with h5py.File(a.file, "r") as f:
        if sc.attr_text(f, "batch") != "randomized":
            raise SystemExit(f"{a.file} is not a randomized slice (run xorscape-slice --batch randomized)")
        x, y, g = sc.plane(f, a.plane)
        scans = int(f.attrs["scans"])
        first, mean, nonrandomized = g["loss"][()], g["loss_mean"][()], g["loss_nonrandomized"][()]
        fig, axes = plt.subplots(1, 4, figsize=(17, 4.3), constrained_layout=True)
        titles = ["(a) single randomized scan", f"(b) mean over {scans} scans", "(c) nonrandomized batch"]
        for ax, z, title in zip(axes[:3], [first, mean, nonrandomized], titles):
            image = sc.draw(ax, x, y, z)
            sc.label(ax, g)
            ax.set_title(title)
        fig.colorbar(image, ax=axes[:3], label="loss L", ticks=[0, 0.25, 0.5, 0.75, 1], extend="max")
        difference = np.abs(mean - nonrandomized)
        d = axes[3].imshow(difference, origin="lower", extent=[x[0], x[-1], y[0], y[-1]], cmap="magma",
                           aspect="auto", interpolation="nearest")
        sc.label(axes[3], g)
        axes[3].set_title(f"(d) |mean - nonrandomized|: max {difference.max():.3f}, mean {difference.mean():.4f}",
                          fontsize=9)
        fig.colorbar(d, ax=axes[3], label="absolute difference")
        fig.suptitle(f"Randomized-batch cross-section ({sc.attr_text(f, 'data')}, n_h = {int(f.attrs['n_hidden'])}), "
                     f"plane {a.plane} (Fig. 7)")
        sc.save(fig, a.out)


if __name__ == "__main__":
    main()
