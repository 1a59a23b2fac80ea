#!/usr/bin/python3
"""Figure 2 of Coetzee & Stonick for an xorscape-stationary file: probability of reaching each
equivalence class on one trial (start), classes sorted by the percentage of the four cases they
classify correctly; minima dark, saddles light, maxima red; binomial standard errors as bars.

Usage: /usr/bin/python3 plots/stationary_figure2.py FILE.h5 -o PREFIX   (writes PREFIX.png and PREFIX.pdf)
"""
from matplotlib.patches import Patch

from xorscape_plot import arguments, attribute, h5py, np, plt, save


def title_of(f):
    p = f["problem"]
    return (f"2-{attribute(p, 'n_hidden')}-1 {attribute(p, 'hidden_activation')}/{attribute(p, 'output_activation')}, "
            f"{attribute(p, 'data')}, {attribute(p, 'reduction')} error, $\\mu$ = {attribute(p, 'mu'):g}, "
            f"{attribute(p, 'dimension')} parameters; {attribute(f['summary'], 'trials')} trials")


def main():
    args = arguments(__doc__.splitlines()[0], files="one", file_help="an xorscape-stationary file")
    with h5py.File(args.files[0], "r") as f:
        order = f["classes/figure_order"][()]
        probability = f["classes/probability"][()][order]
        error = f["classes/probability_error"][()][order]
        classified = f["classes/classified_percent"][()][order]
        index = f["classes/index"][()][order]
        dimension = int(attribute(f["problem"], "dimension"))
        title = title_of(f)
    x = np.arange(1, len(order) + 1)
    colour = np.where(index == 0, "#1f3b73", np.where(index == dimension, "#c0392b", "#9ecae1"))
    fig, ax = plt.subplots(figsize=(10, 4.2))
    ax.bar(x, probability, width=0.85, color=colour, edgecolor="black", linewidth=0.3,
           yerr=error, error_kw={"elinewidth": 0.6, "capsize": 1.5, "ecolor": "0.3"})
    # Group boundaries by classification percentage, labelled like the paper ("50% ->").
    for k, pct in enumerate(np.unique(classified)):
        first = x[classified == pct][0]
        ax.axvline(first - 0.5, color="0.5", linestyle="--", linewidth=0.8)
        # Alternate heights so labels of one-class groups (the origin at 0%) do not collide.
        ax.text(first - 0.3, 1.01 + 0.06 * (k % 2), f"{pct:.0f}% →", transform=ax.get_xaxis_transform(),
                fontsize=9, va="bottom")
    ax.set_xlim(0.3, len(order) + 0.7)
    ax.set_ylim(0, max(0.05, 1.15 * float(np.max(probability + error))) if len(order) else 1)
    ax.set_xlabel("equivalence class (sorted by percentage of the four cases classified correctly)")
    ax.set_ylabel("probability of reaching the class per trial")
    handles = [Patch(color="#1f3b73", label="minimum"), Patch(color="#9ecae1", label="saddle")]
    if np.any(index == dimension):
        handles.append(Patch(color="#c0392b", label="maximum"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.16, 0.95), frameon=False)
    ax.set_title(title, fontsize=9, pad=24)
    save(fig, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
