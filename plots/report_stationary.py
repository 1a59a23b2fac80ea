#!/usr/bin/python3
"""Rows of REPORT.md for the stationary-point census (Coetzee & Stonick, "488 solutions to the
XOR problem"), read from the HDF5 files tools/reproduce.d/60-stationary.sh writes into OUT.

Usage: /usr/bin/python3 plots/report_stationary.py OUT
"""
import itertools
import os
import sys

import h5py
import numpy as np

from xorscape_plot import attribute, display_command, text

PAPER_TABLE2 = {  # classes classifying at least 25/50/75/100 % (Table 2 of the paper)
    "minimum": [17, 17, 4, 4],
    "saddle": [44, 44, 20, 0],
}


def row(claim, paper, ours, command, holds):
    cells = [str(c).replace("|", "\\|") for c in (claim, paper, ours, f"`{command}`", holds)]
    print("| " + " | ".join(cells) + " |")


def load(path):
    with h5py.File(path, "r") as f:
        s = f["summary"].attrs
        d = {k: s[k] for k in s}
        d["command"] = display_command(attribute(f, "command_line"), os.path.dirname(os.path.abspath(path)))
        d["at_least"] = f["summary/classes_classifying_at_least"][()]
        d["exactly"] = f["summary/classes_classifying_exactly"][()]
        d["discovery"] = f["discovery/classes_found"][()]
        d["loss"] = f["classes/loss"][()]
        d["index"] = f["classes/index"][()]
        d["classified"] = f["classes/classified_percent"][()]
        d["g_ext"] = f["classes/gradient_l1_extended"][()]
        d["g"] = f["classes/gradient_l1"][()]
        d["lam"] = f["classes/smallest_abs_eigenvalue"][()]
        d["dimension"] = int(f["problem"].attrs["dimension"])
        d["reduction"] = attribute(f["problem"], "reduction")
        d["probability"] = f["classes/probability"][()]
        d["orbit"] = f["classes/orbit_size"][()]
        d["morse_sum"] = int(s["morse_sum"]) if "morse_sum" in s else int(
            np.sum(d["orbit"] * np.where(d["index"] % 2 == 0, 1, -1)))
        d["completeness"] = attribute(f["summary"], "completeness") if "completeness" in s else "not recorded"
        d["degenerate"] = int(s["degenerate_classes"]) if "degenerate_classes" in s else int(np.sum(d["lam"] < 1e-6))
        d["at_least_half"] = (f["summary/classes_classifying_at_least_ties_half"][()]
                              if "summary/classes_classifying_at_least_ties_half" in f else None)
        d["last_new"] = int(s["last_new_class_trial"]) if "last_new_class_trial" in s else (
            int(np.argmax(d["discovery"] == d["discovery"][-1])) + 1 if len(d["discovery"]) else 0)
    return d


def full_symmetry_orbits(path):
    """Classes merged under the whole symmetry group of the tanh problem on xor-pm: the 8 hidden-unit
    symmetries times the 8 symmetries of the input square (exchanging the inputs, reflecting an
    input; a reflection flips the sign of the targets, compensated by the output weights' sign)."""
    with h5py.File(path, "r") as f:
        reps = f["classes/representative"][()]
        nh = int(f["problem"].attrs["n_hidden"])
    def images(p):
        for swap, r1, r2 in itertools.product((0, 1), (1, -1), (1, -1)):
            q = p.copy()
            for i in range(nh):
                a, b = (p[2 * i + 1], p[2 * i]) if swap else (p[2 * i], p[2 * i + 1])
                q[2 * i], q[2 * i + 1] = r1 * a, r2 * b
            q[3 * nh:] *= r1 * r2
            for perm in itertools.permutations(range(nh)):
                for mask in range(1 << nh):
                    h = q.copy()
                    for i, j in enumerate(perm):
                        sign = -1 if (mask >> i) & 1 else 1
                        for a, b in ((2 * i, 2 * j), (2 * i + 1, 2 * j + 1), (2 * nh + i, 2 * nh + j), (3 * nh + i, 3 * nh + j)):
                            h[a] = sign * q[b]
                    yield h
    orbit = [-1] * len(reps)
    count = 0
    for c in range(len(reps)):
        if orbit[c] >= 0:
            continue
        orbit[c] = count
        imgs = np.array(list(images(reps[c])))
        for e in range(c + 1, len(reps)):
            if orbit[e] < 0 and np.min(np.linalg.norm(imgs - reps[e], axis=1)) < 0.01:
                orbit[e] = count
        count += 1
    return count, orbit


