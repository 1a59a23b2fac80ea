#!/usr/bin/python3
"""Figure 5: epoch of convergence tau_conv against the shift Delta of one initial parameter
from its optimum (the other eight at the optimum), (a) weights and (b) biases, from an
xorscape-converge file. tau_conv = 0 (already converged at the start) is drawn at 1 on the
logarithmic axis; shifts that did not converge within the budget are marked at the top.
Usage: train_fig5.py FILE.h5 -o PREFIX"""
from xorscape_plot import arguments, h5py, np, plt, save, tex, text

args = arguments(__doc__, file_help="xorscape-converge file")
with h5py.File(args.files[0], "r") as f:
    names = [text(s) for s in f["parameter"][()]]
    shift = f["shift"][()]
    tau = f["tau_conv"][()].astype(float)
    budget = int(f.attrs["max_epochs"])
    runs = int(f.attrs["runs"])
fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), sharey=True)
markers = "osD^v<>px"
for k, name in enumerate(names):
    ax = axes[0] if name.startswith("w") else axes[1]
    y = np.where(tau[k] >= 0, np.maximum(tau[k], 1.0), np.nan)
    line, = ax.plot(shift, y, marker=markers[k % len(markers)], ms=3.5, lw=1.2, label=tex(name))
    failed = tau[k] < 0
    if failed.any():
        ax.plot(shift[failed], np.full(failed.sum(), budget * 1.5), "x", color=line.get_color(), ms=6)
fig.suptitle(f"Epoch of convergence from a shifted solution ({runs} randomized-batch runs per shift; "
             f"x: not converged within {budget:g} epochs)", fontsize=10)
for ax, title in zip(axes, ["(a) weights", "(b) biases"]):
    ax.set_yscale("log")
    ax.set_xlabel(r"shift $\Delta$ of the initial value from the optimum")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
axes[0].set_ylabel(r"$\tau_{\mathrm{conv}}$ (0 drawn at 1)")
save(fig, args.output)
