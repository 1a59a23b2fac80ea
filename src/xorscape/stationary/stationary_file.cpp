#include "xorscape/stationary/stationary_file.hpp"

namespace xorscape::stationary {

Params read_point(const h5::Group& root, const io::PointSelector& selector) {
  selector.allow({"class", "point"}, {});
  Params p;
  if (const auto c = selector.number("class")) p = io::read_row(root, "classes/representative", *c, "class");
  else if (const auto q = selector.number("point")) p = io::read_row(root, "points/coordinates", *q, "point");
  else throw std::invalid_argument("name a class or a point, e.g. FILE:class=0");
  if (p.size() % 4 == 0) p.push_back(0.0);  // no output bias: the network's b2_1 is 0
  return p;
}

}  // namespace xorscape::stationary