def morse_rows(m, cmd):
    """The completeness check of the census and why the paper's 61 classes x 8 cannot be complete."""
    row("completeness: Morse sum sum(orbit size x (-1)^index) over all classes (1 for a complete census "
        "of a coercive Morse function; no degenerate class)", "not computed",
        f"{m['morse_sum']} ({m['completeness']}; {m['degenerate']} degenerate classes)", cmd,
        yes_no(m["morse_sum"] == 1 and m["completeness"] == "complete"))
    origin = [c for c in range(len(m["orbit"])) if m["orbit"][c] == 1]
    odd = int(np.sum(m["orbit"] % 8 != 0))
    row("61 classes x 8 = 488 points cannot be a complete census: with every orbit of size 8 the Morse "
        "sum is a multiple of 8, never 1; the origin is a stationary point of every reading "
        "(grad E = 0 there by symmetry) and its own one-point orbit",
        "61 classes, 488 = 61 x 8 solutions", f"{len(origin)} one-point orbit(s) (the origin), {odd} classes "
        f"with orbits other than 8; {m['solutions']} points, Morse sum {m['morse_sum']}", cmd,
        yes_no(m["morse_sum"] == 1 and len(origin) >= 1))


def yes_no(ok, partly=False):
    return "yes" if ok else ("partly" if partly else "no")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    main_file = os.path.join(out, "stationary-tanh-paper.h5")
    if not os.path.exists(main_file):
        return 0
    m = load(main_file)
    cmd = m["command"]
    n, last = int(m["trials"]), m["last_new"]
    sat = f"last new class at trial {last} of {n}"
    row("equivalence classes of stationary points (8-parameter net, summed error, mu = 0.05)", 61,
        f"{m['classes']} ({sat})", cmd, yes_no(m["classes"] == 61))
    row("minima classes", 17, f"{m['minima']}", cmd, yes_no(m["minima"] == 17))
    row("saddle classes", 44, f"{m['saddles']}", cmd, yes_no(m["saddles"] == 44))
    row("maxima", 0, f"{m['maxima']}", cmd, yes_no(m["maxima"] == 0))
    row("solutions (class sizes summed; the paper assumes 8 per class)", "488 (136 minima)",
        f"{m['solutions']} ({m['minimum_solutions']} minima; the origin is a class of one point)", cmd,
        yes_no(m["solutions"] == 488 and m["minimum_solutions"] == 136))
    morse_rows(m, cmd)
    # Table 2: columns 25, 50, 75, 100 % are indices 1..4 of classes_classifying_at_least; both
    # ways of scoring the origin (all four outputs exactly at the midpoint 0).
    tables = [("origin at 0 %: undecided outputs wrong", m["at_least"])]
    if m["at_least_half"] is not None:
        tables.append(("origin at 50 %: undecided outputs half right, as the paper must count it", m["at_least_half"]))
    for how, table in tables:
        for r, kind in enumerate(["minimum", "saddle"]):
            ours = [int(v) for v in table[r][1:]]
            paper = PAPER_TABLE2[kind]
            matches = sum(a == b for a, b in zip(ours, paper))
            row(f"Table 2, {kind} classes classifying >= 25/50/75/100 % ({how})", "/".join(map(str, paper)),
                "/".join(map(str, ours)), cmd, yes_no(matches == 4, matches >= 2))
    worst = float(np.max(m["g_ext"])) if len(m["g_ext"]) else float("nan")
    row("every class confirmed: ||grad E||_1 in long double after polishing; smallest |Hessian eigenvalue|",
        "< 1e-10; non-singular", f"max {worst:.1e}; min |lambda| {float(np.min(m['lam'])):.3g}", cmd,
        yes_no(worst < 1e-15 and float(np.min(m["lam"])) > 1e-6))
    orbits, orbit = full_symmetry_orbits(main_file)
    minima_orbits = len({orbit[c] for c in range(len(orbit)) if m["index"][c] == 0})
    row("classes merged under the full symmetry group of the problem (hidden units x symmetries of the input square, 64 elements; not used by the paper)",
        "not reported", f"{orbits} orbits ({minima_orbits} of minima, {orbits - minima_orbits} of saddles); distinct loss values "
        f"{len(np.unique(np.round(m['loss'], 6)))}", cmd, "n/a")
    for name, what in [("stationary-tanh-output-bias", "with output bias (9 parameters)"),
                       ("stationary-tanh-mean", "with the mean instead of the summed error"),
                       ("stationary-tanh-half-sum", "with half the summed error")]:
        path = os.path.join(out, name + ".h5")
        if not os.path.exists(path):
            continue
        v = load(path)
        t2 = "; Table 2 minima " + "/".join(str(int(x)) for x in v["at_least"][0][1:]) + \
             ", saddles " + "/".join(str(int(x)) for x in v["at_least"][1][1:])
        row(f"variant {what}: classes (minima + saddles)", "61 (17 + 44); Table 2 4/20 at 75 %, 4/0 at 100 %",
            f"{v['classes']} ({v['minima']} + {v['saddles']}){t2}; last new class at trial {v['last_new']} of {int(v['trials'])}; "
            f"Morse sum {v['morse_sum']} ({v['completeness']})",
            v["command"], "no")
    matching = []
    for name, what in [("stationary-tanh-paper", "summed error"), ("stationary-tanh-output-bias", "output bias"),
                       ("stationary-tanh-mean", "mean error"), ("stationary-tanh-half-sum", "half-sum error")]:
        path = os.path.join(out, name + ".h5")
        if os.path.exists(path):
            v = load(path)
            cols = [int(v["at_least"][r][k]) for r in (0, 1) for k in (3, 4)]
            matching.append(f"{what}: {cols[0]}/{cols[1]} minima, {cols[2]}/{cols[3]} saddles"
                            + (" (matches)" if cols == [4, 4, 20, 0] else ""))
    row("which reading matches Table 2's 75 % and 100 % columns (minima 4/4, saddles 20/0)", "4/4, 20/0",
        "; ".join(matching), cmd, yes_no(any("matches" in x for x in matching)))
    path = os.path.join(out, "stationary-sigmoid.h5")
    if os.path.exists(path):
        s = load(path)
        levels = lambda mask: ", ".join(f"{x:.3f}" for x in np.unique(np.round(s["loss"][mask], 3)))
        row("sigmoid 2-2-1 (dissecting paper, mean L, mu = 1e-4): loss levels of minima",
            "plateaus/trenches at L = 0.25, 0.5 (cross-sections)", levels(s["index"] == 0), s["command"], "partly")
        near = np.abs(s["loss"] - 0.25) < 0.01
        row("sigmoid 2-2-1: saddles at the L = 0.25 plateau (|L - 0.25| < 0.01) / all saddles",
            "plateau at L = 0.25", f"{int(np.sum(near & (s['index'] > 0)))} / {int(np.sum(s['index'] > 0))}; "
            f"saddle levels {levels(s['index'] > 0)}", s["command"], "partly")
    connectivity_rows(out)
    continuation_rows(out)
    return 0


