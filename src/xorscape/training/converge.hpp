#pragma once
// Epoch of convergence from a shifted solution (Figure 5, section 3.2 of the dissecting paper):
// one parameter of a solution is shifted by Delta, the others stay at the optimum, and R
// randomized-batch runs start there. tau_conv is the first epoch at which the loss averaged
// over the R runs on their own randomized batches is below the threshold AND the
// nonrandomized (full-batch) loss averaged over the R runs is below it too.
// Run r draws its batches from a stream keyed by r alone, so every (parameter, Delta) sees
// the same batch sequences (common random numbers: differences between Deltas are not noise
// from different batches).
#include <cstdint>
#include <string>
#include <vector>

#include "xorscape/core/network.hpp"
#include "xorscape/core/run_control.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/training/optimize.hpp"
#include "xorscape/kernels/train_kernels.hpp"

namespace xorscape {

struct ConvergeSpec {
  Architecture architecture{};
  Dataset dataset;
  Params center;                 // the solution
  double eta = 0.1;
  int runs = 100;                // R
  std::int64_t max_epochs = 1000000;
  double threshold = 0.005;
  std::uint64_t seed = 1;
  bool fast_path = true;
  kernels::SimdLevel simd = kernels::training_simd_level();
};

struct ConvergeOutcome {
  std::int64_t tau_conv = -1;  // -1: not converged within max_epochs
  double mean_loss = 0.0;      // run-averaged full loss at tau_conv (or at max_epochs)
  double mean_batch_loss = 0.0;
  double converged_runs = 0.0; // fraction of runs whose own full loss is below the threshold then
  bool interrupted = false;    // a stop was requested (control.stop_requested()) before the outcome was known
};

// Batch key of run r.
std::uint64_t converge_batch_key(std::uint64_t seed, int run);

namespace training {

// A sweep of Figure 5: every listed parameter shifted by every Delta. The (parameter, Delta)
// tasks are the work units: independent, deterministic, done in parallel in any order.
struct ConvergeSweep {
  ConvergeSpec spec;
  std::vector<int> parameters;  // layout indices of the shifted parameters
  std::vector<double> shifts;   // Delta values
  std::string center_source;    // how the center was named (provenance)
  std::string center_note;      // why it differs from what was named (published rows 3, 4)
};

// The sweep as a resumable job (io/checkpoint.hpp): a task interrupted by a stop is redone.
class ConvergeJob {
 public:
  explicit ConvergeJob(ConvergeSweep sweep);
  std::string identity() const;
  bool finished() const;
  double fraction_done() const;
  void advance(const RunControl& control);
  void save(const h5::Group& group) const;
  void load(const h5::Group& group);

  const ConvergeSweep& sweep() const { return sweep_; }
  // Outcome of task p * shifts + s (parameter p, shift s).
  const std::vector<ConvergeOutcome>& outcomes() const { return outcomes_; }

 private:
  ConvergeSweep sweep_;
  std::vector<ConvergeOutcome> outcomes_;
  std::vector<std::uint8_t> done_;
};

}  // namespace training
// The R runs from center + shift * e_parameter. Checks control.interrupted() between blocks of
// epochs and returns an interrupted outcome if a stop was requested.
ConvergeOutcome converge_from(const ConvergeSpec& spec, int parameter, double shift,
                              const RunControl& control = RunControl());

}  // namespace xorscape
