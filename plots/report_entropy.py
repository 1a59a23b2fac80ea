#!/usr/bin/python3
"""Rows of REPORT.md for the entropy step (dissecting paper, section 3.4 / Figure 8), read from
OUT/entropy/*.h5 written by tools/reproduce.d/40-entropy.sh. Usage: report_entropy.py OUT"""
import glob
import os
import re
import sys

import h5py
import numpy as np
from xorscape_plot import attribute, display_command

QUARTERS = (0.0, 0.25, 0.5, 0.75, 1.0)
OUT = "."  # the output folder: file paths in commands are shown relative to it


def command(f):
    """The command that wrote f as a reader types it, up to its output option."""
    line = display_command(attribute(f, "command_line"), OUT)
    return "`" + line.split(" -o ")[0].replace("|", "\\|") + "`"


def peak_at(L, S, x, near=0.012, far=0.05):
    """S has a local peak at x: its largest value within +-near of x exceeds its values at
    distance `far` on each side that exists (one side at the ends of the range)."""
    inner = np.abs(L - x) <= near
    if not inner.any():
        return None
    top = S[inner].max()
    sides = []
    for side in (x - far, x + far):
        if L[0] - 1e-9 <= side <= L[-1] + 1e-9:
            sides.append(np.interp(side, L, S))
    return bool(sides) and all(top > s for s in sides)


def minor_peaks(f):
    """Maxima of the smoothed S farther than 0.03 from every multiple of 1/4."""
    if "analysis/features/kind" not in f:
        return 0
    kinds = f["analysis/features/kind"].asstr()[:]
    where = f["analysis/features/loss"][:]
    return int(sum(1 for k, x in zip(kinds, where) if k == "S_maximum" and min(abs(x - q) for q in QUARTERS) > 0.03))


def minor_jump(f):
    """Largest |S(L_i+1) - S(L_i)| between neighbouring bins both farther than 0.01 from every k/4."""
    L, S = f["entropy/loss"][:], f["entropy/S"][:]
    away = np.array([min(abs(x - q) for q in QUARTERS) > 0.01 for x in L])
    ok = away[:-1] & away[1:]
    return float(np.max(np.abs(np.diff(S))[ok])) if ok.any() else 0.0


