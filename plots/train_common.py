"""What only the training plots need beyond plots/xorscape_plot.py: the recorded traces of an
xorscape-train file."""


def runs(f):
    """Names of the recorded traces (/traces/run_NNNNN), in run order."""
    return sorted(name for name in f["traces"] if name.startswith("run_")) if "traces" in f else []
