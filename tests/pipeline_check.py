#!/usr/bin/python3
"""Checks a tools/reproduce.sh output folder: every expected HDF5 file opens and carries its
provenance, every expected figure is a non-empty PNG or PDF, and REPORT.md has a row, with a
verdict, for every paper claim listed below. Usage: pipeline_check.py OUT  (exit 1 on failure)
"""
import os
import sys

import h5py

HDF5 = """train_fig2_nh2 train_fig2_nh18 train_drift train_seeds train_gamma train_sweep train_adam train_gd
train_converge train_plateau slice-all slice-fig7 slice-fig6 fig6 entropy/simplesample_nh2
entropy/wanglandau_nh1 entropy/wanglandau_nh2 entropy/wanglandau_nh18 anneal-50 anneal-10000
anneal-controls anneal-sweep anneal-sigmoid-nh2 anneal-sigmoid-center1 anneal-article anneal-article-variance
anneal-default-4000 anneal-noise-default anneal-noise-article stationary-tanh-paper
stationary-tanh-output-bias stationary-tanh-mean stationary-tanh-half-sum stationary-sigmoid stationary-tanh-mu0.2
slice-sol125 slice-line12 pca-path slice-pca basins-fig6a""".split()

# Figure base names: Python writes NAME.png and NAME.pdf; gnuplot writes the third name.
FIGURES = [
    ("train_fig2", "train_fig2_gnuplot"), ("train_fig3", "train_fig3_gnuplot"),
    ("train_fig4", "train_fig4_gnuplot"), ("train_fig5", "train_fig5_gnuplot"),
    ("slice-fig7", "slice-fig7-gnuplot"), ("slice-contact-sheet", "slice-contact-sheet-gnuplot"),
    ("slice-fig6-planes", None), ("slice-sol125", "slice-sol125-gnuplot"), ("slice-line12", None),
    ("slice-pca", None), ("basins-fig6a", "basins-fig6a-gnuplot"), ("fig6_trajectories", "fig6_trajectories_gnuplot"),
    ("entropy_fig8", "entropy_fig8_gp"), ("entropy_wl_vs_ss", "entropy_wl_vs_ss_gp"),
    ("entropy_beta", "entropy_beta_gp"), ("entropy_convergence", "entropy_convergence_gp"),
    ("entropy_residual", "entropy_residual_gp"),
    ("anneal_success", "anneal_success_gp"), ("anneal_cdf", "anneal_cdf_gp"),
    ("anneal_rescue_trace", "anneal_rescue_trace_gp"), ("anneal_hyperplanes", "anneal_hyperplanes_gp"),
    ("anneal_noise", "anneal_noise_gp"), ("anneal_init_law", "anneal_init_law_gp"),
    ("anneal_outcomes", "anneal_outcomes_gp"),
    ("stationary-tanh-paper-figure2", "stationary-tanh-paper-figure2-gnuplot"),
    ("stationary-sigmoid-figure2", "stationary-sigmoid-figure2-gnuplot"),
    ("stationary-discovery", "stationary-discovery-gnuplot"),
    ("stationary-tanh-paper-disconnectivity", "stationary-tanh-paper-disconnectivity-gnuplot"),
    ("stationary-sigmoid-disconnectivity", "stationary-sigmoid-disconnectivity-gnuplot"),
    ("stationary-tanh-paper-bifurcation", "stationary-tanh-paper-bifurcation-gnuplot"),
    ("stationary-tanh-mu0.2-bifurcation", "stationary-tanh-mu0.2-bifurcation-gnuplot"),
]

