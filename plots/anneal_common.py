"""Shared by the plots/anneal_*.py scripts: reading the rescued example and saving a figure."""
import os
import sys

import h5py


def rescue_example(path, script, names):
    """(datasets `names`, seed index, noise threshold of its sweep point) of group
    /rescue_example of an xorscape-anneal file, or None (with a message naming `script`)
    when no traced run was rescued."""
    with h5py.File(path, "r") as f:
        g = f["rescue_example"]
        if not g.attrs["found"]:
            print(f"{script}: no traced run was rescued in {path}", file=sys.stderr)
            return None
        threshold = float(f["sweep/threshold"][int(g.attrs["point"])])
        return {k: g[k][()] for k in names}, int(g.attrs["seed_index"]), threshold


def save(fig, outdir, name):
    """OUTDIR/NAME.png and OUTDIR/NAME.pdf."""
    os.makedirs(outdir, exist_ok=True)
    for ext in ("png", "pdf"):
        fig.savefig(os.path.join(outdir, f"{name}.{ext}"), dpi=150)
