#pragma once
// What xorscape-simplesample and xorscape-wanglandau share: the options that define the
// sampled problem (network, data, box, binning), their validation, and its HDF5 description.
#include <string>

#include "xorscape/cli/cli.hpp"
#include "xorscape/entropy/entropy.hpp"

namespace xorscape::entropy {

// The density-of-loss problem: the network's loss on the nonrandomized batch, the box, the bins.
struct EntropyProblem {
  XorLoss loss;
  Box box;
  LossBinning binning;
  double loss_upper_bound;
  std::string identity;  // one line naming all of the above (checkpoints resume only the same)
};

// --n-hidden, --activation, --output-activation, --data, --box, --bins, --fine-bins, --fine-until.
void add_problem_options(cli::po::options_description& options);
// Throws cli::UsageError naming the option at fault.
EntropyProblem read_problem(const cli::Tool& tool);
// Root attributes: n_hidden, activations, data, box (lower/upper per parameter, ln_volume),
// binning, loss_upper_bound; and /bins/edges, /bins/centre (the loss axis of every histogram).
void write_problem(const h5::Group& root, const EntropyProblem& problem);

}  // namespace xorscape::entropy
