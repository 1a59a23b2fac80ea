#pragma once
// The layouts of xorscape-train and xorscape-converge files (docs/xorscape-train.md,
// docs/xorscape-converge.md): write and read side by side.
#include "xorscape/io/h5.hpp"
#include "xorscape/io/parameter_point.hpp"

namespace xorscape::training {

// Parameter points of a train file: run=K (final parameters of run K; with "initial" its start);
// without a selector the only run's final parameters. A converge file: center (the default).
Params read_point(const h5::Group& root, const io::PointSelector& selector);

}  // namespace xorscape::training
