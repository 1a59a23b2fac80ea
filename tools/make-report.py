#!/usr/bin/python3
"""Assemble OUT/REPORT.md: one table row per paper claim, computed from the HDF5 files in OUT.

Each area of the toolkit has a script plots/report_<area>.py that prints markdown rows
`| claim | paper value | our value | command | holds? |` read from its files; this script
runs them all in name order and writes the report with a header saying at which scale the
run was made, a tally of the verdicts, and the list of figures.
Usage: /usr/bin/python3 tools/make-report.py OUT
"""
import datetime
import glob
import os
import subprocess
import sys

SCALES = {
    "full": "paper scale (`tools/reproduce.sh --full`)",
    "quick": "quick default scale (`tools/reproduce.sh`): runs are scaled down, see each row's command",
    "tiny": "tiny smoke-test scale (`tools/reproduce.sh --tiny`): numbers are NOT meaningful",
}


def verdict(row):
    """yes / no / partly from the last cell; anything else (a measurement, a comparison) is "other"."""
    last = row.strip().rstrip("|").rsplit("|", 1)[-1].strip().lower()
    for word in ("yes", "partly", "no"):
        if last.startswith(word):
            return word
    return "other"


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: make-report.py OUT_FOLDER (an existing folder)", file=sys.stderr)
        return 2
    out = sys.argv[1]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    scale_file = os.path.join(out, "SCALE")
    scale = open(scale_file).read().strip() if os.path.exists(scale_file) else "quick"
    body = []
    failures = []
    tally = {}
    for script in sorted(glob.glob(os.path.join(root, "plots", "report_*.py"))):
        area = os.path.basename(script)[len("report_"):-3]
        result = subprocess.run([sys.executable, script, out], capture_output=True, text=True)
        rows = [r for r in result.stdout.splitlines() if r.startswith("|")]
        for r in rows:
            v = verdict(r)
            tally[v] = tally.get(v, 0) + 1
        body += [f"## {area}", "", "| claim | paper | ours | command | holds? |", "|---|---|---|---|---|"]
        body += rows if rows else ["| (no rows: this step's files are missing) | | | | |"]
        if result.returncode != 0:
            failures.append(area)
            err = result.stderr.strip().splitlines()
            body += ["", f"`report_{area}.py` failed: `{err[-1] if err else result.returncode}`"]
        body.append("")
    figures = sorted(os.path.relpath(p, out) for p in glob.glob(os.path.join(out, "figures", "*"))
                     if p.endswith((".png", ".pdf")))
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    head = [
        "# xorscape reproduction report",
        "",
        f"Generated {now} at {SCALES.get(scale, scale)}. Every value below is read from the HDF5 files "
        "in this folder; the command column says how each was produced.",
        "",
        "Rows by verdict: " + ", ".join(f"{k} {tally.get(k, 0)}" for k in ("yes", "partly", "no", "other"))
        + " (other: measurements and comparisons without a yes/no claim)",
        "",
    ]
    tail = ["## Figures", ""] + [f"- [{f}]({f})" for f in figures] + [""]
    with open(os.path.join(out, "REPORT.md.tmp"), "w") as f:
        f.write("\n".join(head + body + tail) + "\n")
    os.replace(os.path.join(out, "REPORT.md.tmp"), os.path.join(out, "REPORT.md"))
    print(f"make-report: wrote {os.path.join(out, 'REPORT.md')}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
