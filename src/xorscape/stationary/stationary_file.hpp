#pragma once
// The layout of xorscape-stationary files (docs/xorscape-stationary.md): write and read side by side.
#include "xorscape/io/h5.hpp"
#include "xorscape/io/parameter_point.hpp"

namespace xorscape::stationary {

// Parameter points: class=K (the representative of class K) or point=K (distinct point K).
// A census of the network without output bias gives b2_1 = 0.
Params read_point(const h5::Group& root, const io::PointSelector& selector);

}  // namespace xorscape::stationary
