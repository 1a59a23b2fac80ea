#pragma once
// The census of xorscape-stationary as a resumable job (io/checkpoint.hpp, driven by
// cli::run_job): independent trials, each from its own random stream (seed, trial index), run in
// blocks of kBlock in parallel and appended in trial order, so the record never depends on the
// thread count or on where a run was stopped and resumed. When every trial is done the census
// (distinct points, classes, Table 2) is built once, as the last unit of work, followed (with
// spec.connect) by the connectivity graph of its index-1 saddles and (with spec.continue_mu) the
// continuation of every class in mu.
//
// Stops: between trials on control.stop_requested() (a checkpoint deadline lets the trials in
// flight finish; the finished prefix of the block is kept), inside trials and the census on
// control.interrupted() (a signal: the unfinished trials are dropped and redone after --resume).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "xorscape/core/run_control.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/stationary/connectivity.hpp"
#include "xorscape/stationary/continuation.hpp"
#include "xorscape/stationary/stationary.hpp"

namespace xorscape::stationary {

struct CensusSpec {
  StationaryProblem problem;
  std::string reduction = "sum";  // the name of problem.error_weight: sum (1), mean (1/4), half-sum (1/2)
  std::int64_t starts = 2000;     // trials to reach; with complete_after > 0, the most to draw (the budget)
  TrialOptions trial;
  // Trials with an odd index start on the sphere of this radius instead of trial.radius (0: none).
  double inner_radius = 0.0;
  std::uint64_t seed = 1;
  // The stopping rule: stop at the first multiple of CensusJob::kBlock trials at which the Morse
  // sum is 1, no class is degenerate and no new class has appeared for complete_after trials (or
  // at least complete_after trials are done and half the classes are degenerate: ill-posed).
  // 0: no rule, exactly `starts` trials.
  std::int64_t complete_after = 0;
  double degenerate_below = 1e-6;  // a class is degenerate when its smallest |eigenvalue| is below this
  // After the census: the connectivity graph of its index-1 saddles (stationary/connectivity.hpp).
  // Not part of the identity: it is computed from the census, whatever the trials were.
  bool connect = false;
  ConnectivityOptions connectivity;
  // After the census: every class followed in mu (stationary/continuation.hpp); not in the identity.
  bool continue_mu = false;
  ContinuationOptions continuation;
};

// The raw outcome of the first starts_done trials: what checkpoints hold and outputs keep.
struct TrialRecord {
  std::int64_t starts_done = 0;
  std::vector<Hit> hits;                     // in trial order
  std::vector<std::int32_t> hit_iterations;  // per hit
  std::vector<std::int32_t> hit_method;      // per hit: 0 homotopy path, 1 deflated Levenberg-Marquardt
  std::vector<std::int32_t> path_steps;      // per trial
  std::vector<std::int32_t> solves;          // per trial
  std::vector<std::int32_t> failures;        // per trial
  // Appends trial number starts_done.
  void append(TrialResult&& trial);
};

// What this process did (for rates; not part of the state).
struct CensusSession {
  std::int64_t trials = 0;
  std::int64_t solves = 0;
  std::int64_t path_steps = 0;
  double seconds = 0.0;  // wall time spent in trials
};

class CensusJob {
 public:
  // Trials per block (independent of --threads: the order of checkpoints never depends on it).
  static constexpr std::int64_t kBlock = 32;

  explicit CensusJob(CensusSpec spec);
  CensusJob(const CensusJob&) = delete;  // the gradient system refers to the loss member
  CensusJob& operator=(const CensusJob&) = delete;

  // The checkpoint contract.
  std::string identity() const;
  bool finished() const { return census_.has_value(); }
  double fraction_done() const;
  void advance(const RunControl& control);
  void save(const h5::Group& group) const;
  void load(const h5::Group& group);
  // Continues a finished output to more starts (cli::Extendable): false when it already has
  // them; throws when it was made with other settings or has more trials than asked for.
  bool extend(const h5::Group& finished_output);

  const CensusSpec& spec() const { return spec_; }
  const RegularisedXorLoss& loss() const { return loss_; }
  const HiddenUnitSymmetry& symmetry() const { return symmetry_; }
  const TrialRecord& record() const { return record_; }
  const CensusSession& session() const { return session_; }
  // Available once finished().
  const Census& census() const { return *census_; }
  const CensusSummary& summary() const { return *summary_; }
  // Available once finished() when spec().connect.
  const std::optional<ConnectivityGraph>& graph() const { return graph_; }
  // Available once finished() when spec().continue_mu.
  const std::optional<ContinuationResult>& continuation() const { return continuation_; }

 private:
  void run_block(const RunControl& control);
  // Whether the stopping rule holds for the trials recorded so far (only at multiples of kBlock).
  bool rule_met();

  CensusSpec spec_;
  RegularisedXorLoss loss_;
  HiddenUnitSymmetry symmetry_;
  GradientSystem system_;
  TrialRecord record_;
  ClassTracker tracker_;
  CensusSession session_;
  std::optional<Census> census_;
  std::optional<CensusSummary> summary_;
  std::optional<ConnectivityGraph> graph_;
  std::optional<ContinuationResult> continuation_;
  // The connectivity graph and the continuation of a finished census; false when interrupted.
  bool analyse(const RunControl& control);
};

}  // namespace xorscape::stationary
