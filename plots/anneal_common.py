"""What the plots/anneal_*.py scripts share beyond plots/xorscape_plot.py: the arms and sweep
settings of an xorscape-anneal file, and its rescued example."""
import sys

from xorscape_plot import h5py, text


def arms(f):
    """The arm names of an open xorscape-anneal file, in file order."""
    return [text(a) for a in f["arm_names"][()]]


def settings(f, point):
    """The sweep point's settings as one line."""
    sp = f["sweep"]
    return "eta {:g}, init scale {:g}, threshold {:g}, base noise {:g}".format(
        sp["learning_rate"][point], sp["init_scale"][point], sp["threshold"][point], sp["base_noise"][point])


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


def protocol_label(f):
    """The file's protocol (and what was given on top of it) and its number of seeds, as one line."""
    protocol = f.attrs.get("protocol", b"default")
    protocol = protocol.decode() if isinstance(protocol, bytes) else str(protocol)
    extra = f.attrs.get("protocol_overrides", b"")
    extra = extra.decode() if isinstance(extra, bytes) else str(extra)
    seeds = int(f["summary/runs"][0, 0])
    return "{} protocol{} ({} seeds)".format(protocol, " + " + extra if extra else "", seeds)
