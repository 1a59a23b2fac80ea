#!/usr/bin/python3
"""Rows of the reproduction report for the training dynamics (dissecting paper, sections
3.1-3.2, Figures 2-5), read from the HDF5 files of tools/reproduce.d/10-train.sh.
Usage: report_train.py OUT"""
import os
import sys

import h5py
import numpy as np
from xorscape_plot import display_command, text


def command(f, out):
    """The command that made file f, as a reader would type it in the output folder `out`."""
    return "`" + display_command(text(f.attrs["command_line"]), out) + "`"


def row(claim, paper, ours, cmd, holds):
    print(f"| {claim} | {paper} | {ours} | {cmd} | {holds} |")


def main(out):
    path = lambda name: os.path.join(out, name)  # noqa: E731
    if os.path.exists(path("train_seeds.h5")):
        with h5py.File(path("train_seeds.h5"), "r") as f:
            r = f["runs"]
            conv = r["converged_epoch"][()]
            ok = conv[conv >= 0]
            n = len(conv)
            if len(ok):
                med = np.median(ok)
                ours = (f"median {med:.0f}, range [{ok.min()}, {ok.max()}] ({len(ok)} of {n} seeds converged "
                        f"within {int(f.attrs['max_epochs'])} epochs)")
                holds = "yes" if 35000 <= med <= 140000 else "no"
            else:
                ours, holds = f"no seed of {n} converged", "no"
            row("epoch at which L < 0.005, n_h = 2, eta = 0.1, randomized batches, v = 0.1 r", "about 70 000",
                ours, command(f, out), holds)
            p = r["final_parameters"][()][conv >= 0]
            # Solution 1 has w1_11 = w1_12 and w1_21 = w1_22 (each hidden neuron weighs both inputs equally).
            sym = (np.abs(p[:, 0] - p[:, 1]) < 0.05 * np.abs(p[:, 0])) & (np.abs(p[:, 2] - p[:, 3]) < 0.05 * np.abs(p[:, 2]))
            worst = np.max(np.maximum(np.abs(p[:, 0] - p[:, 1]), np.abs(p[:, 2] - p[:, 3]))) if len(p) else float("nan")
            row("solutions found have w1_11 = w1_12 and w1_21 = w1_22 (like solution 1)",
                "pairs indistinguishable (Fig 3)",
                f"{int(sym.sum())} of {len(p)} converged seeds within 5 %; largest abs(w1_i1 - w1_i2) = {worst:.3f}",
                command(f, out), "yes" if len(p) and sym.all() else ("partly" if sym.any() else "no"))
    gammas = {}
    for name, nh in (("train_gamma.h5", 2), ("train_fig2_nh2.h5", 2), ("train_fig2_nh18.h5", 18)):
        if not os.path.exists(path(name)):
            continue
        with h5py.File(path(name), "r") as f:
            r = f["runs"]
            good = r["fit_ok"][()] == 1
            g = r["gamma"][()][good]
            err = r["gamma_error"][()][good]
            early, late = r["gamma_early"][()][good], r["gamma_late"][()][good]
            etas = r["eta"][()][good]
            gammas.setdefault(nh, []).append((name, g, etas))
            if not len(g):
                row(f"power-law exponent gamma, n_h = {nh} ({name})", "1.0" if nh == 2 else "1.2",
                    "no run reached the fit window (10 x the drop epoch)", command(f, out), "no")
                continue
            paper = 1.0 if nh == 2 else 1.2
            if name == "train_gamma.h5":
                ours = (f"{np.mean(g):.3f} +- {np.std(g, ddof=1) if len(g) > 1 else 0:.3f} (mean +- sd over {len(g)} "
                        f"seeds, eta = 0.1; within-window drift: early {np.mean(early):.3f}, late {np.mean(late):.3f})")
            else:
                ours = "; ".join(f"eta {e:g}: {x:.3f} +- {s:.3f} (early {a:.2f}, late {b:.2f})"
                                 for e, x, s, a, b in zip(etas, g, err, early, late))
            spread = np.max(np.abs(g - paper))
            holds = "yes" if spread <= 0.1 else ("partly" if spread <= 0.2 else "no")
            row(f"power-law exponent gamma of L ~ tau^-gamma, n_h = {nh}", f"about {paper}", ours, command(f, out), holds)
    if 2 in gammas:
        values = [(e, x) for _, g, etas in gammas[2] for e, x in zip(etas, g)]
        by_eta = {}
        for e, x in values:
            by_eta.setdefault(round(float(e), 6), []).append(x)
        if len(by_eta) > 1:
            means = {e: np.mean(v) for e, v in by_eta.items()}
            span = max(means.values()) - min(means.values())
            row("gamma does not depend on the learning rate (n_h = 2)", "independent of eta",
                ", ".join(f"eta {e:g}: {m:.3f}" for e, m in sorted(means.items())) + f" (spread {span:.3f})",
                "train_fig2_nh2.h5 and train_gamma.h5 (see rows above)", "yes" if span < 0.1 else "partly")
    if os.path.exists(path("train_sweep.h5")):
        with h5py.File(path("train_sweep.h5"), "r") as f:
            s = f["sweep"]
            eta, frac = s["eta"][()], s["converged_fraction"][()]
            budget = int(s.attrs["epoch_budget"])
            seeds = s["converged_epoch"].shape[1]
            any_conv = eta[frac > 0]
            all_conv = eta[frac == 1]
            if len(any_conv):
                ours = (f"some seed converges for eta in [{any_conv.min():.4g}, {any_conv.max():.4g}], every seed for "
                        + (f"[{all_conv.min():.4g}, {all_conv.max():.4g}]" if len(all_conv) else "no eta")
                        + f" ({len(eta)} log-spaced eta in [{eta.min():.3g}, {eta.max():.3g}], {seeds} seeds, "
                        f"{budget} epochs)")
                # Convergence takes about 7000 / eta epochs, so the lower end scales with the budget.
                holds = "partly"
            else:
                ours, holds = "no learning rate converged", "no"
            row("learning-rate interval of convergence (n_h = 2)", "[0.002, 17.484] within 5 000 000 epochs",
                ours, command(f, out), holds)
    if os.path.exists(path("train_adam.h5")) and os.path.exists(path("train_seeds.h5")):
        parts = []
        cmds = []
        for name, label in (("train_seeds.h5", "sgd eta 0.1"), ("train_gd.h5", "gd eta 0.1"),
                            ("train_adam.h5", "adam eta 0.01")):
            if not os.path.exists(path(name)):
                continue
            with h5py.File(path(name), "r") as f:
                conv = f["runs/converged_epoch"][()]
                ok = conv[conv >= 0]
                parts.append(f"{label}: median {np.median(ok):.0f} ({len(ok)}/{len(conv)} converged)" if len(ok)
                             else f"{label}: none of {len(conv)} converged")
                cmds.append(command(f, out))
        with h5py.File(path("train_adam.h5"), "r") as fa, h5py.File(path("train_seeds.h5"), "r") as fs:
            a, s = fa["runs/converged_epoch"][()], fs["runs/converged_epoch"][()]
            n = min(len(a), len(s))
            faster = int(np.sum((a[:n] >= 0) & ((s[:n] < 0) | (a[:n] < s[:n]))))
        row("Adam converges faster than gradient descent (same seeds)", "much faster",
            "; ".join(parts) + f"; Adam faster on {faster} of {n} seeds", "<br>".join(cmds),
            "yes" if faster == n else ("partly" if faster else "no"))
    for plateau_file in ("train_converge.h5", "train_plateau.h5"):
        if not os.path.exists(path(plateau_file)):
            continue
        with h5py.File(path(plateau_file), "r") as f:
            names = [text(x) for x in f["parameter"][()]]
            shift, tau = f["shift"][()], f["tau_conv"][()]
            step = shift[1] - shift[0]
            zero = int(np.argmin(np.abs(shift)))
            cells = []
            verdicts = []
            for name, paper in (("w1_11", 2.2), ("w1_12", 2.2), ("w2_11", 1.6)):
                if name not in names:
                    continue
                k = names.index(name)
                same = tau[k] == tau[k][zero]
                i = zero
                while i + 1 < len(shift) and same[i + 1]:
                    i += 1
                edge = shift[i]
                cells.append(f"{name}: unchanged up to Delta = {edge:g} (next grid point {shift[min(i + 1, len(shift) - 1)]:g})")
                verdicts.append(abs(edge - paper) <= max(2 * step, 0.15) + 1e-9)
            row("plateau of Fig 5: positive shifts that leave convergence unchanged",
                "Delta w1_11 < 2.2, Delta w1_12 < 2.2, Delta w2_11 < 1.6",
                "; ".join(cells) + f" (grid step {step:g}, {int(f.attrs['runs'])} runs per shift)", command(f, out),
                "yes" if verdicts and all(verdicts) else ("partly" if any(verdicts) else "no"))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: report_train.py OUT_FOLDER", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