def main():
    global OUT
    out = OUT = sys.argv[1]
    files = {}
    for path in glob.glob(os.path.join(out, "entropy", "wanglandau_nh*.h5")):
        m = re.search(r"wanglandau_nh(\d+)(_box([0-9.]+))?\.h5$", path)
        if m:
            files[(int(m.group(1)), m.group(3))] = h5py.File(path, "r")
    main_runs = {n: f for (n, box), f in files.items() if box is None}
    rows = []
    if 1 in main_runs:
        f = main_runs[1]
        lo = float(f.attrs["lowest_loss"])
        rows.append(("n_h = 1 has no states near zero loss (lowest reachable L)", "no zero-loss states",
                     f"lowest L = {lo:.4f} (infimum for one monotone hidden unit: 1/6 = 0.1667); box R = {f.attrs['box_upper'][0]:g}",
                     command(f), "yes" if lo > 0.1 else "no"))
    big = sorted(n for n in main_runs if n >= 2)
    if big:
        lows = {n: float(main_runs[n].attrs["lowest_loss"]) for n in big}
        width = float(np.diff(main_runs[big[0]]["bins/edges"][:2])[0])
        ok = all(v < width for v in lows.values())
        rows.append(("n_h >= 2 reaches zero loss", "zero-loss states exist",
                     "lowest L: " + ", ".join(f"n_h={n}: {v:.1e}" for n, v in lows.items()) + f" (first bin ends at {width:g})",
                     command(main_runs[big[0]]), "yes" if ok else "no"))
    argmax = {}
    peaks = {}
    for n, f in sorted(main_runs.items()):
        L, S = f["entropy/loss"][:], f["entropy/S"][:]
        argmax[n] = L[np.argmax(S)]
        peaks[n] = {q: peak_at(L, S, q) for q in (0.0, 0.25, 0.75, 1.0)}
    if argmax:
        ok = all(abs(v - 0.5) < 0.02 for v in argmax.values())
        any_f = next(iter(main_runs.values()))
        rows.append(("S is largest around L = 0.5", "maximum at L = 0.5",
                     "argmax S: " + ", ".join(f"n_h={n}: {v:.3f}" for n, v in sorted(argmax.items())),
                     command(any_f), "yes" if ok else "no"))
        text = []
        count_yes = 0
        total = 0
        for n in sorted(peaks):
            marks = []
            for q, v in peaks[n].items():
                if v is None:
                    marks.append(f"{q:g}:out of range")
                else:
                    marks.append(f"{q:g}:{'peak' if v else 'none'}")
                    total += 1
                    count_yes += bool(v)
            text.append(f"n_h={n} [" + " ".join(marks) + "]")
        holds = "yes" if count_yes == total else ("partly" if count_yes > 0 else "no")
        rows.append(("peaks of S at L = 0, 0.25, 0.75, 1.0", "peaks at 0, 0.25, 0.75 and 1.0",
                     "; ".join(text) + f" (local maximum within 0.012 above S at +-0.05; {count_yes}/{total})",
                     command(any_f), holds))
        minors = {n: minor_peaks(f) for n, f in sorted(main_runs.items())}
        jumps = {n: minor_jump(f) for n, f in sorted(main_runs.items())}
        ns = sorted(n for n in jumps if n >= 2)
        fade = len(ns) > 1 and jumps[ns[-1]] < 0.5 * jumps[ns[0]]
        monotone = all(jumps[a] >= jumps[b] - 0.05 for a, b in zip(ns, ns[1:]))
        rows.append(("minor peaks between the quarter values fade as n_h grows", "fewer minor peaks for larger n_h",
                     "largest jump of S between neighbouring bins farther than 0.01 from every k/4 (the minor steps at "
                     "L = 1/8, 1/6, 3/8): " + ", ".join(f"n_h={n}: {v:.2f}" for n, v in jumps.items())
                     + "; maxima of smoothed S farther than 0.03 from k/4 (noise-sensitive): "
                     + ", ".join(f"n_h={n}: {v}" for n, v in minors.items()),
                     command(any_f), "yes" if monotone and fade else ("partly" if fade else "no")))
    # Wang-Landau against simple sampling, n_h = 2, bin by bin.
    ss_path = os.path.join(out, "entropy", "simplesample_nh2.h5")
    if 2 in main_runs and os.path.exists(ss_path):
        f, s = main_runs[2], h5py.File(ss_path, "r")
        if np.array_equal(f["bins/edges"][:], s["bins/edges"][:]):
            L, S, sd = f["entropy/loss"][:], f["entropy/S"][:], f["entropy/S_std"][:]
            Ls, Ss, es = s["entropy/loss"][:], s["entropy/S"][:], s["entropy/S_error"][:]
            good = es < 0.05
            idx = np.clip(np.searchsorted(L, Ls[good]), 0, len(L) - 1)
            hit = np.isclose(L[idx], Ls[good], atol=1e-12)
            diff = (S[idx] - Ss[good])[hit]
            sigma = np.sqrt(sd[idx][hit] ** 2 + es[good][hit] ** 2)
            z = np.abs(diff) / np.where(sigma > 0, sigma, np.inf)
            within = float(np.mean(z < 2.0)) if len(z) else 0.0
            rows.append(("Wang-Landau agrees with simple sampling (n_h = 2)", "results confirmed by WL + multicanonical",
                         f"{len(z)} bins with simple-sampling error < 0.05: largest abs(dS) = {np.max(np.abs(diff)):.3f}, "
                         f"median abs(dS)/sigma = {np.median(z):.2f}, {100 * within:.0f}% within 2 sigma",
                         command(f) + " vs " + command(s), "yes" if within > 0.9 else ("partly" if within > 0.6 else "no")))
    # The stored agreement test (xorscape-wanglandau --compare): issue 13's goal.
    if 2 in main_runs and "comparison" in main_runs[2]:
        f = main_runs[2]
        a = f["comparison"].attrs
        chi2, within = float(a["chi2_per_dof"]), float(a["within_2_sigma"])
        rows.append(("agreement test WL vs simple sampling (n_h = 2, --compare)",
                     "issue 13: chi2/dof in [0.7, 1.5] and >= 93 % within 2 sigma",
                     f"chi2/dof = {chi2:.2f}, {100 * within:.1f} % within 2 sigma over {int(a['compared_bins'])} bins "
                     f"(simple-sampling error of S <= {float(a['precision_cut']):g}; {int(f.attrs['runs'])} runs, "
                     f"WL standard error with its variance pooled over +-{int(a['pooling'])} bins); mean residual "
                     f"{float(a['mean_residual']):+.3f}",
                     command(f), "yes" if 0.7 <= chi2 <= 1.5 and within >= 0.93 else "no"))
    boxes = sorted(((float(b), f) for (n, b), f in files.items() if n == 2 and b is not None))
    if boxes and 2 in main_runs:
        boxes.append((float(main_runs[2].attrs["box_upper"][0]), main_runs[2]))
        text = []
        for R, f in sorted(boxes, key=lambda t: t[0]):
            L, S = f["entropy/loss"][:], f["entropy/S"][:]
            flags = " ".join(f"{q:g}:{'peak' if peak_at(L, S, q) else 'none'}" for q in (0.0, 0.25, 0.75, 1.0)
                             if peak_at(L, S, q) is not None)
            text.append(f"R={R:g}: lowest L {float(f.attrs['lowest_loss']):.1e}, S(L_lowest bin)-S(0.5) = "
                        f"{S[0] - S[np.argmin(np.abs(L - 0.5))]:.1f}, S(0.75)-S(0.5) = "
                        f"{S[np.argmin(np.abs(L - 0.75))] - S[np.argmin(np.abs(L - 0.5))]:.1f}, [{flags}]")
        rows.append(("shape depends on the box (n_h = 2)", "box not stated", "; ".join(text), command(boxes[0][1]), "n/a"))
    for n, f in sorted(main_runs.items()):
        rows.append((f"Wang-Landau cost, n_h = {n}", "-", f"{int(f.attrs['total_steps']):.3g} steps in {float(f.attrs['wall_seconds']):.1f} s "
                     f"({float(f.attrs['steps_per_second']):.3g} steps/s, {int(f.attrs['threads'])} threads, ln f -> {float(f.attrs['ln_f_final']):g}, converged={int(f.attrs['converged'])})",
                     command(f), "-"))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
