#!/usr/bin/python3
"""Discovery curve of one or more xorscape-stationary files: distinct equivalence classes found
against the number of trials (starts). A curve that has levelled off is the evidence that the
census is complete for the method used.

Usage: /usr/bin/python3 plots/stationary_discovery.py FILE.h5 [FILE.h5 ...] -o PREFIX
"""
from xorscape_plot import arguments, attribute, h5py, plt, save


def label_of(f):
    p = f["problem"]
    return (f"{attribute(p, 'hidden_activation')}/{attribute(p, 'output_activation')}, {attribute(p, 'data')}, "
            f"{attribute(p, 'reduction')}, {attribute(p, 'dimension')} parameters, $\\mu$={attribute(p, 'mu'):g}")


def main():
    args = arguments(__doc__.splitlines()[0], files="many", file_help="xorscape-stationary files")
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for path in args.files:
        with h5py.File(path, "r") as f:
            trials = f["discovery/trials"][()]
            found = f["discovery/classes_found"][()]
            ax.step(trials, found, where="post", label=f"{label_of(f)}: {found[-1]} classes")
    ax.axhline(61, color="0.4", linestyle=":", linewidth=1)
    ax.text(1, 61, " paper: 61 classes", va="bottom", fontsize=8, color="0.3")
    ax.set_xscale("log")
    ax.set_xlabel("trials (random starts on the sphere of radius $\\sqrt{2n}$)")
    ax.set_ylabel("distinct equivalence classes found")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    save(fig, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
