#include "xorscape/io/network_file.hpp"

namespace xorscape::io {

std::string NetworkDescription::summary() const {
  return "n_h = " + std::to_string(architecture.n_hidden) + ", " + to_string(architecture.hidden) + "/" +
         to_string(architecture.output) + ", " + data;
}

NetworkDescription describe(const XorLoss& loss) {
  return NetworkDescription{loss.architecture(), loss.dataset().name, loss.reduction(), loss.l2(),
                            loss.layout().names()};
}

void write_network(const h5::Group& root, const NetworkDescription& n) {
  root.set_attribute("n_hidden", static_cast<std::int64_t>(n.architecture.n_hidden));
  root.set_attribute("dimension", static_cast<std::int64_t>(n.parameter_names.size()));
  root.set_attribute("hidden_activation", to_string(n.architecture.hidden));
  root.set_attribute("output_activation", to_string(n.architecture.output));
  root.set_attribute("data", n.data);
  root.set_attribute("reduction", std::string(n.reduction == Reduction::mean ? "mean" : "sum"));
  root.set_attribute("l2", n.l2);
  root.write_scale("parameter_names", n.parameter_names,
                   {"parameter names in the order of every parameter axis (Table 2 order of the dissecting paper)"});
}

std::optional<NetworkDescription> read_network(const h5::Group& file_root) {
  // Older census files kept the description in /problem.
  const h5::Group root = !file_root.has_attribute("n_hidden") && file_root.exists("problem")
                             ? file_root.open_group("problem")
                             : file_root.open_group(".");
  if (!root.has_attribute("n_hidden")) return std::nullopt;
  NetworkDescription n;
  n.architecture.n_hidden = static_cast<int>(root.attribute_int("n_hidden"));
  if (root.has_attribute("hidden_activation"))
    n.architecture.hidden = parse_activation(root.attribute_string("hidden_activation"));
  if (root.has_attribute("output_activation"))
    n.architecture.output = parse_activation(root.attribute_string("output_activation"));
  if (root.has_attribute("data")) n.data = root.attribute_string("data");
  else if (root.has_attribute("dataset")) n.data = root.attribute_string("dataset");
  if (root.has_attribute("reduction"))
    n.reduction = root.attribute_string("reduction") == "sum" ? Reduction::sum : Reduction::mean;
  if (root.has_attribute("l2")) n.l2 = root.attribute_double("l2");
  if (root.is_dataset("parameter_names")) n.parameter_names = root.read_strings("parameter_names");
  else if (root.is_dataset("parameter")) n.parameter_names = root.read_strings("parameter");
  return n;
}

std::string network_mismatch(const NetworkDescription& wanted, const NetworkDescription& found) {
  const Architecture& a = wanted.architecture;
  const Architecture& b = found.architecture;
  if (a.n_hidden != b.n_hidden)
    return "n_h = " + std::to_string(b.n_hidden) + ", not " + std::to_string(a.n_hidden);
  if (a.hidden != b.hidden) return "hidden activation " + to_string(b.hidden) + ", not " + to_string(a.hidden);
  if (a.output != b.output) return "output activation " + to_string(b.output) + ", not " + to_string(a.output);
  if (wanted.data != found.data) return "data " + found.data + ", not " + wanted.data;
  return "";
}

}  // namespace xorscape::io
