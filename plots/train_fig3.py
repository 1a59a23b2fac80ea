#!/usr/bin/python3
"""Figure 3: drift of every weight and bias against epoch tau for one run of an
xorscape-train file (recorded with --record full): (a) hidden layer, (b) output layer.
Usage: train_fig3.py FILE.h5 -o PREFIX [--run I]"""
from train_common import runs
from xorscape_plot import arguments, h5py, parameter_names, plt, save, tex

args = arguments(__doc__, file_help="xorscape-train file",
                 configure=lambda p: p.add_argument("--run", type=int, default=0, help="which run's trace (index)"))
with h5py.File(args.files[0], "r") as f:
    names = parameter_names(f)
    traces = runs(f)
    if args.run >= len(traces) or "parameters" not in f["traces"][traces[args.run]]:
        raise SystemExit(f"{args.files[0]} has no parameter trace for run {args.run} (record with --record full)")
    t = f["traces"][traces[args.run]]
    tau = t["epoch"][()].astype(float)
    p = t["parameters"][()]
    eta = t.attrs["eta"]
keep = tau > 0
fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), sharex=True)
for k, name in enumerate(names):
    ax = axes[0] if name[1] == "1" else axes[1]
    style = "-" if name.startswith("w") else "--"
    ax.plot(tau[keep], p[keep, k], style, lw=1.5, label=tex(name))
for ax, title in zip(axes, ["(a) hidden layer", "(b) output layer"]):
    ax.set_xscale("log")
    ax.set_xlabel(r"epoch $\tau$")
    ax.set_ylabel("parameter value")
    ax.set_title(rf"{title}, $\eta = {eta:.4g}$")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
save(fig, args.output)
