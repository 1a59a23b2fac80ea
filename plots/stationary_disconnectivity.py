#!/usr/bin/python3
"""Disconnectivity graph (Becker & Karplus 1997; Wales, "Energy Landscapes") of an xorscape-stationary
file written with --connect yes: every minimum is a leaf at its energy E; two basins join at the
energy of the lowest index-1 saddle that connects them (directly or through basins already joined),
so reading upwards shows the basins merging as E rises. Leaves are labelled with their census class;
a descent end outside the census is drawn red, labelled "new". Saddles whose two descents end in
the same class (a connection between two symmetry images) join nothing and are counted in the title.

Writes PREFIX.png and PREFIX.pdf, and for plots/stationary_disconnectivity.gp PREFIX-segments.dat
(x1 E1 x2 E2 outside: one line segment per row) and PREFIX-leaves.dat (x E label outside).

Usage: /usr/bin/python3 plots/stationary_disconnectivity.py FILE.h5 -o PREFIX
"""
from xorscape_plot import arguments, attribute, h5py, np, plt, save


def read_graph(f):
    g = f["connectivity"]
    nodes = {"energy": g["node_energy"][()], "cls": g["node_class"][()]}
    ends = g["end_node"][()].reshape(-1, 2)
    edges = [(float(e), int(a), int(b)) for e, (a, b) in zip(g["saddle_energy"][()], ends) if a >= 0 and b >= 0]
    return nodes, edges, int(np.sum(ends < 0))


def merge_tree(energy, edges):
    """Kruskal on the saddles by energy: tree nodes are (E, children); leaves have no children.
    Returns the roots (one per connected component) and the number of saddles that joined nothing."""
    tree = [(float(e), []) for e in energy]
    top = list(range(len(energy)))  # tree node of each leaf's component, through find()
    parent = list(range(len(energy)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    idle = 0
    for e, a, b in sorted(edges):
        ra, rb = find(a), find(b)
        if ra == rb:
            idle += 1
            continue
        tree.append((e, [top[ra], top[rb]]))
        parent[rb] = ra
        top[ra] = len(tree) - 1
    roots = sorted({top[find(x)] for x in range(len(energy))}, key=lambda t: tree[t][0])
    return tree, roots, idle


def layout(tree, roots):
    """Leaves at x = 0, 1, ... in depth-first order (lower child first); an inner node at the mean
    of its children's x. Returns x of every tree node."""
    x = [0.0] * len(tree)
    count = 0

    def place(t):
        nonlocal count
        children = sorted(tree[t][1], key=lambda c: tree[c][0])
        if not children:
            x[t] = count
            count += 1
            return
        for c in children:
            place(c)
        x[t] = sum(x[c] for c in children) / len(children)

    for r in roots:
        place(r)
    return x


def segments(tree, roots, x, ceiling):
    """Vertical lines from each node up to its parent's energy (roots to the ceiling), horizontal
    lines joining the children of each inner node: rows (x1, E1, x2, E2, tree node)."""
    rows = []
    for t, (e, children) in enumerate(tree):
        for c in children:
            rows.append((x[c], tree[c][0], x[c], e, c))
        if children:
            xs = [x[c] for c in children]
            rows.append((min(xs), e, max(xs), e, t))
    for r in roots:
        rows.append((x[r], tree[r][0], x[r], ceiling, r))
    return rows


def main():
    args = arguments(__doc__.splitlines()[0], files="one", file_help="an xorscape-stationary file made with --connect yes")
    with h5py.File(args.files[0], "r") as f:
        if "connectivity" not in f:
            raise SystemExit(f"{args.files[0]} has no /connectivity group (run xorscape-stationary with --connect yes)")
        nodes, edges, unconverged = read_graph(f)
        p = f["problem"]
        title = (f"2-{attribute(p, 'n_hidden')}-1 {attribute(p, 'hidden_activation')}, {attribute(p, 'data')}, "
                 f"{attribute(p, 'reduction')} error, $\\mu$ = {attribute(p, 'mu'):g}; census "
                 f"{attribute(f['summary'], 'completeness')}")
    n = len(nodes["energy"])
    tree, roots, idle = merge_tree(nodes["energy"], edges)
    x = layout(tree, roots)
    energies = [t[0] for t in tree]
    span = max(energies) - min(energies) if n else 1.0
    ceiling = max(energies) + 0.08 * max(span, 1e-3)
    rows = segments(tree, roots, x, ceiling)
    outside = [0] * len(tree)
    for leaf in range(n):
        outside[leaf] = int(nodes["cls"][leaf] < 0)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.32 * n + 2), 5))
    for x1, e1, x2, e2, t in rows:
        ax.plot([x1, x2], [e1, e2], color="#c0392b" if outside[t] else "#1f3b73", linewidth=1.2)
    labels = [(x[leaf], nodes["energy"][leaf], "new" if outside[leaf] else str(nodes["cls"][leaf]), outside[leaf])
              for leaf in range(n)]
    for lx, le, text, out in labels:
        ax.annotate(text, (lx, le), textcoords="offset points", xytext=(0, -10), ha="center", va="top", fontsize=7,
                    color="#c0392b" if out else "black")
    ax.set_xticks([])
    ax.set_xlim(-1, max(n, 1))
    ax.set_ylim(min(energies) - 0.08 * max(span, 1e-3), ceiling)
    ax.set_ylabel("E (regularised loss)")
    ax.set_xlabel("minima (labels: census class)")
    ax.set_title(f"{title}\n{n} minima, {len(edges)} saddle connections ({idle} join nothing new, "
                 f"{unconverged} descents unconverged), {len(roots)} component(s)", fontsize=9)
    save(fig, args.output)
    with open(f"{args.output}-segments.dat", "w") as out:
        out.write("# x1 E1 x2 E2 outside_census\n")
        for x1, e1, x2, e2, t in rows:
            out.write(f"{x1:.6g} {e1:.17g} {x2:.6g} {e2:.17g} {outside[t]}\n")
    with open(f"{args.output}-leaves.dat", "w") as out:
        out.write("# x E label outside_census\n")
        for lx, le, text, o in labels:
            out.write(f"{lx:.6g} {le:.17g} {text} {o}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
