#!/usr/bin/python3
"""Success rate of baseline and eda per initial law, one bar pair per xorscape-anneal file
(e.g. one file per law and protocol), with Wilson 95 % intervals.

Usage: /usr/bin/python3 plots/anneal_init_law.py FILE [FILE ...] -o PREFIX [--point P]
Writes PREFIX.png and PREFIX.pdf; each file is labelled by its protocol and init_law attributes."""
from anneal_common import arms
from xorscape_plot import arguments, attribute, h5py, np, plt, save


def options(parser):
    parser.add_argument("--point", type=int, default=0, help="sweep point to draw (default 0)")


args = arguments(__doc__, files="many", configure=options)
labels, rates = [], []
for path in args.files:
    with h5py.File(path, "r") as f:
        s = f["summary"]
        labels.append("{} protocol\n{}\n({} seeds)".format(attribute(f, "protocol", "default"),
                                                         attribute(f, "init_law").replace(", ", ",\n"),
                                                         int(s["runs"][args.point, 0])))
        rates.append({arm: tuple(100 * s[k][args.point, arms(f).index(arm)] for k in ("success_rate", "wilson_lo", "wilson_hi"))
                      for arm in ("baseline", "eda") if arm in arms(f)})
fig, ax = plt.subplots(figsize=(max(7.5, 1.6 * len(labels) + 2), 5.2))
x = np.arange(len(labels))
for j, (arm, color) in enumerate((("baseline", "#4a6fa5"), ("eda", "#d0712c"))):
    r = np.array([rate.get(arm, (np.nan,) * 3) for rate in rates])
    ax.bar(x + (j - 0.5) * 0.38, r[:, 0], 0.36, color=color, alpha=0.85, label=arm)
    ax.errorbar(x + (j - 0.5) * 0.38, r[:, 0], yerr=[r[:, 0] - r[:, 1], r[:, 2] - r[:, 0]], fmt="none", ecolor="black",
                capsize=3, lw=1)
ax.set_xticks(x)
ax.set_xticklabels(labels, fontsize=7)
ax.set_ylabel("success rate [%]")
ax.set_ylim(0, 105)
ax.set_title("Two-ReLU XOR: success per initial law, Wilson 95 % intervals")
ax.grid(axis="y", alpha=0.3)
ax.legend(fontsize=8)
fig.tight_layout()
save(fig, args.output)
