#include "xorscape/cli/network_options.hpp"

#include <algorithm>

namespace xorscape::cli {

namespace {
std::string names_of(const std::vector<Activation>& activations) {
  std::string text;
  for (Activation a : activations) text += (text.empty() ? "" : " | ") + to_string(a);
  return text;
}
}  // namespace

NetworkOptions::NetworkOptions(Tool& tool, NetworkChoices choices) : tool_(tool), choices_(std::move(choices)) {
  const bool same = choices_.output == "same";
  tool.options().add_options()
      ("n-hidden", po::value<int>()->default_value(choices_.n_hidden),
       ("hidden neurons n_h, 1.." + std::to_string(choices_.max_hidden) + " (D = 4 n_h + 1 parameters)").c_str())
      ("activation", po::value<std::string>()->default_value(choices_.hidden),
       ("hidden activation: " + names_of(choices_.hidden_allowed)).c_str())
      ("output-activation", po::value<std::string>()->default_value(choices_.output),
       ("output activation: " + std::string(same ? "same (as --activation) | " : "") + names_of(choices_.output_allowed) +
        (choices_.output_reason.empty() ? "" : " (" + choices_.output_reason + ")"))
           .c_str())
      ("data", po::value<std::string>()->default_value(choices_.data),
       "truth table: xor ({0,1} inputs and targets) | xor-centered (±1 inputs, 0/1 targets) | xor-pm (±1 inputs, ∓0.8 targets)");
}

Architecture NetworkOptions::architecture() const {
  const int n_hidden = static_cast<int>(require_at_least("--n-hidden", tool_.get<int>("n-hidden"), 1));
  if (n_hidden > choices_.max_hidden)
    throw UsageError("--n-hidden", "at most " + std::to_string(choices_.max_hidden) +
                                       (choices_.max_hidden_reason.empty() ? "" : " (" + choices_.max_hidden_reason + ")"));
  const Activation hidden = parse_activation("--activation", tool_.get<std::string>("activation"));
  if (std::find(choices_.hidden_allowed.begin(), choices_.hidden_allowed.end(), hidden) == choices_.hidden_allowed.end())
    throw UsageError("--activation", "must be " + names_of(choices_.hidden_allowed));
  const std::string output_text = tool_.get<std::string>("output-activation");
  const Activation output =
      output_text == "same" && choices_.output == "same" ? hidden : parse_activation("--output-activation", output_text);
  if (std::find(choices_.output_allowed.begin(), choices_.output_allowed.end(), output) == choices_.output_allowed.end())
    throw UsageError("--output-activation", "must be " + names_of(choices_.output_allowed) +
                                                (choices_.output_reason.empty() ? "" : " (" + choices_.output_reason + ")"));
  return Architecture{n_hidden, hidden, output};
}

Dataset NetworkOptions::dataset() const { return parse_dataset("--data", tool_.get<std::string>("data")); }

XorLoss NetworkOptions::loss(Reduction reduction, double l2) const {
  return XorLoss(architecture(), dataset(), reduction, l2);
}

io::NetworkDescription NetworkOptions::description() const { return io::describe(loss()); }

}  // namespace xorscape::cli
