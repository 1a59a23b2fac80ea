#!/usr/bin/python3
"""Assemble OUT/REPORT.md: one table row per paper claim, computed from the HDF5 files in OUT.

Each area of the toolkit has a script plots/report_<area>.py that prints markdown rows
`| claim | paper value | our value | command | holds? |` read from its files; this script
runs them all in name order and writes the report with a header saying at which scale the
run was made. Usage: /usr/bin/python3 tools/make-report.py OUT
"""
import datetime
import glob
import os
import subprocess
import sys


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: make-report.py OUT_FOLDER (an existing folder)", file=sys.stderr)
        return 2
    out = sys.argv[1]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    scale = "paper scale (--full)" if os.environ.get("FULL") == "1" else "quick default scale (reduced: see each row's command)"
    lines = [
        "# xorscape reproduction report",
        "",
        f"Generated {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} "
        f"at {scale}. Every value below is read from the HDF5 files in this folder; "
        "the command column says how each was produced.",
        "",
    ]
    failures = []
    for script in sorted(glob.glob(os.path.join(root, "plots", "report_*.py"))):
        area = os.path.basename(script)[len("report_"):-3]
        result = subprocess.run([sys.executable, script, out], capture_output=True, text=True)
        rows = [r for r in result.stdout.splitlines() if r.startswith("|")]
        lines += [f"## {area}", "", "| claim | paper | ours | command | holds? |", "|---|---|---|---|---|"]
        lines += rows if rows else ["| (no rows: the step's files are missing) | | | | |"]
        if result.returncode != 0:
            failures.append(area)
            lines.append("")
            lines.append(f"report_{area}.py failed: `{result.stderr.strip().splitlines()[-1] if result.stderr.strip() else result.returncode}`")
        lines.append("")
    with open(os.path.join(out, "REPORT.md.tmp"), "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(os.path.join(out, "REPORT.md.tmp"), os.path.join(out, "REPORT.md"))
    print(f"make-report: wrote {os.path.join(out, 'REPORT.md')}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
