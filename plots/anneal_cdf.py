#!/usr/bin/python3
"""Cumulative distribution of convergence epochs per arm: the fraction of all runs that
have converged (all four right and loss below the threshold, to the end) by epoch t.

Usage: /usr/bin/python3 plots/anneal_cdf.py FILE -o PREFIX [--point P]
Writes PREFIX.png and PREFIX.pdf."""
from anneal_common import arms, settings
from xorscape_plot import arguments, h5py, np, plt, save

args = arguments(__doc__, configure=lambda p: p.add_argument("--point", type=int, default=0,
                                                             help="sweep point to draw (default 0)"))
point = args.point
with h5py.File(args.files[0], "r") as f:
    names = arms(f)
    epochs = f["cdf_epoch"][()]
    cdf = f["summary/convergence_cdf"][()]
    median = f["summary/convergence_median"][point, :]
    runs = int(f["summary/runs"][point, 0])
    limit = int(f.attrs["epochs"])
    setting = settings(f, point)
fig, ax = plt.subplots(figsize=(6.5, 4.2))
colors = plt.cm.tab10(np.arange(len(names)))
for a, arm in enumerate(names):
    row = cdf[point * len(names) + a]
    label = arm + (" (median {:.0f})".format(median[a]) if median[a] >= 0 else "")
    ax.step(np.maximum(epochs, 1), 100 * row, where="post", color=colors[a], lw=1.6, label=label)
ax.axvline(limit, color="grey", ls=":", lw=1)
ax.set_xscale("log")
ax.set_xlabel("epoch t")
ax.set_ylabel("runs converged by epoch t [%]")
ax.set_ylim(0, 102)
ax.set_title("Convergence epochs, {} runs per arm\n{}".format(runs, setting), fontsize=9)
ax.grid(alpha=0.3, which="both")
ax.legend(fontsize=7, loc="upper left")
fig.tight_layout()
save(fig, args.output)
