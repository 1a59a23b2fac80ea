#include "xorscape/training/training_file.hpp"

#include "xorscape/io/network_file.hpp"

namespace xorscape::training {

void write_converge(const h5::Group& root, const ConvergeJob& job) {
  const ConvergeSweep& sweep = job.sweep();
  const ConvergeSpec& spec = sweep.spec;
  const XorLoss loss(spec.architecture, spec.dataset);
  const ParameterLayout& layout = loss.layout();
  io::write_network(root, loss);
  std::vector<std::string> names;
  std::vector<std::int64_t> index;
  std::vector<double> optimum;
  for (int k : sweep.parameters) {
    names.push_back(layout.name(k));
    index.push_back(k);
    optimum.push_back(spec.center[k]);
  }
  std::vector<std::int64_t> tau;
  std::vector<double> mean_loss, mean_batch, fraction;
  for (const ConvergeOutcome& o : job.outcomes()) {
    tau.push_back(o.tau_conv);
    mean_loss.push_back(o.mean_loss);
    mean_batch.push_back(o.mean_batch_loss);
    fraction.push_back(o.converged_runs);
  }
  root.write_scale("parameter_number", std::span<const std::int64_t>(index),
                   {"index of each shifted parameter in the parameter vector"});
  root.write_scale("shift", sweep.shifts, {"Delta: initial value minus optimum"});
  root.write_strings("parameter", names, {{"parameter_number"}, "names of the shifted parameters"});
  root.write("parameter_index", std::span<const std::int64_t>(index), {{"parameter_number"}});
  root.write("optimum", optimum, {{"parameter_number"}, "the center value of each shifted parameter"});
  root.write("center", spec.center, {{"parameter_names"}, "the solution every shift starts from"});
  root.write_strings("center_names", layout.names(), {{"parameter_names"}, "the same as /parameter_names"});
  root.set_attribute("center_source", sweep.center_source);
  if (!sweep.center_note.empty()) root.set_attribute("center_note", sweep.center_note);
  const std::vector<std::string> axes{"parameter_number", "shift"};
  root.write("tau_conv", std::span<const std::int64_t>(tau),
             {axes, "first epoch with run-averaged batch loss and run-averaged full loss below the threshold; "
                    "-1: not within the epoch budget"});
  root.write("mean_loss", mean_loss, {axes, "run-averaged full loss at tau_conv (at the budget's end if not converged)"});
  root.write("mean_batch_loss", mean_batch, {axes, "run-averaged loss on each run's own batch at tau_conv"});
  root.write("converged_fraction", fraction,
             {axes, "fraction of the runs whose own full loss is below the threshold at tau_conv (or at the budget's end)"});
  root.set_attribute("runs", static_cast<std::int64_t>(spec.runs));
  root.set_attribute("eta", spec.eta);
  root.set_attribute("threshold", spec.threshold);
  root.set_attribute("max_epochs", static_cast<std::int64_t>(spec.max_epochs));
  root.set_attribute("batches", std::string("randomized; run r uses the same batch sequence at every shift"));
}

Params read_point(const h5::Group& root, const io::PointSelector& selector) {
  const std::string tool = root.has_attribute("tool") ? root.attribute_string("tool") : "";
  if (tool == "xorscape-converge") {
    selector.allow({}, {"center"});
    return root.read_doubles("center");
  }
  selector.allow({"run"}, {"initial", "final"});
  const std::string dataset = selector.has("initial") ? "runs/initial_parameters" : "runs/final_parameters";
  std::int64_t run = 0;
  if (const auto k = selector.number("run")) {
    run = *k;
  } else if (root.shape(dataset).at(0) != 1) {
    throw std::invalid_argument("the file holds " + std::to_string(root.shape(dataset).at(0)) +
                                " runs: name one, e.g. FILE:run=0");
  }
  return io::read_row(root, dataset, run, "run");
}

}  // namespace xorscape::training
