#!/usr/bin/python3
"""A slice along any directions (xorscape-slice --directions): the loss as a filled contour
with the defining points and any projected path (Li et al. 2018 style), the same loss as a
3-D surface, and, when the file has them (--curvature), the curvature maps beside it: smallest
and largest Hessian eigenvalue, the index (number of negative eigenvalues) and the gradient
norm. A 1-D cut (/line) is drawn as a curve with its curvature below.

Usage: /usr/bin/python3 plots/slice_directions.py SLICE.h5 -o PREFIX
writes PREFIX.png and PREFIX.pdf.
"""
import matplotlib.pyplot as plt
import numpy as np

import slice_common as sc
import xorscape_plot as xp


def marks(ax, g):
    """The defining points and the projected path, with how much of the path's variance is shown."""
    if "path" in g:
        p = g["path"]
        share = float(p.attrs["captured_variance"])
        ax.plot(p["x"][()], p["y"][()], "-", color="white", lw=1.4, label=f"path ({100 * share:.1f}% of its variance)")
        ax.plot(p["x"][()][:1], p["y"][()][:1], "o", color="white", ms=4)
    labels = [xp.text(v) for v in g["point"][()]]
    for label, x, y, r in zip(labels, g["point_x"][()], g["point_y"][()], g["point_residual"][()]):
        ax.plot(x, y, "*", color="black", mec="white", ms=11)
        off = "" if r < 1e-9 else f" ({r:.2g} off)"
        ax.annotate(label.replace(" (Table 2)", "") + off, (x, y), textcoords="offset points", xytext=(5, 5),
                    fontsize=7, color="white")
    if "path" in g:
        ax.legend(loc="lower left", fontsize=7)


def plane_figure(f, g, title):
    x, y, z = g["x"][()], g["y"][()], g["loss"][()]
    curvature = "min_eigenvalue" in g
    fig = plt.figure(figsize=(16 if curvature else 11, 9 if curvature else 4.8), constrained_layout=True)
    rows, columns = (2, 4) if curvature else (1, 2)
    ax = fig.add_subplot(rows, columns, (1, 2) if curvature else 1)
    levels = np.linspace(0, 1, 21)
    c = ax.contourf(x, y, np.minimum(z, 1.0), levels=levels, cmap=sc.LOSS_CMAP)
    ax.contour(x, y, z, levels=[0.005, 0.25, 0.5, 0.75], colors="k", linewidths=0.5)
    marks(ax, g)
    ax.set_xlabel("x (coefficient of d1)")
    ax.set_ylabel("y (coefficient of d2)")
    ax.set_title("loss (contours at 0.005 and the plateaus k/4)", fontsize=9)
    fig.colorbar(c, ax=ax, label="loss L", ticks=sc.PLATEAU_TICKS)
    surface = fig.add_subplot(rows, columns, (3, 4) if curvature else 2, projection="3d")
    step = max(1, len(x) // 120)
    X, Y = np.meshgrid(x[::step], y[::step])
    surface.plot_surface(X, Y, z[::step, ::step], cmap=sc.LOSS_CMAP, vmin=0, vmax=1, linewidth=0, antialiased=True)
    surface.set_xlabel("x")
    surface.set_ylabel("y")
    surface.set_zlabel("loss")
    surface.set_title("loss surface", fontsize=9)
    if curvature:
        maps = [("min_eigenvalue", "smallest Hessian eigenvalue", "RdBu_r", True),
                ("max_eigenvalue", "largest Hessian eigenvalue", "viridis", False),
                ("negative_eigenvalues", "index (negative eigenvalues)", "magma", False),
                ("gradient_norm", "gradient norm |∇L|", "viridis", False)]
        for k, (name, what, cmap, centred) in enumerate(maps):
            a = fig.add_subplot(rows, columns, 5 + k)
            v = g[name][()].astype(float)
            if centred:
                m = np.nanmax(np.abs(v)) or 1.0
                image = a.imshow(v, origin="lower", extent=[x[0], x[-1], y[0], y[-1]], aspect="auto", cmap=cmap,
                                 norm=plt.matplotlib.colors.SymLogNorm(linthresh=1e-4 * m, vmin=-m, vmax=m))
            else:
                image = a.imshow(v, origin="lower", extent=[x[0], x[-1], y[0], y[-1]], aspect="auto", cmap=cmap)
            a.set_title(what, fontsize=9)
            a.set_xlabel("x")
            a.set_ylabel("y")
            fig.colorbar(image, ax=a)
    fig.suptitle(title, fontsize=10)
    return fig


def line_figure(g, title):
    x, z = g["x"][()], g["loss"][()]
    curvature = "min_eigenvalue" in g
    fig, axes = plt.subplots(2 if curvature else 1, 1, figsize=(8, 6 if curvature else 3.6), sharex=True,
                             constrained_layout=True, squeeze=False)
    ax = axes[0, 0]
    ax.plot(x, z, color="#08306b")
    for level in (0.25, 0.5, 0.75):
        ax.axhline(level, color="grey", lw=0.5, ls=":")
    for label, px in zip([xp.text(v) for v in g["point"][()]], g["point_x"][()]):
        ax.axvline(px, color="k", lw=0.6, ls="--")
        ax.annotate(label.replace(" (Table 2)", ""), (px, ax.get_ylim()[1]), fontsize=7, rotation=90, va="top")
    ax.set_ylabel("loss L")
    if curvature:
        axes[1, 0].plot(x, g["min_eigenvalue"][()], label="smallest eigenvalue")
        axes[1, 0].plot(x, g["max_eigenvalue"][()], label="largest eigenvalue")
        axes[1, 0].set_yscale("symlog", linthresh=1e-4)
        axes[1, 0].legend(fontsize=7)
    axes[-1, 0].set_xlabel("x (coefficient of d1)")
    fig.suptitle(title, fontsize=10)
    return fig


def main():
    args = xp.arguments(__doc__, file_help="slice file of xorscape-slice --directions")
    with xp.h5py.File(args.files[0], "r") as f:
        if "plane" not in f and "line" not in f:
            raise SystemExit(f"{args.files[0]} has no /plane or /line (run xorscape-slice --directions ...)")
        g = f["plane"] if "plane" in f else f["line"]
        title = f"{xp.attribute(g, 'method')}: {xp.attribute(g, 'description')}"
        if "explained_variance_ratio" in g.attrs:
            ev = g.attrs["explained_variance_ratio"]
            title += f"\nexplained variance {100 * ev[0]:.1f}% + {100 * ev[1]:.1f}%"
        fig = plane_figure(f, g, title) if "plane" in f else line_figure(g, title)
        xp.save(fig, args.output)


if __name__ == "__main__":
    main()
