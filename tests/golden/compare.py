#!/usr/bin/python3
"""Compares two golden digests (tests/golden/digest.py) entry by entry.

Usage: compare.py OLD NEW [RENAMES]
RENAMES (tests/golden/renames.tsv): lines "FILE<TAB>OLD_PATH<TAB>NEW_PATH" for datasets a layout
change moved; FILE may be "*" for every file, and OLD_PATH may end in "/" to move a whole group;
"/path@name" entries move one numeric attribute.
An entry of OLD must appear in NEW (under its new name) with the same shape and digest; NEW may
hold more (new datasets). Prints every difference; exit status 1 if any.
"""
import sys


def load(path):
    entries = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                name, key, shape, digest = line.rstrip("\n").split("\t")
                entries[(name, key)] = (shape, digest)
    return entries


def load_renames(path):
    renames = []
    if path:
        with open(path) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    name, old, new = line.rstrip("\n").split("\t")
                    renames.append((name, old, new))
    return renames


def renamed(name, key, renames):
    for file_pattern, old, new in renames:
        if file_pattern not in ("*", name):
            continue
        if "@" in old:  # an attribute moved or renamed: "/path@old" -> "/path@new"
            if key == old:
                return new
            continue
        path, _, attribute = key.partition("@")
        if old.endswith("/") and path.startswith(old):
            path = new + path[len(old):]
        elif path == old:
            path = new
        else:
            continue
        return path + ("@" + attribute if attribute else "")
    return key


def main():
    old, new = load(sys.argv[1]), load(sys.argv[2])
    renames = load_renames(sys.argv[3] if len(sys.argv) > 3 else None)
    problems = 0
    for (name, key), value in sorted(old.items()):
        target = (name, renamed(name, key, renames))
        if target not in new:
            print(f"missing  {name} {key}" + (f" (as {target[1]})" if target[1] != key else ""))
            problems += 1
        elif new[target] != value:
            print(f"differs  {name} {key}: {value} -> {new[target]}")
            problems += 1
    extra = len(set(new) - {(n, renamed(n, k, renames)) for n, k in old})
    print(f"{len(old)} entries compared, {problems} differ or are missing, {extra} new in the second digest")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
