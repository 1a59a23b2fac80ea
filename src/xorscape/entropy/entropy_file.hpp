#pragma once
// The layouts of xorscape-simplesample and xorscape-wanglandau files
// (docs/xorscape-simplesample.md, docs/xorscape-wanglandau.md): write and read side by side.
#include "xorscape/io/h5.hpp"
#include "xorscape/io/parameter_point.hpp"

namespace xorscape::entropy {

// Parameter points: min (the lowest loss seen; the default), and in a Wang-Landau file run=K
// (the lowest-loss state of run K).
Params read_point(const h5::Group& root, const io::PointSelector& selector);

}  // namespace xorscape::entropy
