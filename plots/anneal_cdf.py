#!/usr/bin/python3
"""Cumulative distribution of convergence epochs per arm: the fraction of all runs that
have converged (all four right and loss below the threshold, to the end) by epoch t.

Usage: /usr/bin/python3 plots/anneal_cdf.py FILE OUTDIR [--point P]
Writes OUTDIR/anneal_cdf.png and .pdf.
"""
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from anneal_common import save  # noqa: E402
import numpy as np


def main(argv):
    point = 0
    if "--point" in argv:
        i = argv.index("--point")
        point = int(argv[i + 1])
        del argv[i:i + 2]
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, outdir = argv[1], argv[2]
    with h5py.File(path, "r") as f:
        arms = [a.decode() if isinstance(a, bytes) else a for a in f["arm_names"][()]]
        epochs = f["axes/cdf_epoch"][()]
        cdf = f["summary/convergence_cdf"][()]
        median = f["summary/convergence_median"][point, :]
        runs = int(f["summary/runs"][point, 0])
        limit = int(f.attrs["epochs"])
        sp = f["sweep"]
        settings = "lr {:g}, init scale {:g}, threshold {:g}, base noise {:g}".format(
            sp["learning_rate"][point], sp["init_scale"][point], sp["threshold"][point], sp["base_noise"][point])
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    colors = plt.cm.tab10(np.arange(len(arms)))
    for a, arm in enumerate(arms):
        row = cdf[point * len(arms) + a]
        label = arm + (" (median {:.0f})".format(median[a]) if median[a] >= 0 else "")
        ax.step(np.maximum(epochs, 1), 100 * row, where="post", color=colors[a], lw=1.6, label=label)
    ax.axvline(limit, color="grey", ls=":", lw=1)
    ax.set_xscale("log")
    ax.set_xlabel("epoch t")
    ax.set_ylabel("runs converged by epoch t [%]")
    ax.set_ylim(0, 102)
    ax.set_title("Convergence epochs, {} runs per arm\n{}".format(runs, settings), fontsize=9)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    save(fig, outdir, "anneal_cdf")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
