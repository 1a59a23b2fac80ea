#pragma once
// The layout of xorscape-anneal files (docs/xorscape-anneal.md): write and read side by side.
#include "xorscape/io/h5.hpp"
#include "xorscape/io/parameter_point.hpp"

namespace xorscape::annealing {

// Parameter points (network model only): seed=S with optional arm=NAME (default: the first arm)
// and point=P (default 0): that run's final parameters; with "initial" its initialisation.
Params read_point(const h5::Group& root, const io::PointSelector& selector);

}  // namespace xorscape::annealing