def connectivity_rows(out):
    """Rows for the connectivity graphs (--connect yes) of the tanh paper census and the sigmoid one."""
    for name, what in (("stationary-tanh-paper", "tanh 2-2-1 (paper's problem)"),
                       ("stationary-sigmoid", "sigmoid 2-2-1 (dissecting paper, mu = 1e-4)")):
        path = os.path.join(out, name + ".h5")
        if not os.path.exists(path):
            continue
        with h5py.File(path, "r") as f:
            if "connectivity" not in f:
                continue
            g = f["connectivity"]
            ends = g["end_node"][()]
            census_minima = int(g.attrs["census_minima"])
            outside, unconverged = int(g.attrs["ends_outside_census"]), int(g.attrs["unconverged"])
            barrier = g["barrier"][()]
            energy = g["node_energy"][()]
            saddle_energy = g["saddle_energy"][()]
            completeness = attribute(f["summary"], "completeness")
            command = display_command(attribute(f, "command_line"), os.path.dirname(os.path.abspath(path)))
        n = len(saddle_energy)
        joined = ends[(ends[:, 0] >= 0) & (ends[:, 1] >= 0)]
        distinct = int(np.sum(joined[:, 0] != joined[:, 1]))
        row(f"connectivity, {what}: every index-1 saddle's two steepest descents end at census minima",
            "(issue 12: descend along +/- the unstable eigenvector)",
            f"{n} saddle classes, {2 * n} descents: {2 * n - outside - unconverged} at census minima, {outside} elsewhere, "
            f"{unconverged} unconverged; {distinct} saddles join two different minimum classes, {n - distinct} a class to "
            f"itself; barriers {np.nanmin(barrier):.4g} to {np.nanmax(barrier):.4g} (census {completeness})",
            command, yes_no(outside == 0 and unconverged == 0, partly=unconverged == 0))
        # Kruskal over the saddles by energy: the energy at which all basins reached have merged.
        parent = list(range(len(energy)))

        def find(x):
            while parent[x] != x:
                x = parent[x]
            return x
        merged_at = None
        components = len(energy)
        for e, (a, b) in sorted(zip(saddle_energy, ends.tolist())):
            if a < 0 or b < 0 or find(a) == find(b):
                continue
            parent[find(b)] = find(a)
            components -= 1
            merged_at = e
        lowest = int(np.argmin(energy))
        row(f"disconnectivity graph, {what}: basins merging as E rises",
            "(Wales: one tree when the graph is connected)",
            f"{len(energy)} minima ({census_minima} from the census), lowest E = {energy[lowest]:.6g}; "
            f"{components} component(s)" + (f", all merged by E = {merged_at:.6g}" if components == 1 and merged_at else ""),
            command, yes_no(components == 1, partly=True))


