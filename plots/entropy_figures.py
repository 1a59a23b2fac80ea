#!/usr/bin/python3
"""Figures of the density of loss (dissecting paper, section 3.4) from xorscape-wanglandau files
and, optionally, one xorscape-simplesample file (told apart by their "tool" attribute). Writes
PREFIX_NAME.png and PREFIX_NAME.pdf for

  fig8         S(L) for several n_h, shifted vertically (Figure 8)
  wl_vs_ss     Wang-Landau against simple sampling with error bars (the WL file of the same n_h and box;
               only with a simple-sampling file)
  residual     WL - simple sampling over L with the combined error bars of the agreement test
               (/comparison of the compared WL file, written by xorscape-wanglandau --compare;
               only when it has one)
  beta         beta(L) = dS/dL (smoothed) for every WL file
  convergence  ln f against Monte Carlo sweeps for every window of run 0 (the compared WL file,
               else the first)

Usage: /usr/bin/python3 plots/entropy_figures.py WANGLANDAU.h5 [...] [SIMPLESAMPLE.h5] -o PREFIX [--shift 5]
(e.g. -o figures/entropy writes figures/entropy_fig8.png ...)
"""
import sys

from xorscape_plot import arguments, attribute, h5py, np, plt, save


def load_wl(path):
    f = h5py.File(path, "r")
    d = {
        "path": path,
        "n_h": int(attribute(f, "n_hidden")),
        "box": f.attrs["box_upper"][:],
        "L": f["entropy/loss"][:],
        "S": f["entropy/S"][:],
        "S_std": f["entropy/S_std"][:],
        "runs": int(f.attrs["runs"]),
        "lnf": float(f.attrs["ln_f_final"]),
    }
    if "analysis/beta" in f:
        d["beta"] = f["analysis/beta"][:]
        d["beta_L"] = f["analysis/loss"][:]
    c = f["convergence"]
    d["conv"] = (c["run"][:], c["window"][:], c["sweeps"][:], c["ln_f"][:])
    return d


def box_label(box):
    return f"R = {box[0]:g}" if np.all(box == box[0]) else "box " + ",".join(f"{b:g}" for b in box)


def figure8(curves, out, shift):
    fig, ax = plt.subplots(figsize=(6.4, 5.6))
    cmap = plt.get_cmap("viridis")
    curves = sorted(curves, key=lambda d: d["n_h"])
    for i, d in enumerate(curves):
        offset = -np.max(d["S"]) + shift * i
        colour = cmap(i / max(1, len(curves) - 1))
        ax.plot(d["L"], d["S"] + offset, color=colour, lw=1.2, label=f"$n_h = {d['n_h']}$")
        if d["runs"] > 1:
            ax.fill_between(d["L"], d["S"] + offset - d["S_std"], d["S"] + offset + d["S_std"], color=colour,
                            alpha=0.3, lw=0)
    for x in (0.0, 0.25, 0.5, 0.75, 1.0):
        ax.axvline(x, color="0.85", lw=0.8, zorder=0)
    ax.set_xlabel("loss $L$")
    ax.set_ylabel(f"$S(L) - \\max S$ + {shift:g} $\\times$ (curve index)")
    ax.set_xlim(0, 1)
    ax.set_title(f"Microcanonical entropy, {box_label(curves[0]['box'])}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    save(fig, out, "fig8")


def wl_vs_ss(d, ss_path, out):
    f = h5py.File(ss_path, "r")
    L, S, err = f["entropy/loss"][:], f["entropy/S"][:], f["entropy/S_error"][:]
    good = err < 0.1
    fig, (ax, bx) = plt.subplots(2, 1, figsize=(6.4, 6.4), sharex=True, gridspec_kw={"height_ratios": [3, 1.3]})
    ax.plot(d["L"], d["S"], color="C0", lw=1.2, label=f"Wang-Landau + multicanonical ({d['runs']} run(s))")
    if d["runs"] > 1:
        ax.fill_between(d["L"], d["S"] - d["S_std"], d["S"] + d["S_std"], color="C0", alpha=0.3, lw=0)
    ax.errorbar(L[good], S[good], yerr=err[good], fmt=".", ms=2.5, color="C3", elinewidth=0.8,
                label=f"simple sampling ({int(f.attrs['samples']):.2g} points, bins with error < 0.1)")
    ax.set_ylabel("$S(L) = \\ln g(L)$")
    ax.set_title(f"$n_h = {d['n_h']}$, {box_label(d['box'])}: Wang-Landau vs simple sampling")
    ax.legend(fontsize=8, loc="lower center")
    # Difference where both exist, with the combined error: bin by bin when the binnings agree,
    # else by interpolation (which smears the sharp peaks at multiples of 1/4: the title says so).
    same = np.array_equal(h5py.File(d["path"], "r")["bins/edges"][:], f["bins/edges"][:])
    if same:
        idx = np.searchsorted(d["L"], L[good])
        idx = np.clip(idx, 0, len(d["L"]) - 1)
        hit = np.isclose(d["L"][idx], L[good], rtol=0, atol=1e-12)
        wl = np.where(hit, d["S"][idx], np.nan)
        wl_err = np.where(hit, d["S_std"][idx], np.nan)
    else:
        wl = np.interp(L[good], d["L"], d["S"], left=np.nan, right=np.nan)
        wl_err = np.interp(L[good], d["L"], d["S_std"], left=np.nan, right=np.nan)
        bx.set_title("(different binnings: WL interpolated)", fontsize=8)
    bx.errorbar(L[good], wl - S[good], yerr=np.sqrt(err[good] ** 2 + wl_err ** 2), fmt=".", ms=2.5, color="k",
                elinewidth=0.6)
    bx.axhline(0, color="0.5", lw=0.8)
    bx.set_xlabel("loss $L$")
    bx.set_ylabel("WL $-$ simple")
    save(fig, out, "wl_vs_ss")


def residual_figure(d, out):
    """The agreement test stored by xorscape-wanglandau --compare: residual and combined sigma per bin."""
    f = h5py.File(d["path"], "r")
    if "comparison" not in f:
        return False
    c = f["comparison"]
    L, r, sigma = c["loss"][:], c["residual"][:], c["sigma"][:]
    z = np.abs(r) / sigma
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    ax.errorbar(L[z < 2], r[z < 2], yerr=sigma[z < 2], fmt=".", ms=2.5, color="k", elinewidth=0.6,
                label="within 2 sigma")
    ax.errorbar(L[z >= 2], r[z >= 2], yerr=sigma[z >= 2], fmt=".", ms=3, color="C3", elinewidth=0.8,
                label="outside 2 sigma")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xlabel("loss $L$")
    ax.set_ylabel("$S_{WL} - S_{simple}$")
    a = c.attrs
    ax.set_title(f"$n_h = {d['n_h']}$, {d['runs']} runs: $\\chi^2$/dof = {float(a['chi2_per_dof']):.2f} over "
                 f"{int(a['compared_bins'])} bins, {100 * float(a['within_2_sigma']):.1f} % within 2$\\sigma$",
                 fontsize=9)
    ax.legend(fontsize=8)
    save(fig, out, "residual")
    return True


def beta_figure(curves, out):
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    cmap = plt.get_cmap("viridis")
    curves = sorted([d for d in curves if "beta" in d], key=lambda d: d["n_h"])
    for i, d in enumerate(curves):
        ax.plot(d["beta_L"], d["beta"], color=cmap(i / max(1, len(curves) - 1)), lw=1.0, label=f"$n_h = {d['n_h']}$")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xlabel("loss $L$")
    ax.set_ylabel("$\\beta(L) = dS/dL$ (smoothed)")
    ax.set_xlim(0, 1)
    if curves:
        lo, hi = np.percentile(np.concatenate([d["beta"] for d in curves]), [2, 98])
        ax.set_ylim(lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo))
    ax.set_title("Microcanonical inverse temperature")
    ax.legend(fontsize=8, ncol=2)
    save(fig, out, "beta")


