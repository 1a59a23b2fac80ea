#include "xorscape/training/training.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>

#include "xorscape/kernels/train_kernels.hpp"

namespace xorscape {

std::string to_string(RecordLevel level) {
  switch (level) {
    case RecordLevel::none: return "none";
    case RecordLevel::loss: return "loss";
    case RecordLevel::full: return "full";
  }
  return "unknown";
}

RecordLevel parse_record_level(std::string_view text) {
  if (text == "none") return RecordLevel::none;
  if (text == "loss") return RecordLevel::loss;
  if (text == "full") return RecordLevel::full;
  throw std::invalid_argument("'" + std::string(text) + "' is not a record level (none, loss, full)");
}

std::vector<std::int64_t> record_schedule(int points_per_decade, std::int64_t max_epochs) {
  if (points_per_decade < 1) throw std::invalid_argument("points per decade must be at least 1");
  std::vector<std::int64_t> epochs{0};
  for (int k = 0;; ++k) {
    const double value = std::round(std::pow(10.0, static_cast<double>(k) / points_per_decade));
    if (value > static_cast<double>(max_epochs)) break;
    const auto epoch = static_cast<std::int64_t>(value);
    if (epoch != epochs.back()) epochs.push_back(epoch);
  }
  return epochs;
}

bool fast_path_applies(const TrainSpec& spec) {
  return spec.fast_path && spec.architecture.n_hidden == 2 && spec.architecture.hidden == Activation::sigmoid &&
         spec.architecture.output == Activation::sigmoid &&
         (spec.optimizer.optimizer == Optimizer::gd || spec.optimizer.optimizer == Optimizer::sgd);
}

namespace {

constexpr std::int64_t kChunk = 1 << 16;  // epochs between pauses (checks of the stop request)

class Trainer {
 public:
  Trainer(const TrainSpec& spec)
      : spec_(spec), loss_(spec.architecture, spec.dataset),
        schedule_(record_schedule(spec.points_per_decade, spec.max_epochs)),
        poll_(std::max<std::int64_t>(1, 256 / spec.architecture.n_hidden)) {}

  // The next epoch the run must pause at: a record epoch, the limit, or a stop check.
  std::int64_t next_pause(std::int64_t epoch) const {
    std::int64_t target = std::min(spec_.max_epochs, epoch + kChunk);
    if (spec_.record != RecordLevel::none) {
      auto it = std::upper_bound(schedule_.begin(), schedule_.end(), epoch);
      if (it != schedule_.end()) target = std::min(target, *it);
    }
    return target;
  }

  void record(TrainingRun& run, bool force) const {
    if (spec_.record == RecordLevel::none) return;
    const std::int64_t epoch = run.state.epoch;
    if (!run.trace.epoch.empty() && run.trace.epoch.back() == epoch) return;
    if (!force && !std::binary_search(schedule_.begin(), schedule_.end(), epoch)) return;
    const EpochLosses losses = epoch_losses(loss_, spec_.optimizer, run.state);
    Trace& t = run.trace;
    t.epoch.push_back(epoch);
    t.loss.push_back(losses.full);
    t.loss_batch.push_back(losses.batch);
    if (spec_.record != RecordLevel::full) return;
    const Params& p = run.state.params;
    t.parameters.insert(t.parameters.end(), p.begin(), p.end());
    std::vector<double> hidden(spec_.architecture.n_hidden);
    for (const Example& e : spec_.dataset.examples) {
      t.output.push_back(loss_.activations(p, e.x1, e.x2, hidden));
      t.hidden.insert(t.hidden.end(), hidden.begin(), hidden.end());
    }
  }

  // Marks the run finished; `done` then counts the rest of its budget as done (progress).
  void finish(TrainingRun& run, bool converged, std::atomic<double>& done) const {
    if (converged) run.converged_epoch = run.state.epoch;
    run.finished = true;
    done += static_cast<double>(spec_.max_epochs - run.state.epoch);
    record(run, true);
  }

  // At the epoch limit the last state is still checked against the threshold.
  void finish_at_limit(TrainingRun& run, std::atomic<double>& done) const {
    const bool converged = spec_.threshold > 0.0 && loss_.value(run.state.params) < spec_.threshold;
    finish(run, converged, done);
  }