def continuation_rows(out):
    """Rows for the bifurcation diagram (--continue-mu) of the paper's problem, and the check against
    a census made at mu = 0.2."""
    path = os.path.join(out, "stationary-tanh-paper.h5")
    if not os.path.exists(path):
        return
    with h5py.File(path, "r") as f:
        if "continuation" not in f:
            return
        c = f["continuation"]
        mu, counts, total = c["mu"][()], c["counts"][()], c["total"][()]
        alive, index = c["alive"][()], c["branch_index"][()]
        fold, end, smallest = c["fold"][()], c["end_mu"][()], c["end_smallest_abs_eigenvalue"][()]
        orbit = f["classes/orbit_size"][()]
        command = display_command(attribute(f, "command_line"), os.path.dirname(os.path.abspath(path)))
    morse = (alive * orbit[:, None] * np.where(index % 2 == 0, 1, -1)).sum(axis=0)
    picks = sorted({0, len(mu) // 4, len(mu) // 2, 3 * len(mu) // 4, len(mu) - 1})
    cells = "; ".join(f"mu = {mu[g]:.3g}: {total[g]} ({'/'.join(str(int(x)) for x in counts[g][:3])})" for g in picks)
    row("bifurcation diagram: classes by index (minima/index 1/index 2) against mu, the paper's census followed "
        "in mu", "(issue 12: mu from 0.001 to 0.2)", cells + f"; Morse sum over the branches {int(morse.min())}..{int(morse.max())}",
        command, yes_no(bool(np.all(morse == 1)), partly=True))
    ends = end[fold == 1]
    values = ", ".join(f"{m:.4g} ({int(np.sum(np.isclose(ends, m, rtol=1e-6)))} branch ends)" for m in np.unique(np.round(ends, 6)))
    row("bifurcation diagram: folds (branches ending inside the range; smallest |eigenvalue| at the end)",
        "(classes born or annihilated in pairs)",
        (values or "none") + (f"; smallest |eigenvalue| at the ends <= {np.max(smallest[fold == 1]):.2g}" if ends.size else ""),
        command, yes_no(ends.size == 0 or bool(np.max(smallest[fold == 1]) < 1e-3), partly=True))
    other = os.path.join(out, "stationary-tanh-mu0.2.h5")
    if os.path.exists(other):
        with h5py.File(other, "r") as f:
            s = {k: v for k, v in f["summary"].attrs.items()}
            census_counts = f"{int(s['classes'])} ({int(s['minima'])} minima, {int(s['saddles'])} saddles; {text(s['completeness'])}, Morse sum {int(s['morse_sum'])})"
            other_command = display_command(attribute(f, "command_line"), os.path.dirname(os.path.abspath(other)))
        at = int(np.argmin(np.abs(mu - 0.2)))
        same = abs(mu[at] - 0.2) < 1e-9 and int(total[at]) == int(s["classes"])
        row("bifurcation diagram: continuation from mu = 0.05 against a census at mu = 0.2",
            "(a class born between would show as a difference)",
            f"continued: {int(total[at])} classes at mu = {mu[at]:.3g} ({counts[at][0]} minima); census: {census_counts}",
            other_command, yes_no(same, partly=False))


if __name__ == "__main__":
    sys.exit(main())
