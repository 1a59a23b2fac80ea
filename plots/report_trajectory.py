#!/usr/bin/python3
"""Report rows for the trajectory cases of section 3.3 (Fig. 6) of the dissecting paper.

Reads OUT/fig6.h5 (written by tools/reproduce.d/30-trajectory.sh) and prints one markdown row
per paper case: `| claim | paper | ours (both integrators) | command | holds? |`, then one row
comparing the end points and evaluation counts of gradient descent and gradient flow.
Usage: /usr/bin/python3 plots/report_trajectory.py OUT
"""
import os
import sys

import h5py
import numpy as np

import xorscape_plot as xp

# (plane, start, paper's words, expected outcome, loss band the path must end in or pass through)
CASES = [
    ("b1_1,b2_1", (-7.4, 8.9), "start L≈0.5, drops to L≈0.25, then converges", "converged", (0.2, 0.3)),
    ("b1_1,b2_1", (15.0, -2.0), "start L≈0.5, drops into a trench at L≈0.25 and stays", "trapped", (0.2, 0.3)),
    ("w2_12,b1_2", (12.5, -12.5), "start L≈0.48 behind a barrier, converges", "converged", None),
    ("w1_22,b1_1", (-5.0, 10.0), "start L≈0.5, converges", "converged", None),
    ("w1_22,b1_1", (-3.0, 10.0), "start L≈0.5, trapped just below L≈0.5", "trapped", (0.45, 0.5)),
]


def find(plane_group, start, integrator):
    if "trajectories" not in plane_group:
        return None
    for t in plane_group["trajectories"].values():
        a = t.attrs
        if (a.get("integrator") == integrator and abs(a["start_x"] - start[0]) < 1e-9
                and abs(a["start_y"] - start[1]) < 1e-9):
            return t
    return None


def short(command_line, out):
    """The command as a reader types it: no build folder, files relative to OUT."""
    return xp.display_command(command_line, relative_to=out)


def epochs_in_band(t, band):
    """Epochs the stored path spends with band[0] < L < band[1] (piecewise constant between points)."""
    loss, epoch = t["loss"][()], t["epoch"][()]
    inside = (loss[:-1] > band[0]) & (loss[:-1] < band[1])
    return float(np.sum(np.diff(epoch)[inside]))


def describe(t, band):
    a = t.attrs
    text = (f"{a['integrator']}: {a['outcome']} at τ={a['final_epoch']:.4g}, L={a['final_loss']:.4f}, "
            f"‖∇L‖={a['final_gradient_norm']:.1e}, start L={a['start_loss']:.4f}, {a['evaluations']} evaluations")
    if band and a["outcome"] == "converged":
        text += f", {epochs_in_band(t, band):.3g} epochs at {band[0]}<L<{band[1]}"
    if a["outcome"] == "trapped":
        eig = a["final_hessian_eigenvalues"]
        text += f", in-plane Hessian eigenvalues {eig[0]:.1e}, {eig[1]:.1e}"
    if a["outcome"] == "budget":
        text += f" (budget {a['epoch_budget']:.3g} epochs)"
    return text


def satisfied(t, expected, band):
    a = t.attrs
    if a["outcome"] != expected:
        return False
    if expected == "trapped" and band:
        return band[0] < a["final_loss"] < band[1]
    if expected == "converged" and band:
        return epochs_in_band(t, band) > 0
    return True


def pca_row(out):
    """The PCA plane of a converging full-space run (slice-pca.h5 of 30-trajectory.sh): how much
    of the path the plane shows."""
    path = os.path.join(out, "slice-pca.h5")
    if not os.path.exists(path):
        return
    with h5py.File(path, "r") as f:
        g = f["plane"]
        ev = g.attrs["explained_variance_ratio"]
        p = g["path"]
        residual = p["residual"][()]
        loss = p["loss"][()]
        print(f"| PCA plane of a converging full-space gradient-descent run (Li et al. 2018 trajectory plot; issue 14) | "
              f"(not in the paper) | first two components explain {100 * ev[0]:.1f}% + {100 * ev[1]:.1f}% of the path's "
              f"variance ({len(loss)} stored points, loss {loss[0]:.3f} → {loss[-1]:.4f}); largest distance of a path "
              f"point from the plane {residual.max():.3g} | `{short(xp.attribute(f, 'command_line'), out)}` | "
              f"{'yes: the drawn path is faithful' if ev.sum() > 0.95 else 'partly: the plane misses part of the path'} |")


def main():
    if len(sys.argv) != 2:
        print("usage: report_trajectory.py OUT", file=sys.stderr)
        return 2
    path = os.path.join(sys.argv[1], "fig6.h5")
    if not os.path.exists(path):
        print(f"report_trajectory.py: {path} is missing (run tools/reproduce.d/30-trajectory.sh)", file=sys.stderr)
        return 1
    pca_row(sys.argv[1])
    distances, ratios = [], []
    with h5py.File(path, "r") as f:
        for plane, start, words, expected, band in CASES:
            group = f["planes"].get(plane)
            runs = [find(group, start, i) if group is not None else None for i in ("gd", "flow")]
            claim = f"({plane}) from Δ=({start[0]:g}, {start[1]:g})"
            if not any(runs):
                print(f"| {claim} | {words} | not run | | no |")
                continue
            ours = "; ".join(describe(t, band) for t in runs if t is not None)
            command = " ; ".join(f"`{short(xp.attribute(t, 'command_line'), sys.argv[1])}`" for t in runs if t is not None)
            verdicts = [satisfied(t, expected, band) for t in runs if t is not None]
            gd, flow = runs
            capped = gd is not None and gd.attrs["outcome"] == "budget" and gd.attrs["epoch_budget"] < 6e7
            if all(verdicts):
                holds = "yes (both integrators)"
            elif flow is not None and satisfied(flow, expected, band) and capped:
                holds = f"yes (flow; gradient descent capped at {gd.attrs['epoch_budget']:.3g} epochs at this scale)"
            elif any(verdicts):
                holds = "partly"
            else:
                holds = "no"
            print(f"| {claim} | {words} | {ours} | {command} | {holds} |")
            if gd is not None and flow is not None and gd.attrs["outcome"] == flow.attrs["outcome"] != "budget":
                end_gd, end_flow = gd.attrs["end_parameters"], flow.attrs["end_parameters"]
                distances.append(float(np.max(np.abs(end_gd - end_flow))))
                ratios.append(gd.attrs["evaluations"] / flow.attrs["evaluations"])
    if distances:
        print(f"| gradient flow reaches the gradient-descent end point in fewer evaluations (η=0.1) | "
              f"(not in the paper; issue 3) | max‖end_gd − end_flow‖∞ = {max(distances):.1e} over {len(distances)} "
              f"cases; flow used {min(ratios):.0f}–{max(ratios):.0f}× fewer gradient evaluations | "
              f"xorscape-trajectory --integrator gd / flow (same start) | "
              f"{'yes' if max(distances) < 1e-2 else 'partly'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
