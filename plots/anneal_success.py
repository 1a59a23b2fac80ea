#!/usr/bin/python3
"""Success rate per arm with Wilson 95 % intervals, one series per xorscape-anneal file. The
article's 50-run values (baseline 58 %, eda 98 %) are drawn as open diamonds for reference.

Usage: /usr/bin/python3 plots/anneal_success.py FILE [FILE ...] -o PREFIX [--label TEXT ...] [--point P]
Writes PREFIX.png and PREFIX.pdf; --label (once per file, in order) names the series."""
from anneal_common import arms, settings
from xorscape_plot import arguments, h5py, np, plt, save

ARTICLE = {"baseline": 0.58, "eda": 0.98}


def options(parser):
    parser.add_argument("--label", action="append", default=[], help="series label, once per FILE in order")
    parser.add_argument("--point", type=int, default=0, help="sweep point to draw (default 0)")


args = arguments(__doc__, files="many", configure=options)
if args.label and len(args.label) != len(args.files):
    raise SystemExit(f"anneal_success.py: {len(args.label)} labels for {len(args.files)} files")
point = args.point
series = []
for i, path in enumerate(args.files):
    with h5py.File(path, "r") as f:
        s = f["summary"]
        rate, lo, hi = (s[k][point, :] for k in ("success_rate", "wilson_lo", "wilson_hi"))
        label = args.label[i] if args.label else "{} runs".format(int(s["runs"][point, 0]))
        series.append((label, arms(f), rate, lo, hi, settings(f, point)))
all_arms = []
for _, names, *_ in series:
    all_arms += [a for a in names if a not in all_arms]
fig, ax = plt.subplots(figsize=(max(7.5, 1.1 * len(all_arms) + 2.5), 4.6))
width = 0.8 / len(series)
colors = plt.cm.viridis(np.linspace(0.15, 0.75, len(series)))
for j, (label, names, rate, lo, hi, setting) in enumerate(series):
    x = np.array([all_arms.index(a) for a in names]) + (j - (len(series) - 1) / 2) * width
    ax.bar(x, 100 * rate, width * 0.9, color=colors[j], alpha=0.8, label="{} ({})".format(label, setting))
    ax.errorbar(x, 100 * rate, yerr=[100 * (rate - lo), 100 * (hi - rate)], fmt="none", ecolor="black", capsize=3, lw=1)
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
save(fig, args.output)
