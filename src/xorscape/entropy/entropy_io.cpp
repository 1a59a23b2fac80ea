#include "xorscape/entropy/entropy_io.hpp"

#include <optional>
#include <sstream>

namespace xorscape::entropy {

void add_problem_options(cli::po::options_description& options) {
  namespace po = cli::po;
  options.add_options()
      ("n-hidden", po::value<int>()->default_value(2), "hidden neurons n_h (D = 4 n_h + 1 parameters), 1..64")
      ("activation", po::value<std::string>()->default_value("sigmoid"), "hidden activation: sigmoid|tanh|relu")
      ("output-activation", po::value<std::string>()->default_value("sigmoid"),
       "output activation: sigmoid|tanh (must be bounded: the loss range is binned)")
      ("data", po::value<std::string>()->default_value("xor"), "truth table: xor|xor-centered|xor-pm")
      ("box", po::value<std::string>()->default_value("20"),
       "half-width R of the sampled box [-R,R]^D (parameter units); per-group overrides: '10,w2=20,b2=5' "
       "(groups w1 b1 w2 b2, or single parameter names such as w1_12)")
      ("bins", po::value<int>()->default_value(1000), "uniform loss bins over [0, L_max] (L_max = 1 for xor)")
      ("fine-bins", po::value<int>()->default_value(0), "replace the bins below --fine-until by this many finer ones (0: off)")
      ("fine-until", po::value<double>()->default_value(0.01), "upper end of the finely binned low-loss region (loss units)");
}

EntropyProblem read_problem(const cli::Tool& tool) {
  const int n_hidden = static_cast<int>(cli::require_at_least("--n-hidden", tool.get<int>("n-hidden"), 1));
  if (n_hidden > 64) throw cli::UsageError("--n-hidden", "at most 64 hidden neurons");
  const Activation hidden = cli::parse_activation("--activation", tool.get<std::string>("activation"));
  const Activation output = cli::parse_activation("--output-activation", tool.get<std::string>("output-activation"));
  if (output != Activation::sigmoid && output != Activation::tanh)
    throw cli::UsageError("--output-activation", "must be sigmoid or tanh (a bounded output keeps the loss binnable)");
  const Dataset data = cli::parse_dataset("--data", tool.get<std::string>("data"));
  XorLoss loss(Architecture{n_hidden, hidden, output}, data);
  Box box;
  try {
    box = parse_box(tool.get<std::string>("box"), loss.layout(), 20.0);
  } catch (const std::invalid_argument& e) {
    throw cli::UsageError("--box", e.what());
  }
  const int bins = static_cast<int>(cli::require_at_least("--bins", tool.get<int>("bins"), 2));
  if (bins > 10000000) throw cli::UsageError("--bins", "at most 10^7 bins");
  const int fine_bins = static_cast<int>(cli::require_at_least("--fine-bins", tool.get<int>("fine-bins"), 0));
  if (fine_bins > 10000000) throw cli::UsageError("--fine-bins", "at most 10^7 bins");
  const double fine_until = cli::require_positive("--fine-until", tool.get<double>("fine-until"));
  const double top = loss_upper_bound(loss);
  std::optional<LossBinning> binning;
  try {
    binning.emplace(0.0, top, bins, fine_until, fine_bins);
  } catch (const std::invalid_argument& e) {
    throw cli::UsageError(fine_bins > 0 ? "--fine-until" : "--bins", e.what());
  }
  std::ostringstream id;
  id << "n_h " << n_hidden << " hidden " << to_string(hidden) << " output " << to_string(output) << " data "
     << data.name << " box " << box.describe() << " " << binning->describe();
  return EntropyProblem{loss, box, *binning, top, id.str()};
}

void write_problem(const h5::Group& root, const EntropyProblem& p) {
  const auto& a = p.loss.architecture();
  root.set_attribute("n_hidden", static_cast<std::int64_t>(a.n_hidden));
  root.set_attribute("dimension", static_cast<std::int64_t>(p.loss.dimension()));
  root.set_attribute("hidden_activation", to_string(a.hidden));
  root.set_attribute("output_activation", to_string(a.output));
  root.set_attribute("data", p.loss.dataset().name);
  root.set_attribute("loss_definition", "L = (1/4) sum_m (yhat_m - y_m)^2 over the nonrandomized batch (equation 4)");
  root.set_attribute("parameter_names", p.loss.layout().names());
  root.set_attribute("box_lower", p.box.lower);
  root.set_attribute("box_upper", p.box.upper);
  root.set_attribute("ln_box_volume", p.box.ln_volume());
  root.set_attribute("loss_upper_bound", p.loss_upper_bound);
  root.set_attribute("binning", p.binning.describe());
  root.set_attribute("normalisation", "integral of g(L) dL over the reachable bins = box volume; S = ln g");
  const h5::Group bins = root.create_group("bins");
  bins.write("edges", p.binning.edges());
  bins.write("centre", p.binning.centres());
  bins.set_attribute_on("edges", "units", "loss L (dimensionless)");
  bins.set_attribute_on("centre", "units", "loss L (dimensionless)");
}

}  // namespace xorscape::entropy
