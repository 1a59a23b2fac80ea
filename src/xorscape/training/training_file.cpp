#include "xorscape/training/training_file.hpp"

namespace xorscape::training {

Params read_point(const h5::Group& root, const io::PointSelector& selector) {
  const std::string tool = root.has_attribute("tool") ? root.attribute_string("tool") : "";
  if (tool == "xorscape-converge") {
    selector.allow({}, {"center"});
    return root.read_doubles("center");
  }
  selector.allow({"run"}, {"initial", "final"});
  const std::string dataset = selector.has("initial") ? "runs/initial_parameters" : "runs/final_parameters";
  std::int64_t run = 0;
  if (const auto k = selector.number("run")) {
    run = *k;
  } else if (root.shape(dataset).at(0) != 1) {
    throw std::invalid_argument("the file holds " + std::to_string(root.shape(dataset).at(0)) +
                                " runs: name one, e.g. FILE:run=0");
  }
  return io::read_row(root, dataset, run, "run");
}

}  // namespace xorscape::training
