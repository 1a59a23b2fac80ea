#!/usr/bin/python3
"""Rows of REPORT.md for the Error-Driven Annealing claims, read from the xorscape-anneal
files in OUT (written by tools/reproduce.d/50-anneal.sh).

Usage: /usr/bin/python3 plots/report_anneal.py OUT
Prints markdown rows `| claim | paper | ours | command | holds? |`.
"""
import glob
import os
import sys

from anneal_common import arms as arms_of
from anneal_common import settings
from xorscape_plot import attribute, display_command, h5py, np


def cmd(f, out):
    """The file's command as a reader types it (no build folder, paths relative to OUT)."""
    return "`" + display_command(attribute(f, "command_line"), out).replace("|", "\\|") + "`"


def stat(f, arm, point=0):
    a = arms_of(f).index(arm)
    s = f["summary"]
    return {k: s[k][point, a] for k in s if k not in ("convergence_cdf", "accuracy_histogram",
                                                       "accuracy_histogram_table")}, \
        s["accuracy_histogram"][point, a]


def rate(st):
    return "{:.0f}/{:.0f} = {:.1f} % [{:.1f}, {:.1f}]".format(st["successes"], st["runs"], 100 * st["success_rate"],
                                                             100 * st["wilson_lo"], 100 * st["wilson_hi"])


def inside(value, st):
    return st["wilson_lo"] <= value <= st["wilson_hi"]


def mcnemar(b, c):
    """Exact two-sided McNemar p-value for discordant counts b and c (integer arithmetic)."""
    n, k = b + c, min(b, c)
    if n == 0:
        return 1.0
    from fractions import Fraction
    from math import comb
    tail = Fraction(sum(comb(n, i) for i in range(k + 1)), 2 ** n)
    return float(min(Fraction(1), 2 * tail))


def row(*cells):
    print("| " + " | ".join(str(c) for c in cells) + " |")


def article_rows(path, label, out):
    with h5py.File(path, "r") as f:
        b, bh = stat(f, "baseline")
        e, _ = stat(f, "eda")
        c = cmd(f, out)
        n = int(b["runs"])
        row("baseline success, {} ({})".format(label, settings(f, 0)), "58 % (29/50)", rate(b), c,
            "yes" if inside(0.58, b) else "no")
        fails = b["runs"] - b["successes"]
        one_dead = b["failures_one_dead_at_75"]
        a = arms_of(f).index("baseline")
        kind, acc = f["runs/failure_kind"][0, a, :], f["runs/accuracy"][0, a, :]
        flat = int(((kind == 2) & (acc == 0.5)).sum())
        row("every baseline failure at exactly 75 % with one dead point, {}".format(label), "all failures",
            "{:.0f} of {:.0f} failures; {} failures at 50 % without a dead point (one unit dead everywhere, "
            "output 0.5 on all four cases: uniform loss, I = 0); histogram 0/25/50/75/100 %: {}".format(
                one_dead, fails, flat, "/".join(str(int(v)) for v in bh)),
            c, "yes" if fails > 0 and one_dead == fails else ("partly" if one_dead >= fails / 2 else "no"))
        row("EDA success, {}".format(label), "98 % (49/50)", rate(e), c, "yes" if inside(0.98, e) else "no")
        bm, em = b["convergence_median"], e["convergence_median"]
        close = bm > 0 and em > 0 and 123 / 1.5 <= bm <= 123 * 1.5 and 181 / 1.5 <= em <= 181 * 1.5
        row("median convergence epoch baseline -> EDA, {}".format(label), "123 -> 181",
            "{:.0f} -> {:.0f} (quartiles {:.0f}-{:.0f} and {:.0f}-{:.0f})".format(
                bm, em, b["convergence_q25"], b["convergence_q75"], e["convergence_q25"], e["convergence_q75"]),
            c, "yes" if close and em > bm else ("partly" if em > bm else "no"))
        scaled = 20 * n / 50
        row("runs rescued by EDA, {}".format(label), "20 of 50" + (" (= {:.0f} of {})".format(scaled, n) if n != 50 else ""),
            "{:.0f} rescued, {:.0f} broken, exact McNemar p = {:.3g}".format(e["rescued"], e["broken"], e["mcnemar_p"]),
            c, "yes" if abs(e["rescued"] - scaled) <= 2 * np.sqrt(max(scaled, 1)) else "no")


