#pragma once
// The options of xorscape-simplesample and xorscape-wanglandau and their reading into jobs
// (docs/xorscape-simplesample.md, docs/xorscape-wanglandau.md). Every size is checked against
// the memory it needs before any work starts.
#include <optional>

#include "xorscape/cli/cli.hpp"
#include "xorscape/cli/network_options.hpp"
#include "xorscape/entropy/simple_sampling.hpp"
#include "xorscape/entropy/wanglandau_job.hpp"

namespace xorscape::cli {

// The network options of both tools: any n_h and hidden activation; the output activation must
// be bounded (sigmoid or tanh), because the loss range [0, L_max] is binned.
NetworkChoices entropy_network_choices();

// --box, --bins, --fine-bins, --fine-until (the sampled problem, shared by both tools).
void add_problem_options(Tool& tool);
// Throws UsageError naming the option at fault.
entropy::EntropyProblem read_problem(const Tool& tool, const NetworkOptions& network);

// The problem options and --samples, --block, --bench.
void add_simplesample_options(Tool& tool);
entropy::SimpleSamplingJob read_simplesample(const Tool& tool, const NetworkOptions& network);

// The problem options and --runs, --windows, --overlap, --flatness, --lnf-initial, --lnf-final,
// --schedule, --production-sweeps, --discovery-sweeps, --max-sweeps, --round-steps, --bins-from, --compare, --smooth,
// --bench.
void add_wanglandau_options(Tool& tool);
entropy::WangLandauJob read_wanglandau(const Tool& tool, const NetworkOptions& network);
// The simple-sampling file of --compare, read and checked before any work (none without it).
std::optional<entropy::SimpleSamplingReference> read_comparison_reference(const Tool& tool,
                                                                         const entropy::EntropyProblem& problem);
// The simple-sampling precision below which --compare compares a bin: standard error of S <= 0.05.
inline constexpr double kComparePrecision = 0.05;

}  // namespace xorscape::cli
