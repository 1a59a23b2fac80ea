#!/usr/bin/python3
"""Report rows for the slice step (dissecting paper, section 3.3), read from OUT/slice-*.h5.

Usage: /usr/bin/python3 plots/report_slice.py OUT
Prints markdown rows | claim | paper value | our value | command | holds? |.
"""
import os
import sys

import h5py
import numpy as np

import xorscape_plot as xp

OUT = "."


def cmd(f):
    """The command that wrote f, as a reader types it (xorscape_plot.display_command)."""
    return "`" + xp.display_command(xp.attribute(f, "command_line", "?"), relative_to=OUT) + "`"


def row(*cells):
    print("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")


def bilinear(g, x0, y0):
    x, y, z = g["x"][()], g["y"][()], g["loss"]
    i = int(np.clip(np.searchsorted(x, x0) - 1, 0, len(x) - 2))
    j = int(np.clip(np.searchsorted(y, y0) - 1, 0, len(y) - 2))
    block = z[j:j + 2, i:i + 2]
    tx = (x0 - x[i]) / (x[i + 1] - x[i])
    ty = (y0 - y[j]) / (y[j + 1] - y[j])
    return (block[0, 0] * (1 - tx) * (1 - ty) + block[0, 1] * tx * (1 - ty) + block[1, 0] * (1 - tx) * ty
            + block[1, 1] * tx * ty), x[1] - x[0]


def randomized_rows(out):
    path = os.path.join(out, "slice-fig7.h5")
    if not os.path.exists(path):
        return
    with h5py.File(path, "r") as f:
        g = f["planes/b1_1,b2_1"]
        k = int(f.attrs["scans"])
        mean, nonrandomized, std = g["loss_mean"][()], g["loss_nonrandomized"][()], g["loss_std"][()]
        diff = np.abs(mean - nonrandomized)
        sigma = std / np.sqrt(k)
        ratio = diff.mean() / sigma.mean()
        beyond = np.mean(diff > 4 * sigma + 1e-12)
        n = mean.shape
        row(f"Fig. 7: the mean over {k} randomized scans converges to the nonrandomized slice (b1_1, b2_1)",
            "converges (Fig. 7b looks like Fig. 6a); no number given",
            f"max abs diff {diff.max():.4f}, mean abs diff {diff.mean():.4f} over {n[1]}x{n[0]} points; "
            f"mean diff / mean standard error = {ratio:.2f} (0.80 expected for pure sampling noise); "
            f"{100 * beyond:.3f}% of points beyond 4 standard errors",
            cmd(f), "yes" if ratio < 1.2 and beyond < 1e-3 else "no")
        first = g["loss"][()]
        row("Fig. 7a: a single randomized scan is fuzzy", "strong fluctuations, main features visible",
            f"single scan vs nonrandomized: mean abs diff {np.abs(first - nonrandomized).mean():.3f}, "
            f"per-point standard deviation up to {std.max():.3f} (mean {std.mean():.3f})", cmd(f), "yes")


