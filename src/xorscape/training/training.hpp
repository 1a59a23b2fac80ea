#pragma once
// Training runs of the XOR network (section 3.1-3.2 of the dissecting paper): many
// independent runs advanced in parallel, each stopping when its full-batch loss falls
// below a threshold, at an epoch limit, or when a stop is requested (RunControl), with
// observers that record loss, parameters and activations at logarithmically spaced epochs.
//
// Paths: n_h = 2 with sigmoid hidden and output units trained by gd or sgd runs on the SIMD
// kernel (kernels::advance_sigmoid2, eight runs per block); everything else, and every run
// when TrainSpec::fast_path is false, on the reference path (reference_epoch).
// A run's result depends only on its own state and keys, never on the thread count, the
// block it shares or where a stop interrupted it.
#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "xorscape/core/run_control.hpp"
#include "xorscape/kernels/train_kernels.hpp"
#include "xorscape/core/network.hpp"
#include "xorscape/training/optimize.hpp"

namespace xorscape {

enum class RecordLevel { none, loss, full };
std::string to_string(RecordLevel level);
RecordLevel parse_record_level(std::string_view text);  // none | loss | full

struct TrainSpec {
  Architecture architecture{};
  Dataset dataset;
  OptimizerSettings optimizer{};
  std::int64_t max_epochs = 1000000;
  double threshold = 0.005;          // stop when the full nonrandomized loss is below; <= 0: never
  RecordLevel record = RecordLevel::full;
  int points_per_decade = 50;        // record epochs: 0 and round(10^(k / points_per_decade))
  bool fast_path = true;             // use the SIMD kernel where it applies
  kernels::SimdLevel simd = kernels::training_simd_level();
};

// What the observers recorded, one entry per recorded epoch (row-major blocks):
// parameters (T x D), hidden activations (T x 4 x n_h: case, neuron), output (T x 4).
struct Trace {
  std::vector<std::int64_t> epoch;
  std::vector<double> loss;        // full nonrandomized loss
  std::vector<double> loss_batch;  // loss on that epoch's batch
  std::vector<double> parameters;
  std::vector<double> hidden;
  std::vector<double> output;
  std::size_t size() const { return epoch.size(); }
};

struct TrainingRun {
  Params initial;
  RunState state;
  Trace trace;
  std::int64_t converged_epoch = -1;  // first epoch with full loss < threshold, -1 if none
  bool finished = false;
};

// 0, 1, 2, ... : the distinct values round(10^(k / points_per_decade)) up to max_epochs.
std::vector<std::int64_t> record_schedule(int points_per_decade, std::int64_t max_epochs);

bool fast_path_applies(const TrainSpec& spec);

// Advances every unfinished run until it converges, reaches spec.max_epochs or a stop is
// requested (control.stop_requested(), polled at least every 65 536 epochs of a block of runs
// and every max(1, 256 / n_h) epochs of a reference-path run). Runs in parallel (OpenMP) over runs or blocks
// of runs. control.progress(epochs done, epochs of all runs) is reported from one thread; a
// finished run counts its whole budget as done. A stopped run can be advanced again by another
// call and ends exactly as it would have without the stop. Returns true when every run has finished.
bool train(const TrainSpec& spec, std::vector<TrainingRun>& runs,
           const RunControl& control = RunControl());

// L(tau) ~ A tau^-gamma: least squares of ln L on ln tau over the recorded points with
// lo <= tau <= hi. gamma_error is the standard error of the slope from the residuals
// (the points are log-spaced, so each decade weighs the same); gamma_early / gamma_late
// are the slopes over the lower and upper halves of the window (in ln tau), a measure of
// curvature that the standard error does not capture.
struct PowerLawFit {
  bool ok = false;
  double gamma = 0.0;
  double gamma_error = 0.0;
  double amplitude = 0.0;
  double gamma_early = 0.0;
  double gamma_late = 0.0;
  std::int64_t lo = 0;
  std::int64_t hi = 0;
  int points = 0;
};
PowerLawFit fit_power_law(std::span<const std::int64_t> epochs, std::span<const double> losses, std::int64_t lo,
                          std::int64_t hi);
// The default window: from 10 tau_drop to the last recorded epoch, where tau_drop is the
// first recorded epoch with full loss below 0.05 (the end of the drop into the basin).
// Returns {0, 0} when the loss never fell below 0.05.
std::pair<std::int64_t, std::int64_t> default_fit_window(const Trace& trace);

}  // namespace xorscape
