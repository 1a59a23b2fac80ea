#!/usr/bin/python3
"""Success rate per arm with Wilson 95 % intervals, one series per xorscape-anneal file.

Usage: /usr/bin/python3 plots/anneal_success.py OUTDIR FILE[:LABEL] [FILE[:LABEL] ...] [--point P]
Writes OUTDIR/anneal_success.png and .pdf. The article's 50-run values (baseline 58 %,
eda 98 %) are drawn as open diamonds for reference.
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

ARTICLE = {"baseline": 0.58, "eda": 0.98}


def main(argv):
    point = 0
    if "--point" in argv:
        i = argv.index("--point")
        point = int(argv[i + 1])
        del argv[i:i + 2]
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    outdir, specs = argv[1], argv[2:]
    series = []
    for spec in specs:
        path, _, label = spec.partition(":")
        with h5py.File(path, "r") as f:
            arms = [a.decode() if isinstance(a, bytes) else a for a in f["arm_names"][()]]
            s = f["summary"]
            rate, lo, hi = (s[k][point, :] for k in ("success_rate", "wilson_lo", "wilson_hi"))
            runs = s["runs"][point, :]
            sp = f["sweep"]
            settings = "lr {:g}, scale {:g}, thr {:g}, noise {:g}".format(
                sp["learning_rate"][point], sp["init_scale"][point], sp["threshold"][point], sp["base_noise"][point])
        series.append((label or "{} runs".format(int(runs[0])), arms, rate, lo, hi, settings))
    all_arms = []
    for _, arms, *_ in series:
        all_arms += [a for a in arms if a not in all_arms]
    fig, ax = plt.subplots(figsize=(max(7.5, 1.1 * len(all_arms) + 2.5), 4.6))
    width = 0.8 / len(series)
    colors = plt.cm.viridis(np.linspace(0.15, 0.75, len(series)))
    for j, (label, arms, rate, lo, hi, settings) in enumerate(series):
        x = np.array([all_arms.index(a) for a in arms]) + (j - (len(series) - 1) / 2) * width
        ax.bar(x, 100 * rate, width * 0.9, color=colors[j], alpha=0.8, label="{} ({})".format(label, settings))
        ax.errorbar(x, 100 * rate, yerr=[100 * (rate - lo), 100 * (hi - rate)], fmt="none", ecolor="black",
                    capsize=3, lw=1)
    for arm, value in ARTICLE.items():
        if arm in all_arms:
            ax.plot(all_arms.index(arm), 100 * value, "D", mfc="none", mec="crimson", ms=9, mew=1.8,
                    label="article (50 runs)" if arm == "baseline" else None)
    ax.set_xticks(range(len(all_arms)))
    ax.set_xticklabels(all_arms, rotation=20)
    ax.set_ylabel("success rate [%] (all four cases right at the end)")
    ax.set_ylim(0, 108 + 8 * (len(series) + 1))
    ax.set_yticks(range(0, 101, 20))
    ax.set_title("Two-ReLU XOR: success per arm, Wilson 95 % intervals")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", ncol=1)
    fig.tight_layout()
    save(fig, outdir, "anneal_success")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
