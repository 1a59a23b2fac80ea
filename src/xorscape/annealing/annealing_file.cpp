#include "xorscape/annealing/annealing_file.hpp"

#include <algorithm>

namespace xorscape::annealing {

Params read_point(const h5::Group& root, const io::PointSelector& selector) {
  selector.allow({"seed", "arm", "point"}, {"initial", "final"});
  if (root.has_attribute("model") && root.attribute_string("model") != "network")
    throw std::invalid_argument("the file's model is " + root.attribute_string("model") +
                                ", not the network: its parameters are not the network's");
  const auto seed = selector.number("seed");
  if (!seed) throw std::invalid_argument("name a run, e.g. FILE:seed=0,arm=eda");
  const std::int64_t point = selector.number("point").value_or(0);
  const auto initial = root.shape("runs/initial_parameters");  // (points, seeds, D)
  const std::int64_t points = static_cast<std::int64_t>(initial.at(0)), seeds = static_cast<std::int64_t>(initial.at(1));
  if (point >= points) throw std::invalid_argument("point " + std::to_string(point) + " does not exist (0.." + std::to_string(points - 1) + ")");
  if (*seed >= seeds) throw std::invalid_argument("seed " + std::to_string(*seed) + " does not exist (0.." + std::to_string(seeds - 1) + ")");
  const std::vector<double> all = root.read_doubles(selector.has("initial") ? "runs/initial_parameters" : "runs/final_parameters");
  const std::int64_t D = static_cast<std::int64_t>(initial.at(2));
  if (selector.has("initial")) {
    const auto first = all.begin() + (point * seeds + *seed) * D;
    return Params(first, first + D);
  }
  const std::vector<std::string> arms = root.read_strings("arm_names");
  std::int64_t arm = 0;
  if (selector.keys.count("arm")) {
    const auto it = std::find(arms.begin(), arms.end(), selector.keys.at("arm"));
    if (it == arms.end()) throw std::invalid_argument("arm '" + selector.keys.at("arm") + "' is not in the file");
    arm = it - arms.begin();
  }
  const std::int64_t A = static_cast<std::int64_t>(arms.size());
  const auto first = all.begin() + ((point * A + arm) * seeds + *seed) * D;
  return Params(first, first + D);
}

}  // namespace xorscape::annealing
