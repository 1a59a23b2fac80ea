#!/usr/bin/python3
"""Success rate of baseline and eda against the base noise, one line pair per xorscape-anneal
file (a sweep over --base-noise, e.g. one file per protocol), with Wilson 95 % intervals.

Usage: /usr/bin/python3 plots/anneal_noise.py FILE [FILE ...] -o PREFIX
Writes PREFIX.png and PREFIX.pdf; each file is labelled by its protocol attribute."""
from anneal_common import arms, protocol_label
from xorscape_plot import arguments, h5py, np, plt, save

args = arguments(__doc__, files="many")
fig, ax = plt.subplots(figsize=(7.5, 4.6))
styles = ["-", "--", ":", "-."]
for i, path in enumerate(args.files):
    with h5py.File(path, "r") as f:
        noise = f["sweep/base_noise"][()]
        order = np.argsort(noise)
        s = f["summary"]
        for arm, color in (("baseline", "#4a6fa5"), ("eda", "#d0712c")):
            if arm not in arms(f):
                continue
            a = arms(f).index(arm)
            rate, lo, hi = (100 * s[k][:, a][order] for k in ("success_rate", "wilson_lo", "wilson_hi"))
            ax.errorbar(noise[order], rate, yerr=[rate - lo, hi - rate], ls=styles[i % 4], marker="o", ms=4,
                        color=color, capsize=3, label="{}, {}".format(arm, protocol_label(f)))
ax.set_xscale("log")
ax.set_xlabel("base noise (theta += T base_noise Normal(0, 1))")
ax.set_ylabel("success rate [%]")
ax.set_ylim(0, 105)
ax.set_title("Two-ReLU XOR: success against base noise, Wilson 95 % intervals")
ax.grid(alpha=0.3)
ax.legend(fontsize=7)
fig.tight_layout()
save(fig, args.output)
