#pragma once
// The network a file is about, written the same way by every tool and read back wherever a
// file's contents are used again (parameter points, --into, plots):
//   root attributes  n_hidden, dimension, hidden_activation, output_activation, data,
//                    reduction ("mean" or "sum"), l2
//   /parameter_names the D parameter names in the paper's order; a dimension scale, so every
//                    (..., D) dataset of the file is labelled by them
#include <optional>
#include <string>
#include <vector>

#include "xorscape/core/network.hpp"
#include "xorscape/io/h5.hpp"

namespace xorscape::io {

struct NetworkDescription {
  Architecture architecture{};
  std::string data = "xor";
  Reduction reduction = Reduction::mean;
  double l2 = 0.0;
  std::vector<std::string> parameter_names;
  // "n_h = 2, sigmoid/sigmoid, xor": for messages.
  std::string summary() const;
};

NetworkDescription describe(const XorLoss& loss);

void write_network(const h5::Group& root, const NetworkDescription& network);
inline void write_network(const h5::Group& root, const XorLoss& loss) { write_network(root, describe(loss)); }
// The description a file carries, or nothing when it has none (files of other programs).
// Files written before the description was unified are read too (train's "dataset" attribute).
std::optional<NetworkDescription> read_network(const h5::Group& root);

// An empty string when `found` describes the same network (architecture and data) as `wanted`,
// else what differs ("n_h = 3, not 2").
std::string network_mismatch(const NetworkDescription& wanted, const NetworkDescription& found);

}  // namespace xorscape::io
