#include "xorscape/entropy/entropy_file.hpp"

#include <algorithm>

namespace xorscape::entropy {

Params read_point(const h5::Group& root, const io::PointSelector& selector) {
  if (root.is_dataset("min_point")) {
    selector.allow({}, {"min"});
    return root.read_doubles("min_point");
  }
  selector.allow({"run"}, {"min"});
  if (const auto run = selector.number("run")) return io::read_row(root, "runs/min_state", *run, "run");
  const std::vector<double> losses = root.read_doubles("runs/min_loss");
  const auto lowest = std::min_element(losses.begin(), losses.end()) - losses.begin();
  return io::read_row(root, "runs/min_state", lowest, "run");
}

}  // namespace xorscape::entropy
