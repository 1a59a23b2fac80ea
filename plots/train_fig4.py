#!/usr/bin/python3
"""Figure 4: hidden activations a1_i and the output a2_1 for each of the four cases against
epoch tau for one run of an xorscape-train file (recorded with --record full).
Usage: train_fig4.py FILE.h5 -o PREFIX [--run I]"""
from train_common import runs
from xorscape_plot import arguments, attribute, case_labels, h5py, plt, save

args = arguments(__doc__, file_help="xorscape-train file",
                 configure=lambda p: p.add_argument("--run", type=int, default=0, help="which run's trace (index)"))
with h5py.File(args.files[0], "r") as f:
    traces = runs(f)
    if args.run >= len(traces) or "hidden" not in f["traces"][traces[args.run]]:
        raise SystemExit(f"{args.files[0]} has no activation trace for run {args.run} (record with --record full)")
    t = f["traces"][traces[args.run]]
    tau = t["epoch"][()].astype(float)
    hidden = t["hidden"][()]
    output = t["output"][()]
    n_hidden = int(f.attrs["n_hidden"])
    cases = case_labels(attribute(f, "data", "xor"))
    eta = t.attrs["eta"]
keep = tau > 0
fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharex=True, sharey=True)
for m, ax in enumerate(axes.flat):
    for i in range(n_hidden):
        ax.plot(tau[keep], hidden[keep, m * n_hidden + i], lw=1.3, label=rf"$a^{{(1)}}_{{{i + 1}}}$")
    ax.plot(tau[keep], output[keep, m], "k", lw=2.0, label=r"$a^{(2)}_1$")
    ax.set_xscale("log")
    ax.set_title(rf"case $(x_1, x_2) = {cases[m]}$, $\eta = {eta:.4g}$", fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.set_ylim(-0.05, 1.05)
for ax in axes[1]:
    ax.set_xlabel(r"epoch $\tau$")
for ax in axes[:, 0]:
    ax.set_ylabel("activation")
axes[0, 0].legend(fontsize=8)
save(fig, args.output)