def plateau_rows(out):
    path = os.path.join(out, "slice-all.h5")
    if not os.path.exists(path):
        return
    with h5py.File(path, "r") as f:
        names = list(f["planes"])
        fractions = np.array([f["planes"][n]["plateau_fraction"][()] for n in names])
        tol = float(f.attrs["plateau_tolerance"])
        levels = f["planes"][names[0]]["plateau_levels"][()]
        res = f["planes"][names[0]]["loss"].shape
        mean = fractions.mean(axis=0)
        dominant = int(np.sum(np.argmax(fractions, axis=1) == 2))
        row(f"Plateaus: L ~ 0.5 (two cases wrong) dominates the {len(names)} cross-sections around solution #1",
            "yellow L ~ 0.5 plateaus dominate in all figures",
            f"area within +-{tol:g} of L = {', '.join(f'{l:g}' for l in levels)}: "
            f"{', '.join(f'{m:.3f}' for m in mean)} (mean over planes, {res[1]}x{res[0]}, range +-15); "
            f"L ~ 0.5 is the largest plateau in {dominant} of {len(names)} planes, L ~ 0.25 in "
            f"{int(np.sum(np.argmax(fractions, axis=1) == 1))}",
            cmd(f), "partly" if 0 < dominant < len(names) else ("yes" if dominant == len(names) else "no"))
        rims = [n for n, fr in zip(names, fractions) if fr[3] > 1e-3]
        row("Plateaus: L ~ 0.75 rims are rare and L ~ 1 does not occur near the optimum",
            "red L ~ 0.75 rims only in Figs 6(b)-(d); no higher loss in the plotted ranges",
            f"L ~ 0.75 covers > 0.1% of the plane in {len(rims)} of {len(names)} planes ({'; '.join(rims)}); "
            f"largest L ~ 1 area {fractions[:, 4].max():.4f}; largest loss anywhere "
            f"{max(float(f['planes'][n].attrs['loss_max']) for n in names):.3f}",
            cmd(f), "yes" if fractions[:, 4].max() < 1e-3 and len(rims) < len(names) / 2 else "partly")
        if "bench" in f:
            b = f["bench"].attrs
            t = int(b["threads"])
            one = float(b["plane_avx512_rate_1_thread"]) if "plane_avx512_rate_1_thread" in b else float(
                b.get("plane_avx2_rate_1_thread", b["plane_scalar_rate_1_thread"]))
            best = max(float(b[k]) for k in b
                       if k.startswith("plane_") and k.endswith("_rate_all_threads") and "per_cpu" not in k)
            scalar = float(b["plane_scalar_rate_1_thread"])
            reference = float(b["reference_rate_1_thread"])
            level = "avx512" if "plane_avx512_rate_1_thread" in b else ("avx2" if "plane_avx2_rate_1_thread" in b else "scalar")
            cpu_one = float(b.get(f"plane_{level}_rate_per_cpu_second_1_thread", float("nan")))
            cpu_all = float(b.get(f"plane_{level}_rate_per_cpu_second_all_threads", float("nan")))
            wall_ok = one >= 1e8 and best >= 1.8 * one
            cpu_ok = cpu_one >= 1e8 and cpu_all >= 0.9 * cpu_one
            row("Kernel rate, n_h = 2, nonrandomized, double precision (issue 3 target; wall clock depends on how busy the machine is)",
                ">= 1e8 evaluations/s per core; >= 1.8x that on 2 cores",
                f"wall clock: {one:.3g}/s on 1 thread ({level}), {best:.3g}/s on {t} threads ({best / one:.2f}x); "
                f"per second of processor time: {cpu_one:.3g} (1 thread), {cpu_all:.3g} ({t} threads, "
                f"{cpu_all / cpu_one:.2f} of the 1-thread efficiency); scalar plane kernel {scalar:.3g}/s, "
                f"reference XorLoss::value {reference:.3g}/s",
                cmd(f), "yes" if wall_ok else ("partly: per CPU-second yes, wall clock not on this machine" if cpu_ok else "no"))
            row(f"All {len(names)} slices at {res[1]}x{res[0]} on {t} threads, file writing included (issue 3 target)",
                "about a second on 2 cores",
                f"{float(b['end_to_end_seconds']):.2f} s end to end ({float(b['end_to_end_rate_all_threads']):.3g} evaluations/s); "
                f"compute alone {float(b['evaluations_per_run']) / best:.2f} s",
                cmd(f), "yes" if float(b["end_to_end_seconds"]) < 1.5 else "partly")


def start_point_rows(out):
    path = os.path.join(out, "slice-fig6.h5")
    if not os.path.exists(path):
        return
    # Start points and loss levels quoted in section 3.3.1 of the paper.
    starts = [("b1_1,b2_1", -7.4, 8.9, "L ~ 0.5"), ("b1_1,b2_1", 15.0, -2.0, "L ~ 0.5"),
              ("w2_12,b1_2", 12.5, -12.5, "L ~ 0.48"), ("w1_22,b1_1", -5.0, 10.0, "very close to 0.5"),
              ("w1_22,b1_1", -3.0, 10.0, "very close to 0.5")]
    with h5py.File(path, "r") as f:
        values = []
        for plane, x0, y0, paper in starts:
            if plane not in f["planes"]:
                return
            value, step = bilinear(f["planes"][plane], x0, y0)
            values.append((plane, x0, y0, paper, value, step))
        ours = "; ".join(f"({p}) at ({x:g}, {y:g}): {v:.3f}" for p, x, y, _, v, _ in values)
        close = all(abs(v - 0.5) < 0.05 for *_, v, _ in values)
        row("Fig. 6: loss at the paper's trajectory start points (solution #1 center)",
            "; ".join(f"({p}) ({x:g}, {y:g}): {paper}" for p, x, y, paper, _, _ in values),
            ours + f" (bilinear on the {values[0][5]:.3g}-spaced grid)", cmd(f), "yes" if close else "partly")


def bottleneck(loss, a, b):
    """The lowest level t such that the grid cells with loss <= t connect cells a and b (4-neighbour
    paths): the highest loss a path in the plane must cross between them (a mountain pass)."""
    from scipy import ndimage
    values = np.unique(loss)
    lo, hi = max(loss[a], loss[b]), values[-1]
    candidates = values[(values >= lo) & (values <= hi)]
    i, j = 0, len(candidates) - 1
    while i < j:
        mid = (i + j) // 2
        labels, _ = ndimage.label(loss <= candidates[mid])
        if labels[a] and labels[a] == labels[b]:
            j = mid
        else:
            i = mid + 1
    return candidates[i]


def nearest_cell(g, x0, y0):
    return int(np.argmin(np.abs(g["y"][()] - y0))), int(np.argmin(np.abs(g["x"][()] - x0)))


