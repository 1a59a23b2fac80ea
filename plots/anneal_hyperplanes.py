#!/usr/bin/python3
"""The hidden units' lines w_1 x1 + w_2 x2 + b = 0 in the input plane, before (the paired
baseline's stuck final state) and after (eda's final state) a rescue, with the four cases.
Hatching marks where a unit is active (w.x + b > 0); a case outside every active region is
dead (output 0, no gradient).

Usage: /usr/bin/python3 plots/anneal_hyperplanes.py FILE -o PREFIX
Writes PREFIX.png and PREFIX.pdf (exit 1 if the file holds no rescued traced run)."""
import sys

from anneal_common import rescue_example
from xorscape_plot import arguments, np, plt, save


def draw(ax, units, cases, title):
    xs = np.linspace(-2, 2, 400)
    X, Y = np.meshgrid(xs, xs)
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown", "tab:pink"]
    for i, (w1, w2, b) in enumerate(units):
        c = colors[i % len(colors)]
        active = w1 * X + w2 * Y + b > 0
        ax.contourf(X, Y, active.astype(float), levels=[0.5, 1.5], colors=[c], alpha=0.15)
        ax.contour(X, Y, w1 * X + w2 * Y + b, levels=[0], colors=[c], linewidths=2)
        ax.plot([], [], color=c, lw=2, label="unit {}: {:.2f} x1 + {:.2f} x2 + {:.2f} = 0".format(i, w1, w2, b))
    y = np.zeros(len(cases))
    for (w1, w2, b) in units:
        y += np.maximum(w1 * cases[:, 0] + w2 * cases[:, 1] + b, 0)
    for (x1, x2, target), out in zip(cases, y):
        right = (out > 0.5) == (target > 0.5)
        ax.scatter([x1], [x2], s=140, marker="o" if target > 0.5 else "s", c="white" if target < 0.5 else "black",
                   edgecolors="green" if right else "red", linewidths=2.5, zorder=5)
        ax.annotate("y={:.2f}".format(out), (x1, x2), textcoords="offset points", xytext=(8, 8), fontsize=8)
    ax.set_xlim(-2, 2)
    ax.set_ylim(-2, 2)
    ax.set_aspect("equal")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="lower left")


args = arguments(__doc__)
example = rescue_example(args.files[0], "anneal_hyperplanes.py", ("units_before", "units_after", "cases"))
if example is None:
    sys.exit(1)
d, seed, _ = example
fig, axes = plt.subplots(1, 2, figsize=(10, 5))
draw(axes[0], d["units_before"], d["cases"], "before: baseline's final state (stuck)")
draw(axes[1], d["units_after"], d["cases"], "after: eda's final state (rescued)")
fig.suptitle("Two-ReLU hyperplanes, seed index {} (circles: target 1, squares: target 0; "
             "red edge: misclassified)".format(seed), fontsize=9)
fig.tight_layout()
save(fig, args.output)