def protocol_of(f):
    return "{} protocol".format(attribute(f, "protocol", "default"))


def replication_row(f, out):
    """The sweep's best point, only with its replication on fresh seeds and the number of points searched."""
    if "replication" not in f:
        return
    g = f["replication"]
    arms = arms_of(f)
    e = arms.index(attribute(g, "best_arm"))
    best = int(g.attrs["best_point"])
    lo, hi, r = g["wilson_lo"][e], g["wilson_hi"][e], g["success_rate"][e]
    row("sweep: highest {} success over the grid, replicated".format(arms[e]), "98 %",
        "{:.1f} % in the sweep ({:.0f} seeds) at {}, the maximum of {} points; on {} fresh seeds (stream {}): "
        "{:.0f}/{:.0f} = {:.1f} % [{:.1f}, {:.1f}]".format(
            100 * g["sweep_success_rate"][e], f["summary/runs"][best, e], settings(f, best), int(g.attrs["points_searched"]),
            int(g.attrs["seeds"]), int(g.attrs["stream"]), g["successes"][e], g["runs"][e], 100 * r, 100 * lo, 100 * hi),
        cmd(f, out), "yes" if lo <= 0.98 <= hi else "no")


def binomial_tail(k, n, p):
    """P(X >= k) when k/n is above p, else P(X <= k), for X ~ Binomial(n, p): how favourable a draw k of n is."""
    from math import comb
    pmf = [comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(n + 1)]
    return sum(pmf[k:]) if k / n >= p else sum(pmf[:k + 1])


def protocol_rows(out):
    """The article's protocol: rates with Wilson intervals, how likely the article's draws are under them,
    both convergence times, the trap, and the three unstated choices one at a time."""
    path = os.path.join(out, "anneal-article.h5")
    if not os.path.exists(path):
        return
    with h5py.File(path, "r") as f:
        c = cmd(f, out)
        b, bh = stat(f, "baseline")
        e, eh = stat(f, "eda")
        pb, pe = binomial_tail(29, 50, b["success_rate"]), binomial_tail(49, 50, e["success_rate"])
        row("baseline success, article protocol (the author's code)", "58 % (29/50)",
            "{}; P(29 or more of 50 | {:.1f} %) = {:.3f}".format(rate(b), 100 * b["success_rate"], pb), c,
            "yes" if inside(0.58, b) else ("consistent with 50 runs" if pb >= 0.025 else "no"))
        row("EDA success, article protocol", "98 % (49/50)",
            "{}; P(49 or more of 50 | {:.1f} %) = {:.3f}; {:.0f} rescued / {:.0f} broken, McNemar p = {:.3g}".format(
                rate(e), 100 * e["success_rate"], pe, e["rescued"], e["broken"], e["mcnemar_p"]), c,
            "yes" if inside(0.98, e) else ("consistent with 50 runs" if pe >= 0.025 else "no"))
        row("convergence time baseline -> EDA, article protocol", "123 -> 181",
            "median epochs run over all runs (the author's definition): {:.0f} -> {:.0f}; median convergence epoch "
            "among successes (ours): {:.0f} -> {:.0f}".format(b["epochs_run_median"], e["epochs_run_median"],
                                                              b["convergence_median"], e["convergence_median"]),
            c, "yes" if e["epochs_run_median"] > b["epochs_run_median"] else "no")
        row("baseline failures end at 75 % (one dead point), not in the uniform-loss trap, article protocol",
            "failures at 75 % with a dead point",
            "histogram 0/25/50/75/100 %: baseline {}, EDA {}; trapped at the cut (every output within {:g}): baseline "
            "{:.0f}, EDA {:.0f}".format("/".join(str(int(v)) for v in bh), "/".join(str(int(v)) for v in eh),
                                       f.attrs["trap_tolerance"], b["trapped"], e["trapped"]),
            c, "yes" if b["trapped"] <= 0.01 * b["runs"] else "no")
        article = (b["success_rate"], e["success_rate"])
    path = os.path.join(out, "anneal-article-variance.h5")
    if os.path.exists(path):
        with h5py.File(path, "r") as f:
            e, _ = stat(f, "eda")
            k, _ = stat(f, "constant-noise")
            row("EDA against constant noise matched in summed variance (article protocol)",
                "(article: noise must be targeted)",
                "EDA {} vs constant noise {} ({:.0f} rescued / {:.0f} broken vs baseline)".format(
                    rate(e), rate(k), k["rescued"], k["broken"]),
                cmd(f, out), "EDA better" if e["successes"] > k["successes"] and not inside(e["success_rate"], k)
                else "no significant difference")
    default_path = os.path.join(out, "anneal-default-4000.h5")
    if not os.path.exists(default_path):
        return
    with h5py.File(default_path, "r") as f:
        b, _ = stat(f, "baseline")
        e, _ = stat(f, "eda")
        default = (b["success_rate"], e["success_rate"])
        row("baseline and EDA, default protocol (same seeds count)", "58 % and 98 %",
            "baseline {}, EDA {}; trapped at the cut: {:.0f} / {:.0f}".format(rate(b), rate(e), b["trapped"], e["trapped"]),
            cmd(f, out), "yes" if inside(0.58, b) and inside(0.98, e) else "no")
    factor_rows(out, article, default)


