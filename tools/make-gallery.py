#!/usr/bin/python3
"""Refresh the README gallery (docs/gallery/*.png) from a reproduce.sh output folder.

Usage: /usr/bin/python3 tools/make-gallery.py [OUT]   (default OUT: reproduce-out)
Copies a few figures from OUT/figures, scaled to at most 900 pixels wide so the repository
stays small. Run after tools/reproduce.sh (quick or --full) and commit docs/gallery/.
"""
import os
import sys

from PIL import Image

# (figure in OUT/figures, name in docs/gallery, caption)
GALLERY = [
    ("fig6_trajectories.png", "fig6.png", "Figure 6: six cross-sections around solution #1 with GD and gradient-flow paths"),
    ("slice-fig7.png", "fig7.png", "Figure 7: randomized-batch slice, one scan and the mean of 100"),
    ("train_fig2.png", "fig2.png", "Figure 2: loss against epoch for several learning rates, n_h = 2 and 18"),
    ("entropy_fig8.png", "fig8.png", "Figure 8: microcanonical entropy S(L) for n_h = 1 ... 18"),
    ("anneal_success.png", "anneal.png", "Error-Driven Annealing against baseline and controls, Wilson 95 % intervals"),
    ("stationary-tanh-paper-figure2.png", "stationary.png", "Stationary-point classes of the 488-solutions network by reach probability"),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "reproduce-out"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    dest = os.path.join(root, "docs", "gallery")
    os.makedirs(dest, exist_ok=True)
    missing = []
    for source, name, _ in GALLERY:
        path = os.path.join(out, "figures", source)
        if not os.path.exists(path):
            missing.append(source)
            continue
        image = Image.open(path).convert("RGB")
        if image.width > 900:
            image = image.resize((900, round(image.height * 900 / image.width)), Image.LANCZOS)
        image.save(os.path.join(dest, name), optimize=True)
    if missing:
        print("make-gallery: not in " + out + "/figures: " + ", ".join(missing), file=sys.stderr)
        return 1
    print("make-gallery: wrote " + dest, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