  void report(const std::atomic<double>& done) const {
    if (omp_get_thread_num() == 0) control_->progress(done.load(), total_);
  }

  // Stops are polled inside a pause interval every poll_ epochs (256 / n_h, at least 1), so
  // that even a large network (n_h = 4096: about a millisecond per epoch) stops within a
  // second; a run stopped between pauses continues from its epoch exactly as it would have
  // (records fall on fixed epochs).
  void run_reference(TrainingRun& run, std::atomic<double>& done) const {
    while (!run.finished && !control_->stop_requested()) {
      record(run, false);
      if (run.state.epoch >= spec_.max_epochs) {
        finish_at_limit(run, done);
        break;
      }
      const std::int64_t start = run.state.epoch;
      const std::int64_t target = next_pause(start);
      bool converged = false;
      while (run.state.epoch < target && !converged) {
        if ((run.state.epoch - start) % poll_ == poll_ - 1 && control_->stop_requested()) break;
        const std::int64_t before = run.state.epoch;
        reference_epoch(loss_, spec_.optimizer, run.state, spec_.threshold);
        converged = run.state.epoch == before;
      }
      done += static_cast<double>(run.state.epoch - start);
      if (converged) finish(run, true, done);
      report(done);
    }
  }

  void run_block(std::span<TrainingRun*> lanes, std::atomic<double>& done) const {
    kernels::SigmoidTrainBlock block;
    for (size_t j = 0; j < lanes.size(); ++j) {
      const RunState& s = lanes[j]->state;
      block.active[j] = !lanes[j]->finished;
      for (int k = 0; k < 9; ++k) block.params[k][j] = s.params[k];
      block.eta[j] = s.eta;
      block.batch_key[j] = s.batch_key;
    }
    kernels::SigmoidTrainChunk chunk;
    chunk.randomized = uses_randomized_batches(spec_.optimizer);
    chunk.threshold = spec_.threshold;
    while (!control_->stop_requested()) {
      std::int64_t epoch = -1;
      for (size_t j = 0; j < lanes.size(); ++j)
        if (!lanes[j]->finished) {
          record(*lanes[j], false);
          epoch = lanes[j]->state.epoch;
        }
      if (epoch < 0) break;
      if (epoch >= spec_.max_epochs) {
        for (TrainingRun* run : lanes)
          if (!run->finished) finish_at_limit(*run, done);
        break;
      }
      chunk.first_epoch = epoch;
      chunk.epochs = next_pause(epoch) - epoch;
      kernels::advance_sigmoid2(block, spec_.dataset, chunk, spec_.simd);
      for (size_t j = 0; j < lanes.size(); ++j) {
        TrainingRun& run = *lanes[j];
        if (run.finished) continue;
        for (int k = 0; k < 9; ++k) run.state.params[k] = block.params[k][j];
        if (block.converged_epoch[j] >= 0) {
          done += static_cast<double>(block.converged_epoch[j] - epoch);
          run.state.epoch = block.converged_epoch[j];
          block.active[j] = false;
          finish(run, true, done);
        } else {
          run.state.epoch = epoch + chunk.epochs;
          done += static_cast<double>(chunk.epochs);
        }
      }
      report(done);
    }
  }

  bool run_all(std::vector<TrainingRun>& runs, const RunControl& control) const {
    // Progress counts the epochs done before this call too, and the whole budget of a finished run.
    double before = 0.0;
    for (const TrainingRun& run : runs) before += static_cast<double>(run.finished ? spec_.max_epochs : run.state.epoch);
    std::atomic<double> done{before};
    control_ = &control;
    total_ = static_cast<double>(runs.size()) * static_cast<double>(spec_.max_epochs);
    if (fast_path_applies(spec_)) {
      // Blocks are fixed by run index; lanes of a block share their epoch unless a run
      // finished, so a resumed block continues exactly as it would have.
      const std::int64_t blocks = (static_cast<std::int64_t>(runs.size()) + kernels::kTrainLanes - 1) /
                                  kernels::kTrainLanes;
#pragma omp parallel for schedule(dynamic, 1)
      for (std::int64_t b = 0; b < blocks; ++b) {
        std::vector<TrainingRun*> lanes;
        for (std::int64_t r = b * kernels::kTrainLanes;
             r < std::min<std::int64_t>(runs.size(), (b + 1) * kernels::kTrainLanes); ++r)
          lanes.push_back(&runs[r]);
        std::int64_t shared = -1;
        bool uniform = true;
        for (TrainingRun* run : lanes)
          if (!run->finished) {
            if (shared >= 0 && run->state.epoch != shared) uniform = false;
            shared = run->state.epoch;
          }
        if (uniform) {
          run_block(lanes, done);
        } else {
          for (TrainingRun* run : lanes) run_reference(*run, done);
        }
      }
    } else {
#pragma omp parallel for schedule(dynamic, 1)
      for (std::int64_t r = 0; r < static_cast<std::int64_t>(runs.size()); ++r) {
        run_reference(runs[r], done);
      }
    }
    return std::all_of(runs.begin(), runs.end(), [](const TrainingRun& r) { return r.finished; });
  }

