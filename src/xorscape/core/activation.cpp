#include "xorscape/core/activation.hpp"

#include <stdexcept>

namespace xorscape {

std::string to_string(Activation activation) {
  switch (activation) {
    case Activation::sigmoid: return "sigmoid";
    case Activation::tanh: return "tanh";
    case Activation::relu: return "relu";
    case Activation::identity: return "identity";
  }
  return "unknown";
}

Activation parse_activation(std::string_view text) {
  if (text == "sigmoid") return Activation::sigmoid;
  if (text == "tanh") return Activation::tanh;
  if (text == "relu") return Activation::relu;
  if (text == "identity" || text == "linear") return Activation::identity;
  throw std::invalid_argument("'" + std::string(text) + "' is not an activation (sigmoid, tanh, relu, identity)");
}

}  // namespace xorscape
