#!/usr/bin/python3
"""A rescued run: temperature T, magnitude M, imbalance I, loss and injected noise of the
eda run against epoch, with the paired baseline's loss (group /rescue_example).

Usage: /usr/bin/python3 plots/anneal_rescue_trace.py FILE -o PREFIX
Writes PREFIX.png and PREFIX.pdf (exit 1 if the file holds no rescued traced run)."""
import sys

from anneal_common import rescue_example
from xorscape_plot import arguments, plt, save

args = arguments(__doc__)
example = rescue_example(args.files[0], "anneal_rescue_trace.py",
                         ("epoch", "loss", "temperature", "magnitude", "imbalance", "noise",
                          "baseline_loss", "accuracy", "baseline_accuracy"))
if example is None:
    sys.exit(1)
d, seed, thr = example
t = d["epoch"]
fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(7, 6), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
ax1.plot(t, d["temperature"], color="crimson", lw=1.2, label="T = M I")
ax1.plot(t, d["magnitude"], color="tab:blue", lw=1, label="M = |l|$_2$")
ax1.plot(t, d["imbalance"], color="tab:green", lw=1, label="I = ((H$_{max}$ - H)/H$_{max}$)$^2$")
ax1.axhline(thr, color="black", ls=":", lw=1, label="threshold {:g}".format(thr))
ax1.set_ylabel("temperature signals")
ax1.set_title("Rescued run (seed index {}): eda against the paired baseline".format(seed), fontsize=10)
ax1.legend(fontsize=7, loc="upper right")
ax1.grid(alpha=0.3)
ax2.semilogy(t, d["baseline_loss"] + 1e-300, color="grey", lw=1.2, label="baseline loss")
ax2.semilogy(t, d["loss"] + 1e-300, color="black", lw=1.2, label="eda loss")
inj = d["noise"] > 0
if inj.any():
    ax2.semilogy(t[inj], d["noise"][inj], ".", ms=1.5, color="crimson", alpha=0.5, label="noise norm per injection")
ax2.set_ylim(max(1e-12, min(d["loss"].min(), d["baseline_loss"].min()) / 2), 2)
ax2.set_xlabel("epoch")
ax2.set_ylabel("mean squared error")
ax2.legend(fontsize=7, loc="lower left")
ax2.grid(alpha=0.3, which="both")
ax2.set_xscale("symlog", linthresh=100)
ax2.set_xlim(0, t[-1])
fig.tight_layout()
save(fig, args.output)