def factor_rows(out, article, default):
    """One unstated choice at a time: each protocol with that choice taken from the other."""
    names = {"init": "initial law (normal(0.5) weights, zero biases vs fan-in uniform with biases)",
             "eta": "learning rate (0.01 vs 0.001)", "noise": "base noise (0.1 vs 0.01)"}
    gap = article[1] - default[1]
    for factor, title in names.items():
        paths = [os.path.join(out, "anneal-factor-{}-{}.h5".format(p, factor)) for p in ("article", "default")]
        if not all(os.path.exists(p) for p in paths):
            continue
        cells, commands = [], []
        for p, (base_from, label) in zip(paths, ((article, "article protocol with ours"),
                                                 (default, "default protocol with the article's"))):
            with h5py.File(p, "r") as f:
                b, _ = stat(f, "baseline")
                e, _ = stat(f, "eda")
                moved = e["success_rate"] - base_from[1]
                cells.append("{}: baseline {}, EDA {} (EDA moves {:+.1f} points, {:.0f} % of the {:.1f}-point gap)".format(
                    label, rate(b), rate(e), 100 * moved, 100 * abs(moved) / abs(gap) if gap else float("nan"), 100 * gap))
                commands.append(cmd(f, out))
        row("one factor at a time: " + title, "(unstated in the article)", "; ".join(cells), " ".join(commands),
            "explains part of the gap")


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[1]
    p50, p10k = os.path.join(out, "anneal-50.h5"), os.path.join(out, "anneal-10000.h5")
    if os.path.exists(p50):
        article_rows(p50, "50 seeds, defaults", out)
    if os.path.exists(p10k):
        article_rows(p10k, "large run, defaults", out)
    path = os.path.join(out, "anneal-sweep.h5")
    if os.path.exists(path):
        with h5py.File(path, "r") as f:
            arms = arms_of(f)
            s = f["summary"]
            b, e = arms.index("baseline"), arms.index("eda")
            P = s["runs"].shape[0]
            both = [p for p in range(P) if s["wilson_lo"][p, b] <= 0.58 <= s["wilson_hi"][p, b]
                    and s["wilson_lo"][p, e] <= 0.98 <= s["wilson_hi"][p, e]]
            dist = [(s["success_rate"][p, b] - 0.58) ** 2 + (s["success_rate"][p, e] - 0.98) ** 2 for p in range(P)]
            best = int(np.argmin(dist))
            row("sweep: points where 58 % baseline and 98 % EDA both lie in our 95 % intervals",
                "(claim at unstated settings)",
                "{} of {} points; closest (a selection of many points, not replicated: see the replicated best "
                "point below): {} with baseline {:.1f} % and EDA {:.1f} % ({:.0f} seeds), medians {:.0f} -> {:.0f}"
                .format(len(both), P, settings(f, best), 100 * s["success_rate"][best, b], 100 * s["success_rate"][best, e],
                        s["runs"][best, b], s["convergence_median"][best, b], s["convergence_median"][best, e]),
                cmd(f, out), "yes" if both else "no")
            replication_row(f, out)
    for name in ("anneal-controls.h5", "anneal-article.h5"):
        path = os.path.join(out, name)
        if not os.path.exists(path):
            continue
        with h5py.File(path, "r") as f:
            arms = arms_of(f)
            for p in range(f["summary/runs"].shape[0]):
                e, _ = stat(f, "eda", p)
                for arm in arms:
                    if arm in ("baseline", "eda"):
                        continue
                    st, _ = stat(f, arm, p)
                    # Paired comparison on the same initialisations: exact McNemar, EDA vs control.
                    ok = f["runs/success"][p, :, :]
                    ea, ca = ok[arms.index("eda")], ok[arms.index(arm)]
                    only_eda, only_control = int(((ea == 1) & (ca == 0)).sum()), int(((ea == 0) & (ca == 1)).sum())
                    pv = mcnemar(only_eda, only_control)
                    better = pv < 0.05 and only_eda > only_control
                    worse = pv < 0.05 and only_eda < only_control
                    extra = ""
                    if arm == "reflection":
                        extra = ", mean parameters {:.1f} (vs 6)".format(st["mean_parameter_count"])
                    if arm == "constant-noise":
                        # Medians: a few runs whose noise feeds on their own growing loss reach norms of
                        # 1e50 without tripping the divergence limit, and they dominate any mean.
                        norms = f["runs/noise_norm"][p, :, :]
                        nc, ne = norms[arms.index(arm)], norms[arms.index("eda")]
                        extra = (", median noise norm {:.3g} vs EDA {:.3g} (runs above 1e6, runaway: {} vs {})"
                                 .format(float(np.median(nc)), float(np.median(ne)), int((nc > 1e6).sum()),
                                         int((ne > 1e6).sum())))
                    row("EDA against the {} control ({}, {})".format(arm, protocol_of(f), settings(f, p)),
                        "(article: EDA is minimal, targeted intervention)",
                        "EDA {} vs {} {}; paired: {} solved only by EDA, {} only by {}, McNemar p = {:.3g}; "
                        "{} rescued / {} broken vs baseline{}".format(
                            rate(e), arm, rate(st), only_eda, only_control, arm, pv, int(st["rescued"]),
                            int(st["broken"]), extra),
                        cmd(f, out), "EDA better" if better else ("EDA worse" if worse else "no significant difference"))
    protocol_rows(out)
    path = os.path.join(out, "anneal-long.h5")
    if os.path.exists(path):
        with h5py.File(path, "r") as f:
            for p in range(f["summary/runs"].shape[0]):
                e, _ = stat(f, "eda", p)
                b, _ = stat(f, "baseline", p)
                row("EDA success with {} epochs ({})".format(int(f.attrs["epochs"]), settings(f, p)), "98 % (49/50)",
                    "{} (baseline {}); EDA failures: {:.0f} dead point, {:.0f} other, {:.0f} diverged".format(
                        rate(e), rate(b), e["failures_dead_point"], e["failures_other"], e["failures_diverged"]),
                    cmd(f, out), "yes" if inside(0.98, e) else "no")
    for path in sorted(glob.glob(os.path.join(out, "anneal-sigmoid-*.h5"))):
        with h5py.File(path, "r") as f:
            nh = int(f.attrs["n_hidden"])
            center = attribute(f, "center_source", attribute(f, "option:center", ""))
            for p in range(f["summary/runs"].shape[0]):
                b, _ = stat(f, "baseline", p)
                e, _ = stat(f, "eda", p)
                where = "around {} (init scale = half-width)".format(center) if center else "fan-in init"
                a = arms_of(f).index("baseline")
                L = f["runs/loss"][p, a, :][f["runs/success"][p, a, :] == 0]
                near = int((np.abs(L - 0.25) < 0.03).sum())
                row("sigmoid 2-{}-1 network, {}, {}: EDA rescues trapped runs".format(nh, where, settings(f, p)),
                    "(articles expect EDA to help larger networks)",
                    "baseline {}; EDA {}; {} rescued / {} broken, McNemar p = {:.3g}; failed baseline runs: median "
                    "final loss {:.3g}, {} of {} at L = 0.25 +- 0.03".format(
                        rate(b), rate(e), int(e["rescued"]), int(e["broken"]), e["mcnemar_p"],
                        float(np.median(L)) if len(L) else float("nan"), near, len(L)),
                    cmd(f, out), "yes" if e["mcnemar_p"] < 0.05 and e["rescued"] > e["broken"] else "no")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
