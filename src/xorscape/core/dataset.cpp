#include "xorscape/core/dataset.hpp"

#include <stdexcept>

namespace xorscape {

Dataset dataset_by_name(std::string_view name) {
  if (name == "xor") return {"xor", {{{0, 0, 0}, {0, 1, 1}, {1, 0, 1}, {1, 1, 0}}}};
  if (name == "xor-centered") return {"xor-centered", {{{-1, -1, 0}, {-1, 1, 1}, {1, -1, 1}, {1, 1, 0}}}};
  if (name == "xor-pm") return {"xor-pm", {{{-1, -1, -0.8}, {-1, 1, 0.8}, {1, -1, 0.8}, {1, 1, -0.8}}}};
  throw std::invalid_argument("'" + std::string(name) + "' is not a dataset (xor, xor-centered, xor-pm)");
}

}  // namespace xorscape