# The start of the first cell of the REPORT.md row of each claim the papers and issues make
# ("START … PART": the cell starts with START and contains PART).
CLAIMS = [
    "epoch at which L < 0.005", "solutions found have w1_11 = w1_12", "power-law exponent gamma … n_h = 2",
    "power-law exponent gamma … n_h = 18", "learning-rate interval of convergence", "Adam converges faster",
    "plateau of Fig 5",
    "Fig. 7: the mean over", "Fig. 7a", "Plateaus: L ~ 0.5", "Plateaus: L ~ 0.75",
    "Fig. 6: loss at the paper's trajectory start points",
    "(b1_1,b2_1) from Δ=(-7.4, 8.9)", "(b1_1,b2_1) from Δ=(15, -2)", "(w2_12,b1_2) from Δ=(12.5, -12.5)",
    "(w1_22,b1_1) from Δ=(-5, 10)", "(w1_22,b1_1) from Δ=(-3, 10)", "gradient flow reaches",
    "n_h = 1 has no states", "n_h >= 2 reaches zero loss", "S is largest around L = 0.5",
    "peaks of S at L = 0, 0.25, 0.75, 1.0", "minor peaks between", "Wang-Landau agrees with simple sampling",
    "agreement test WL vs simple sampling",
    "baseline success, 50 seeds", "every baseline failure at exactly 75 %", "EDA success, 50 seeds",
    "median convergence epoch baseline -> EDA, 50 seeds", "runs rescued by EDA, 50 seeds",
    "baseline success, large run", "EDA success, large run", "sweep: points where 58 %",
    "EDA against the constant-noise control", "EDA against the magnitude-only control",
    "EDA against the imbalance-only control", "EDA against the restart control",
    "EDA against the reflection control", "sigmoid 2-2-1 network",
    "sweep: highest eda success over the grid, replicated", "baseline success, article protocol",
    "EDA success, article protocol", "convergence time baseline -> EDA, article protocol",
    "EDA against constant noise matched in summed variance", "one factor at a time: initial law",
    "one factor at a time: learning rate", "one factor at a time: base noise",
    "equivalence classes of stationary points", "minima classes", "saddle classes", "maxima",
    "solutions (class sizes summed", "Table 2, minimum classes", "Table 2, saddle classes",
    "every class confirmed", "variant with output bias", "variant with the mean", "sigmoid 2-2-1 (dissecting paper",
    "connectivity, tanh 2-2-1", "connectivity, sigmoid 2-2-1", "disconnectivity graph, tanh 2-2-1",
    "disconnectivity graph, sigmoid 2-2-1", "bifurcation diagram: classes by index", "bifurcation diagram: folds",
    "bifurcation diagram: continuation from mu = 0.05 against a census at mu = 0.2",
    "Basins of attraction on Fig. 6(a)'s plane",
]


def main():
    out = sys.argv[1]
    problems = []
    for name in HDF5:
        path = os.path.join(out, name + ".h5")
        try:
            with h5py.File(path, "r") as f:
                if "tool" not in f.attrs or "command_line" not in f.attrs:
                    problems.append(f"{name}.h5 lacks provenance attributes")
        except OSError as error:
            problems.append(f"{name}.h5: {error}")
    for python, gnuplot in FIGURES:
        expected = [(python + ".png", b"\x89PNG"), (python + ".pdf", b"%PDF")]
        if gnuplot:
            expected.append((gnuplot + ".png", b"\x89PNG"))
        for name, magic in expected:
            path = os.path.join(out, "figures", name)
            if not os.path.exists(path):
                problems.append(f"figure {name} is missing")
                continue
            with open(path, "rb") as f:
                head = f.read(4)
            if head != magic or os.path.getsize(path) < 2000:
                problems.append(f"figure {name} is not a non-empty {magic[-3:].decode()} ({os.path.getsize(path)} bytes)")
    report = open(os.path.join(out, "REPORT.md")).read()
    if "(no rows" in report or "failed:" in report:
        problems.append("REPORT.md says a report script failed or found no files")
    rows = [line for line in report.splitlines() if line.startswith("| ") and not line.startswith("| claim")]
    for claim in CLAIMS:
        start, _, part = claim.partition(" … ")
        matching = [r for r in rows if r[2:].startswith(start) and part in r.split(" | ")[0]]
        if not matching:
            problems.append(f"REPORT.md has no row for the claim '{claim}'")
        elif any(not r.rstrip().rstrip("|").rsplit("|", 1)[-1].strip() for r in matching):
            problems.append(f"REPORT.md row for '{claim}' has no verdict")
    for p in problems:
        print("FAIL: " + p)
    print(f"pipeline_check: {len(HDF5)} files, {len(FIGURES)} figures, {len(CLAIMS)} claims, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
