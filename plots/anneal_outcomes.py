#!/usr/bin/python3
"""Outcome histogram: the fraction of runs ending at 0, 25, 50, 75 and 100 % accuracy, for
baseline and eda, one panel per xorscape-anneal file (e.g. one per protocol). The uniform-loss
trap (every output within trap_tolerance of the cut) is hatched inside its bar.

Usage: /usr/bin/python3 plots/anneal_outcomes.py FILE [FILE ...] -o PREFIX [--point P]
Writes PREFIX.png and PREFIX.pdf."""
from anneal_common import arms, protocol_label
from xorscape_plot import arguments, h5py, np, plt, save


def options(parser):
    parser.add_argument("--point", type=int, default=0, help="sweep point to draw (default 0)")


args = arguments(__doc__, files="many", configure=options)
fig, axes = plt.subplots(1, len(args.files), figsize=(4.2 * len(args.files) + 1, 4.2), squeeze=False)
levels = np.array([0, 25, 50, 75, 100])
for ax, path in zip(axes[0], args.files):
    with h5py.File(path, "r") as f:
        names = arms(f)
        for j, (arm, color) in enumerate((("baseline", "#4a6fa5"), ("eda", "#d0712c"))):
            if arm not in names:
                continue
            a = names.index(arm)
            acc = f["runs/accuracy"][args.point, a, :]
            trapped = f["runs/trapped"][args.point, a, :] == 1
            done = f["runs/done"][args.point, :] == 1
            n = done.sum()
            counts = np.array([((np.round(acc * 4) == k) & done).sum() for k in range(5)]) / n
            trap = np.array([((np.round(acc * 4) == k) & done & trapped).sum() for k in range(5)]) / n
            x = levels + (j - 0.5) * 9
            ax.bar(x, 100 * counts, 8.5, color=color, alpha=0.85, label=arm)
            ax.bar(x, 100 * trap, 8.5, color="none", edgecolor="black", hatch="//", lw=0.5,
                   label="trapped (outputs at the cut)" if j == 0 else None)
        ax.set_title(protocol_label(f), fontsize=8)
        ax.set_xticks(levels)
        ax.set_xlabel("final accuracy [%]")
        ax.grid(axis="y", alpha=0.3)
axes[0][0].set_ylabel("runs [%]")
axes[0][0].legend(fontsize=7)
fig.suptitle("Two-ReLU XOR: outcomes per protocol")
fig.tight_layout()
save(fig, args.output)
