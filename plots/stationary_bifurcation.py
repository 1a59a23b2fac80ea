#!/usr/bin/python3
"""Bifurcation diagram of an xorscape-stationary file written with --continue-mu: the number of
distinct classes of stationary points by Hessian index against mu (log scale), from the census's
classes followed in mu by predictor-corrector continuation; dotted lines mark the mu at which
branches end (folds: two classes meet and annihilate), the census's own mu is dashed. The Morse sum
over the branches alive at each mu (orbit size x (-1)^index; 1 for a complete census, kept by folds)
is drawn on a second axis.

Usage: /usr/bin/python3 plots/stationary_bifurcation.py FILE.h5 -o PREFIX   (writes PREFIX.png and PREFIX.pdf)
"""
from xorscape_plot import arguments, attribute, h5py, np, plt, save


def main():
    args = arguments(__doc__.splitlines()[0], files="one", file_help="an xorscape-stationary file made with --continue-mu")
    with h5py.File(args.files[0], "r") as f:
        if "continuation" not in f:
            raise SystemExit(f"{args.files[0]} has no /continuation group (run xorscape-stationary with --continue-mu MIN:MAX)")
        c = f["continuation"]
        mu, counts, total = c["mu"][()], c["counts"][()], c["total"][()]
        alive, index = c["alive"][()], c["branch_index"][()]
        folds = np.unique(np.round(c["end_mu"][()][c["fold"][()] == 1], 8))
        mu0 = float(attribute(c, "census_mu"))
        orbit = f["classes/orbit_size"][()]
        p = f["problem"]
        title = (f"2-{attribute(p, 'n_hidden')}-1 {attribute(p, 'hidden_activation')}, {attribute(p, 'data')}, "
                 f"{attribute(p, 'reduction')} error; census at $\\mu$ = {mu0:g} "
                 f"({attribute(f['summary'], 'completeness')}), {len(folds)} fold $\\mu$ values")
    morse = (alive * orbit[:, None] * np.where(index % 2 == 0, 1, -1)).sum(axis=0)
    fig, ax = plt.subplots(figsize=(8, 4.6))
    ax.step(mu, total, where="mid", color="black", linewidth=1.6, label="all classes")
    colours = plt.cm.viridis(np.linspace(0, 0.9, max(1, counts.shape[1])))
    for k in range(counts.shape[1]):
        if np.any(counts[:, k]):
            ax.step(mu, counts[:, k], where="mid", color=colours[k], linewidth=1.2,
                    label="minima" if k == 0 else f"index {k}")
    for m in folds:
        ax.axvline(m, color="#c0392b", linestyle=":", linewidth=0.9)
    ax.axvline(mu0, color="0.4", linestyle="--", linewidth=0.9, label="census $\\mu$")
    ax.set_xscale("log")
    ax.set_xlabel("$\\mu$ (regularisation strength)")
    ax.set_ylabel("classes of stationary points")
    ax.set_ylim(0, max(1, int(np.max(total))) * 1.12)
    right = ax.twinx()
    right.plot(mu, morse, "s", color="#7f8c8d", markersize=3, label="Morse sum")
    right.set_ylabel("Morse sum over the branches (1: complete)")
    right.set_ylim(min(-1, int(morse.min()) - 1), max(3, int(morse.max()) + 1))
    lines, labels = ax.get_legend_handles_labels()
    more, more_labels = right.get_legend_handles_labels()
    ax.legend(lines + more, labels + more_labels, fontsize=8, loc="lower left")
    ax.set_title(title, fontsize=9)
    save(fig, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
