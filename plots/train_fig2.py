#!/usr/bin/python3
"""Figure 2: loss L(tau) against epoch tau (log-log) for every recorded run of one or more
xorscape-train files (e.g. several learning rates at n_h = 2 and one run at n_h = 18), with
the fitted long-term power laws L ~ tau^-gamma (equation 7) as dashed reference lines.
The thin curves are the loss on each epoch's (randomized) batch, the thick ones the loss on
the full nonrandomized batch.
Usage: train_fig2.py FILE.h5 [FILE.h5 ...] -o PREFIX"""
from train_common import runs
from xorscape_plot import arguments, h5py, np, plt, save

args = arguments(__doc__, files="many", file_help="xorscape-train file(s)")
fig, ax = plt.subplots(figsize=(7.5, 5.2))
colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
k = 0
for path in args.files:
    with h5py.File(path, "r") as f:
        n_hidden = int(f.attrs["n_hidden"])
        r = f["runs"]
        for i, name in enumerate(runs(f)):
            t = f["traces"][name]
            if "epoch" not in t:
                continue
            tau = t["epoch"][()].astype(float)
            keep = tau > 0
            c = colours[k % len(colours)]
            k += 1
            label = rf"$n_h = {n_hidden}$, $\eta = {t.attrs['eta']:.4g}$"
            ax.plot(tau[keep], t["loss_batch"][()][keep], color=c, lw=0.5, alpha=0.45)
            ax.plot(tau[keep], t["loss"][()][keep], color=c, lw=1.8, label=label)
            if "fit_ok" in r and r["fit_ok"][i]:
                lo, hi, g, a = r["fit_lo"][i], r["fit_hi"][i], r["gamma"][i], r["amplitude"][i]
                x = np.geomspace(lo, hi, 20)
                ax.plot(x, 2.5 * a * x ** (-g), color=c, ls="--", lw=1.0)
                ax.annotate(rf"$\gamma = {g:.2f}$", (x[-1], 2.5 * a * x[-1] ** (-g)), color=c, fontsize=9,
                            xytext=(4, 0), textcoords="offset points", va="center")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel(r"epoch $\tau$")
ax.set_ylabel(r"loss $L$")
ax.set_title("Convergence of the loss (thin: batch loss, thick: full batch, dashed: fitted power law)",
             fontsize=9)
ax.grid(True, which="major", alpha=0.3)
ax.legend(fontsize=8, loc="lower left")
save(fig, args.output)