def direction_rows(out):
    path = os.path.join(out, "slice-sol125.h5")
    if os.path.exists(path):
        with h5py.File(path, "r") as f:
            g = f["plane"]
            loss = g["loss"][()]
            labels = [xp.text(v).replace("published solution ", "#").replace(" (Table 2)", "") for v in g["point"][()]]
            cells = [nearest_cell(g, x, y) for x, y in zip(g["point_x"][()], g["point_y"][()])]
            passes = [f"{labels[i]}-{labels[j]} {bottleneck(loss, cells[i], cells[j]):.3g}"
                      for i, j in ((0, 1), (0, 2), (1, 2))]
            low = np.mean(loss < 0.005)
            dx = g["x"][1] - g["x"][0]
            highest = max(bottleneck(loss, cells[i], cells[j]) for i, j in ((0, 1), (0, 2), (1, 2)))
            row("Plane through published solutions 1, 2, 5: is there a low-loss path between them? (issue 14)",
                "not in the paper (section 3.2 speaks of a continuous space of solutions)",
                f"lowest possible highest loss on a path in the plane (mountain pass, {loss.shape[1]}x{loss.shape[0]} "
                f"grid, spacing {dx:.3g}): {', '.join(passes)}; {100 * low:.1f}% of the plane below L = 0.005; "
                f"index (negative Hessian eigenvalues) 0 on {100 * np.mean(g['negative_eigenvalues'][()] == 0):.1f}% of it",
                cmd(f), "yes: all three connect below L = 0.005" if highest < 0.005 else
                f"no: the best path in this plane crosses L = {highest:.3g}")
    path = os.path.join(out, "slice-line12.h5")
    if os.path.exists(path):
        with h5py.File(path, "r") as f:
            g = f["line"]
            t, loss = g["x"][()], g["loss"][()]
            inside = (t >= 0) & (t <= 1)
            k = int(np.argmax(np.where(inside, loss, -1)))
            row("Linear interpolation from solution 1 to solution 2 (issue 14)", "not in the paper",
                f"highest loss on the segment {loss[k]:.3g} at t = {t[k]:.3f} ({inside.sum()} of {len(t)} points in [0, 1])",
                cmd(f), "barrier" if loss[k] > 0.005 else "no barrier")


def wilson(k, n, z=1.959964):
    """Wilson score interval (95 %) of a proportion k / n."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def basin_rows(out):
    path = os.path.join(out, "basins-fig6a.h5")
    if not os.path.exists(path):
        return
    with h5py.File(path, "r") as f:
        b, g = f["basins"], f["plane"]
        n = int(b.attrs["points"])
        kinds = [xp.text(v) for v in b["kind"][()]]
        count = b["count"][()]
        shares = []
        for what, k in (("converge", int(b.attrs["converged"])), ("trapped", int(b.attrs["trapped"])),
                        ("still moving", int(b.attrs["still_moving"]))):
            lo, hi = wilson(k, n)
            shares.append(f"{what} {100 * k / n:.1f}% [{100 * lo:.1f}, {100 * hi:.1f}]")
        levels = [f"{'trapped' if kind == 'level' else 'moving'} at L = {m:.3g} ({100 * c / n:.1f}%)" for kind, m, c in zip(kinds, b["end_loss_mean"][()], count)
                  if kind in ("level", "budget")]
        classes = sum(kind == "solution" for kind in kinds)
        descriptions = [xp.text(v) for v in b["description"][()]]
        solutions = [(c, d) for kind, c, d in zip(kinds, count, descriptions) if kind == "solution"]
        largest = max(solutions) if solutions else None
        x, y = g["x"][()], g["y"][()]
        label = g["basin_label"][()]
        starts = []
        for x0, y0 in ((-7.4, 8.9), (15.0, -2.0)):
            i, j = nearest_cell(g, x0, y0)
            starts.append(f"nearest grid point to ({x0:g}, {y0:g}) in full space: {descriptions[label[i, j]]}")
        row("Basins of attraction on Fig. 6(a)'s plane (b1_1, b2_1 around solution 1): which starts converge, "
            "which get trapped (issue 14)", "one start at a time (Fig. 6a: (-7.4, 8.9) converges, (15, -2) is trapped)",
            f"{len(x)}x{len(y)} starts on [{x[0]:g}, {x[-1]:g}]^2, full-space gradient flow to flow time "
            f"{b.attrs['flow_time']:.3g}: {'; '.join(shares)} (Wilson 95 %, grid points counted as independent "
            f"starts); {classes} solution classes up to symmetry"
            f"{f', the largest ({100 * largest[0] / n:.1f}%) {largest[1]}' if largest else ''}; trapping and still-moving levels {', '.join(levels)}; "
            f"{'; '.join(starts)}",
            cmd(f), "basin map (figure basins-fig6a)")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    global OUT
    out = OUT = sys.argv[1]
    randomized_rows(out)
    plateau_rows(out)
    start_point_rows(out)
    direction_rows(out)
    basin_rows(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
