// xorscape-converge: epoch of convergence tau_conv when one parameter of a solution starts
// shifted by Delta and the other eight at their optimum (Figure 5 of the dissecting paper).
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "xorscape/cli/cli.hpp"
#include "xorscape/training/converge.hpp"
#include "xorscape/io/h5.hpp"

using namespace xorscape;
namespace po = cli::po;

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-converge",
                 "epoch of convergence from a solution with one parameter shifted by Delta (Fig 5)", "converge.h5");
  tool.options().add_options()
      ("center", po::value<std::string>()->default_value("1"),
       "the solution: Table 2 row 1..5, a parameter file, or name=value,...")
      ("parameters", po::value<std::string>()->default_value("all"), "parameters to shift: all or A,B,C")
      ("range", po::value<std::string>()->default_value("-10:10"), "shifts Delta LO:HI (added to the optimum)")
      ("resolution", po::value<std::string>()->default_value("41"), "number of Delta values (>= 2)")
      ("runs", po::value<int>()->default_value(100), "randomized-batch runs R averaged per Delta")
      ("eta", po::value<double>()->default_value(0.1, "0.1"), "learning rate")
      ("epochs", po::value<long long>()->default_value(1000000), "epoch budget per Delta")
      ("threshold", po::value<double>()->default_value(0.005, "0.005"),
       "convergence: run-averaged batch loss and run-averaged full loss both below this")
      ("data", po::value<std::string>()->default_value("xor"), "dataset: xor | xor-centered | xor-pm")
      ("n-hidden", po::value<int>()->default_value(2), "hidden neurons (the center must match)")
      ("reference", po::bool_switch(), "use the scalar reference path instead of the SIMD kernel")
      ("resume", po::bool_switch(), "continue from OUTPUT.checkpoint.h5 (written when a run is stopped by a signal)");
  return tool.run(argc, argv, [&] {
    ConvergeSpec spec;
    const int n_hidden = static_cast<int>(cli::require_at_least("--n-hidden", tool.get<int>("n-hidden"), 1));
    spec.architecture = Architecture{n_hidden};
    const ParameterLayout layout(n_hidden);
    spec.dataset = cli::parse_dataset("--data", tool.get<std::string>("data"));
    spec.center = cli::parse_parameters("--center", tool.get<std::string>("center"), layout);
    std::vector<int> parameters;
    const std::string names = tool.get<std::string>("parameters");
    if (names == "all") {
      for (int k = 0; k < layout.dimension(); ++k) parameters.push_back(k);
    } else {
      std::stringstream in(names);
      std::string item;
      while (std::getline(in, item, ','))
        try {
          parameters.push_back(layout.index(item));
        } catch (const std::invalid_argument& e) {
          throw cli::UsageError("--parameters", e.what());
        }
      if (parameters.empty()) throw cli::UsageError("--parameters", "needs 'all' or parameter names");
    }
    const cli::Range range = cli::parse_range("--range", tool.get<std::string>("range"));
    const auto resolution = cli::parse_resolution("--resolution", tool.get<std::string>("resolution"), 2);
    if (resolution.first != resolution.second) throw cli::UsageError("--resolution", "needs one number N");
    const int n_shifts = resolution.first;
    spec.runs = static_cast<int>(cli::require_at_least("--runs", tool.get<int>("runs"), 1));
    if (spec.runs > 100000) throw cli::UsageError("--runs", "at most 100000");
    spec.eta = cli::require_positive("--eta", tool.get<double>("eta"));
    spec.max_epochs = cli::require_at_least("--epochs", tool.get<long long>("epochs"), 1);
    spec.threshold = cli::require_positive("--threshold", tool.get<double>("threshold"));
    spec.seed = tool.seed();
    spec.fast_path = !tool.get<bool>("reference");

    std::vector<double> shifts(n_shifts);
    for (int i = 0; i < n_shifts; ++i) shifts[i] = range.lo + (range.hi - range.lo) * i / (n_shifts - 1);
    const int P = static_cast<int>(parameters.size());
    const std::int64_t tasks = static_cast<std::int64_t>(P) * n_shifts;
    std::vector<ConvergeOutcome> outcomes(tasks);
    std::vector<std::int64_t> done(tasks, 0);
    // Options a resumed run must share with its checkpoint.
    std::ostringstream signature;
    signature << "center=" << tool.get<std::string>("center") << " parameters=" << names
              << " range=" << tool.get<std::string>("range") << " resolution=" << n_shifts << " runs=" << spec.runs
              << " eta=" << spec.eta << " epochs=" << spec.max_epochs << " threshold=" << spec.threshold
              << " data=" << spec.dataset.name << " n-hidden=" << n_hidden << " seed=" << spec.seed
              << " reference=" << !spec.fast_path;
    const std::string checkpoint = tool.output() + ".checkpoint.h5";
    if (tool.get<bool>("resume")) {
      if (!std::filesystem::exists(checkpoint))
        throw cli::UsageError("--resume", "no checkpoint '" + checkpoint + "' to resume from");
      h5::InputFile in(checkpoint);
      if (in.root().attribute_string("signature") != signature.str())
        throw cli::UsageError("--resume", "checkpoint '" + checkpoint + "' was made with other options (" +
                                              in.root().attribute_string("signature") + ")");
      done = in.root().read_ints("done");
      const auto tau = in.root().read_ints("tau_conv");
      const auto mean = in.root().read_doubles("mean_loss");
      const auto batch = in.root().read_doubles("mean_batch_loss");
      const auto fraction = in.root().read_doubles("converged_fraction");
      if (done.size() != static_cast<size_t>(tasks)) throw cli::UsageError("--resume", "checkpoint size differs");
      for (std::int64_t t = 0; t < tasks; ++t)
        outcomes[t] = ConvergeOutcome{tau[t], mean[t], batch[t], fraction[t], false};
    } else if (std::filesystem::exists(tool.output()) && !tool.force()) {
      throw cli::UsageError("--output", "'" + tool.output() + "' exists; use --force to overwrite it");
    }
    std::atomic<std::int64_t> finished{0};
    cli::Progress progress("xorscape-converge", static_cast<double>(tasks), "shifts");
#pragma omp parallel for schedule(dynamic, 1)
    for (std::int64_t t = 0; t < tasks; ++t) {
      if (done[t] || tool.control().stop_requested()) continue;
      const ConvergeOutcome outcome = converge_from(spec, parameters[t / n_shifts], shifts[t % n_shifts], tool.control());
      if (outcome.interrupted) continue;
      outcomes[t] = outcome;
      done[t] = 1;
      ++finished;
      if (omp_get_thread_num() == 0) progress.update(static_cast<double>(finished.load()));
    }
    progress.finish();
    if (std::find(done.begin(), done.end(), 0) != done.end()) {
      // Stopped by a signal: the finished shifts go to the checkpoint, the others are redone.
      std::vector<std::int64_t> tau(tasks);
      std::vector<double> mean(tasks), batch(tasks), fraction(tasks);
      for (std::int64_t t = 0; t < tasks; ++t) {
        tau[t] = outcomes[t].tau_conv;
        mean[t] = outcomes[t].mean_loss;
        batch[t] = outcomes[t].mean_batch_loss;
        fraction[t] = outcomes[t].converged_runs;
      }
      h5::OutputFile out(checkpoint, true);
      out.write_provenance(tool.provenance());
      out.root().set_attribute("signature", signature.str());
      out.root().write("done", std::span<const std::int64_t>(done), {static_cast<hsize_t>(tasks)});
      out.root().write("tau_conv", std::span<const std::int64_t>(tau), {static_cast<hsize_t>(tasks)});
      out.root().write("mean_loss", mean);
      out.root().write("mean_batch_loss", batch);
      out.root().write("converged_fraction", fraction);
      out.commit();
      std::cerr << "xorscape-converge: stopped; checkpoint written to " << checkpoint
                << " (continue with the same options and --resume)\n";
      return 3;
    }

    std::vector<double> tau(tasks), mean_loss(tasks), mean_batch(tasks), fraction(tasks);
    std::vector<std::int64_t> tau_int(tasks);
    for (std::int64_t t = 0; t < tasks; ++t) {
      tau_int[t] = outcomes[t].tau_conv;
      mean_loss[t] = outcomes[t].mean_loss;
      mean_batch[t] = outcomes[t].mean_batch_loss;
      fraction[t] = outcomes[t].converged_runs;
    }
    std::vector<std::string> parameter_names;
    std::vector<std::int64_t> parameter_index;
    std::vector<double> optimum;
    for (int k : parameters) {
      parameter_names.push_back(layout.name(k));
      parameter_index.push_back(k);
      optimum.push_back(spec.center[k]);
    }
    h5::OutputFile file(tool.output(), tool.force() || tool.get<bool>("resume"));
    file.write_provenance(tool.provenance());
    const h5::Group& root = file.root();
    const hsize_t dims[2] = {static_cast<hsize_t>(P), static_cast<hsize_t>(n_shifts)};
    root.write_strings("parameter", parameter_names);
    root.write("parameter_index", std::span<const std::int64_t>(parameter_index), {dims[0]});
    root.write("optimum", optimum);
    root.set_attribute_on("optimum", "meaning", std::string("the center value of each shifted parameter"));
    root.write("center", spec.center);
    root.write_strings("center_names", layout.names());
    root.write("shift", shifts);
    root.set_attribute_on("shift", "meaning", std::string("Delta: initial value minus optimum"));
    root.write("tau_conv", std::span<const std::int64_t>(tau_int), {dims[0], dims[1]});
    root.set_attribute_on("tau_conv", "meaning",
                          std::string("first epoch with run-averaged batch loss and run-averaged full loss below "
                                      "the threshold; -1: not within the epoch budget"));
    root.write("mean_loss", mean_loss, {dims[0], dims[1]});
    root.set_attribute_on("mean_loss", "meaning",
                          std::string("run-averaged full loss at tau_conv (at the budget's end if not converged)"));
    root.write("mean_batch_loss", mean_batch, {dims[0], dims[1]});
    root.write("converged_fraction", fraction, {dims[0], dims[1]});
    root.set_attribute_on("converged_fraction", "meaning",
                          std::string("fraction of the runs whose own full loss is below the threshold at tau_conv "
                                      "(or at the budget's end)"));
    root.write("parameter_number", std::span<const std::int64_t>(parameter_index), {dims[0]});
    for (const char* name : {"tau_conv", "mean_loss", "mean_batch_loss", "converged_fraction"}) {
      root.attach_scale(name, "parameter_number", 0, "parameter");
      root.attach_scale(name, "shift", 1, "shift");
    }
    root.set_attribute("runs", static_cast<std::int64_t>(spec.runs));
    root.set_attribute("eta", spec.eta);
    root.set_attribute("threshold", spec.threshold);
    root.set_attribute("max_epochs", static_cast<std::int64_t>(spec.max_epochs));
    root.set_attribute("batches", std::string("randomized; run r uses the same batch sequence at every shift"));
    file.commit();
    std::filesystem::remove(checkpoint);
    return 0;
  });
}
