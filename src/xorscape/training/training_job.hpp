#pragma once
// A training plan as a resumable job (io/checkpoint.hpp): every (learning rate, seed index)
// pair is one run; train() advances them all, and the job's state is the runs' states and the
// traces recorded so far. When every run has finished, the job summarises them: the full loss
// at the end, the power-law fit of each run and the converged fraction per learning rate.
//
// Random numbers: run (eta index e, seed index s) draws its initial point from
// RandomStream(seed, {1, s}), its batches from the key RandomStream(seed, {2, s}).next() and
// its Monte Carlo proposals from RandomStream(seed, {3, s}).next(), so the runs of one seed
// index start from the same point and see the same batches at every learning rate.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "xorscape/core/run_control.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/training/training.hpp"

namespace xorscape::training {

// Where the runs start: each parameter uniform in [lo, hi) (drawn per seed index), or one point.
struct Initialisation {
  bool uniform = true;
  double lo = 0.0;
  double hi = 0.1;
  Params point;        // when !uniform
  std::string source;  // how it was named (provenance): "uniform in [0, 0.1)", "published solution 3 (Table 2)"
  std::string note;    // why the point differs from what was named (published rows 3, 4), else empty
};

struct TrainingPlan {
  TrainSpec spec;
  std::vector<double> etas;  // one per eta index (a single value without a sweep)
  int seeds = 1;             // seed indices per learning rate
  bool sweep = false;        // --eta-sweep: the file gets /sweep
  Initialisation init;
  std::uint64_t seed = 1;
  // Power-law fit window in epochs; empty: default_fit_window of each run's trace.
  std::optional<std::pair<std::int64_t, std::int64_t>> fit_window;
  std::string fit_window_text = "auto";  // as given, for the file
  std::size_t run_count() const { return etas.size() * static_cast<std::size_t>(seeds); }
};

// The runs of a plan before any epoch: run index r = eta index * seeds + seed index.
std::vector<TrainingRun> initial_runs(const TrainingPlan& plan);

// About how many bytes a plan needs: per run its recorded points (at most the record schedule's
// length) x (epoch, losses, and with --record full D parameters, 4 n_h hidden and 4 output
// activations) x 8 bytes, plus the run state and the rows of the output.
double estimated_memory(const TrainingPlan& plan);

// What the file stores beyond the runs themselves, computed once every run has finished.
struct TrainingSummary {
  std::vector<double> final_loss;          // per run: full nonrandomized loss at its final epoch
  std::vector<PowerLawFit> fits;           // per run: L ~ A tau^-gamma over the fit window
  std::vector<double> converged_fraction;  // per eta index: fraction of seed indices converged
};
TrainingSummary summarise(const TrainingPlan& plan, const std::vector<TrainingRun>& runs);

class TrainingJob {
 public:
  explicit TrainingJob(TrainingPlan plan);
  // Everything that changes the numbers: network, data, optimizer, learning rates, seeds,
  // start, epochs, threshold, record level and schedule, code path, seed.
  std::string identity() const;
  bool finished() const;
  double fraction_done() const;
  // Trains until every run has finished or control asks to stop (then the runs stand at
  // their last pause, at most a second's work apart; nothing is lost).
  void advance(const RunControl& control);
  // The runs' states and traces (training_file.cpp writes and reads them).
  void save(const h5::Group& group) const;
  void load(const h5::Group& group);

  const TrainingPlan& plan() const { return plan_; }
  const std::vector<TrainingRun>& runs() const { return runs_; }
  // Valid once finished().
  const TrainingSummary& summary() const { return summary_; }

 private:
  TrainingPlan plan_;
  std::vector<TrainingRun> runs_;
  TrainingSummary summary_;
};

}  // namespace xorscape::training
