#pragma once
// The layouts of xorscape-train and xorscape-converge files (docs/xorscape-train.md,
// docs/xorscape-converge.md): write and read side by side.
#include "xorscape/io/h5.hpp"
#include "xorscape/io/parameter_point.hpp"
#include "xorscape/training/converge.hpp"

namespace xorscape::training {

// xorscape-converge: the network, the center and its provenance, and per (parameter, Delta)
// tau_conv and the run averages (docs/xorscape-converge.md).
void write_converge(const h5::Group& root, const ConvergeJob& job);

// Parameter points of a train file: run=K (final parameters of run K; with "initial" its start);
// without a selector the only run's final parameters. A converge file: center (the default).
Params read_point(const h5::Group& root, const io::PointSelector& selector);

}  // namespace xorscape::training