 private:
  const TrainSpec& spec_;
  XorLoss loss_;
  std::vector<std::int64_t> schedule_;
  std::int64_t poll_;
  mutable const RunControl* control_ = nullptr;
  mutable double total_ = 0.0;
};

}  // namespace

bool train(const TrainSpec& spec, std::vector<TrainingRun>& runs, const RunControl& control) {
  for (const TrainingRun& run : runs)
    if (static_cast<int>(run.state.params.size()) != spec.architecture.dimension())
      throw std::invalid_argument("a run's parameter vector does not match the architecture");
  return Trainer(spec).run_all(runs, control);
}

namespace {
struct LineFit {
  double slope = 0.0, intercept = 0.0, slope_error = 0.0;
  int n = 0;
};
LineFit fit_line(const std::vector<double>& x, const std::vector<double>& y) {
  LineFit f;
  f.n = static_cast<int>(x.size());
  if (f.n < 2) return f;
  double mx = 0, my = 0;
  for (int i = 0; i < f.n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= f.n;
  my /= f.n;
  double sxx = 0, sxy = 0;
  for (int i = 0; i < f.n; ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (sxx <= 0) return f;
  f.slope = sxy / sxx;
  f.intercept = my - f.slope * mx;
  double rss = 0;
  for (int i = 0; i < f.n; ++i) {
    const double r = y[i] - f.intercept - f.slope * x[i];
    rss += r * r;
  }
  if (f.n > 2) f.slope_error = std::sqrt(rss / (f.n - 2) / sxx);
  return f;
}
}  // namespace

PowerLawFit fit_power_law(std::span<const std::int64_t> epochs, std::span<const double> losses, std::int64_t lo,
                          std::int64_t hi) {
  PowerLawFit fit;
  fit.lo = lo;
  fit.hi = hi;
  if (lo < 1 || hi <= lo) return fit;
  std::vector<double> x, y;
  for (size_t i = 0; i < epochs.size() && i < losses.size(); ++i)
    if (epochs[i] >= lo && epochs[i] <= hi && losses[i] > 0.0) {
      x.push_back(std::log(static_cast<double>(epochs[i])));
      y.push_back(std::log(losses[i]));
    }
  fit.points = static_cast<int>(x.size());
  if (fit.points < 5) return fit;
  const LineFit all = fit_line(x, y);
  const double middle = 0.5 * (x.front() + x.back());
  std::vector<double> xe, ye, xl, yl;
  for (size_t i = 0; i < x.size(); ++i) {
    (x[i] <= middle ? xe : xl).push_back(x[i]);
    (x[i] <= middle ? ye : yl).push_back(y[i]);
  }
  fit.ok = true;
  fit.gamma = -all.slope;
  fit.gamma_error = all.slope_error;
  fit.amplitude = std::exp(all.intercept);
  fit.gamma_early = xe.size() >= 2 ? -fit_line(xe, ye).slope : fit.gamma;
  fit.gamma_late = xl.size() >= 2 ? -fit_line(xl, yl).slope : fit.gamma;
  return fit;
}

std::pair<std::int64_t, std::int64_t> default_fit_window(const Trace& trace) {
  for (size_t i = 0; i < trace.size(); ++i)
    if (trace.loss[i] < 0.05) return {std::max<std::int64_t>(1, 10 * trace.epoch[i]), trace.epoch.back()};
  return {0, 0};
}

}  // namespace xorscape