def convergence(d, out):
    run, window, sweeps, lnf = d["conv"]
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    sel = run == 0
    for w in sorted(set(window[sel])):
        m = sel & (window == w)
        if w < 0:
            continue  # the discovery phase's end carries no sweep count of the windows
        ax.step(np.maximum(sweeps[m], 1e-1), lnf[m], where="post", lw=1.2, marker=".", ms=3, label=f"window {w}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Monte Carlo sweeps ($D$ steps) of the window's walker")
    ax.set_ylabel("$\\ln f$")
    ax.set_title(f"Flat-histogram convergence, $n_h = {d['n_h']}$, run 0")
    ax.legend(fontsize=8)
    save(fig, out, "convergence")


def main():
    a = arguments(__doc__.splitlines()[0], files="many",
                  file_help="xorscape-wanglandau files (one per n_h) and at most one xorscape-simplesample file",
                  configure=lambda p: p.add_argument("--shift", type=float, default=5.0,
                                                     help="vertical shift between curves of Figure 8"))
    tools = {}
    for path in a.files:
        with h5py.File(path, "r") as f:
            tools[path] = attribute(f, "tool", "")
    wl_files = [p for p in a.files if tools[p] == "xorscape-wanglandau"]
    ss_files = [p for p in a.files if tools[p] == "xorscape-simplesample"]
    other = [p for p in a.files if p not in wl_files and p not in ss_files]
    if other or not wl_files or len(ss_files) > 1:
        got = ", ".join(f"{p} ({tools[p] or 'no tool attribute'})" for p in a.files)
        print("entropy_figures: needs xorscape-wanglandau files and at most one xorscape-simplesample file; got " + got,
              file=sys.stderr)
        return 2
    curves = [load_wl(x) for x in wl_files]
    figure8(curves, a.output, a.shift)
    beta_figure(curves, a.output)
    shown = curves[0]
    if ss_files:
        # Compare with the Wang-Landau file of the same network and box.
        ss = h5py.File(ss_files[0], "r")
        match = [d for d in curves
                 if d["n_h"] == int(attribute(ss, "n_hidden")) and np.array_equal(d["box"], ss.attrs["box_upper"][:])]
        if not match:
            print(f"entropy_figures: no Wang-Landau file has the n_h and box of {ss_files[0]}", file=sys.stderr)
            return 2
        wl_vs_ss(match[0], ss_files[0], a.output)
        residual_figure(match[0], a.output)
        shown = match[0]
    convergence(shown, a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
