#pragma once
// The one declaration of the network options (--n-hidden, --activation, --output-activation,
// --data) and their limits. Tools differ only in their defaults and in what their method needs,
// and say why where they accept less:
//   n_h        1..4096 everywhere (D = 4 n_h + 1 up to 16385); the stationary-point census
//              stops at 6 (it enumerates the n_h! 2^n_h hidden-unit symmetries)
//   output     any activation, except where the loss must be bounded (entropy: sigmoid, tanh)
// --output-activation "same" (the stationary and annealing tools' default) takes --activation's.
#include <string>
#include <vector>

#include "xorscape/cli/cli.hpp"
#include "xorscape/core/network.hpp"
#include "xorscape/io/network_file.hpp"

namespace xorscape::cli {

inline constexpr int kMaxHidden = 4096;

struct NetworkChoices {
  int n_hidden = 2;
  std::string hidden = "sigmoid";
  std::string output = "sigmoid";  // or "same"
  std::string data = "xor";
  int max_hidden = kMaxHidden;
  std::string max_hidden_reason;  // why a tool accepts fewer than kMaxHidden
  std::vector<Activation> hidden_allowed{Activation::sigmoid, Activation::tanh, Activation::relu, Activation::identity};
  std::vector<Activation> output_allowed{Activation::sigmoid, Activation::tanh, Activation::relu, Activation::identity};
  std::string output_reason;  // why some output activations are refused
};

class NetworkOptions {
 public:
  // Declares the four options on the tool.
  explicit NetworkOptions(Tool& tool, NetworkChoices choices = {});
  // Validated values; a bad one throws UsageError naming its option.
  Architecture architecture() const;
  Dataset dataset() const;
  XorLoss loss(Reduction reduction = Reduction::mean, double l2 = 0.0) const;
  io::NetworkDescription description() const;
  const NetworkChoices& choices() const { return choices_; }

 private:
  const Tool& tool_;
  NetworkChoices choices_;
};

}  // namespace xorscape::cli
