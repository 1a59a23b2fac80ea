#!/usr/bin/python3
"""Writes a small slice file in the layout of docs/xorscape-slice.md (the network description of
io::write_network, /center labelled by the /parameter_names scale, planes with scaled x, y and
loss), for the trajectory tests and as a stand-in where xorscape-slice is not built. The loss is the 2-2-1 sigmoid XOR loss
of equation (4), computed here with numpy (the tests compare it with the library's loss at
the trajectory points).

Usage: trajectory_slice_fixture.py OUT.h5 [--pairs "A,B;C,D"] [--range LO:HI] [--resolution N]
       [--center 1]   (only Table 2 solutions 1, 2 and 5, which need no correction)
"""
import argparse
import sys

import h5py
import numpy as np

NAMES = ["w1_11", "w1_12", "w1_21", "w1_22", "b1_1", "b1_2", "w2_11", "w2_12", "b2_1"]
SOLUTIONS = {
    1: [-6.05, -6.05, -4.23, -4.24, 2.36, 6.29, -8.68, 8.46, -3.94],
    2: [-6.20, 5.64, 5.91, -5.96, -3.78, -3.63, 8.53, 8.65, -3.68],
    5: [7.25, 5.65, 7.16, 5.69, -3.25, -8.60, 13.61, -14.04, -6.53],
}
CASES = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def loss(p):
    """p: list of 9 arrays (or scalars) broadcast together; returns the mean squared error."""
    w11, w12, w21, w22, b1, b2, v1, v2, c = p
    total = 0.0
    for x1, x2, y in CASES:
        h1 = sigmoid(w11 * x1 + w12 * x2 + b1)
        h2 = sigmoid(w21 * x1 + w22 * x2 + b2)
        total = total + (sigmoid(v1 * h1 + v2 * h2 + c) - y) ** 2
    return 0.25 * total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--pairs", default="b1_1,b2_1")
    parser.add_argument("--range", default="-15:15")
    parser.add_argument("--resolution", type=int, default=101)
    parser.add_argument("--center", type=int, default=1, choices=sorted(SOLUTIONS))
    args = parser.parse_args()
    lo, hi = (float(v) for v in args.range.split(":"))
    center = np.array(SOLUTIONS[args.center], dtype=float)
    axis = np.linspace(lo, hi, args.resolution)
    with h5py.File(args.output, "w") as f:
        f.attrs.update(tool="trajectory_slice_fixture.py", n_hidden=2, dimension=9, hidden_activation="sigmoid",
                       output_activation="sigmoid", data="xor", reduction="mean", l2=0.0, batch="nonrandomized",
                       scans=1, center_source=f"published solution {args.center} (Table 2)")
        f["parameter_names"] = np.array(NAMES, dtype=h5py.string_dtype())
        f["parameter_names"].make_scale("parameter_names")
        f["center"] = center
        f["center"].dims[0].attach_scale(f["parameter_names"])
        for pair in args.pairs.split(";"):
            a, b = pair.split(",")
            ia, ib = NAMES.index(a), NAMES.index(b)
            g = f.create_group(f"planes/{a},{b}")
            g.attrs.update(x_parameter=a, y_parameter=b, x_index=ia, y_index=ib,
                           x_center=center[ia], y_center=center[ib])
            X, Y = np.meshgrid(axis, axis)  # X[j, i] = axis[i], Y[j, i] = axis[j]
            p = [np.full_like(X, v) for v in center]
            p[ia] = center[ia] + X
            p[ib] = center[ib] + Y
            g["x"] = axis
            g["y"] = axis
            g["x"].attrs["units"] = "offset from center"
            g["y"].attrs["units"] = "offset from center"
            g["loss"] = loss(p)
            g["x"].make_scale("x")
            g["y"].make_scale("y")
            g["loss"].dims[0].attach_scale(g["y"])
            g["loss"].dims[1].attach_scale(g["x"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
