#include "xorscape/training/converge.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <sstream>

#include "xorscape/core/rng.hpp"

namespace xorscape {

std::uint64_t converge_batch_key(std::uint64_t seed, int run) {
  return RandomStream(seed, {2, static_cast<std::uint64_t>(run)}).next();
}

namespace {

constexpr std::int64_t kChunk = 4096;

bool fast(const ConvergeSpec& spec) {
  return spec.fast_path && spec.architecture.n_hidden == 2 && spec.architecture.hidden == Activation::sigmoid &&
         spec.architecture.output == Activation::sigmoid;
}

}  // namespace

ConvergeOutcome converge_from(const ConvergeSpec& spec, int parameter, double shift, const RunControl& control) {
  const int R = spec.runs;
  const int D = spec.architecture.dimension();
  Params start = spec.center;
  start[parameter] += shift;
  const XorLoss loss(spec.architecture, spec.dataset);
  OptimizerSettings settings;
  settings.optimizer = Optimizer::sgd;
  settings.eta = spec.eta;

  std::vector<RunState> states(R);
  for (int r = 0; r < R; ++r) {
    states[r].params = start;
    states[r].eta = spec.eta;
    states[r].batch_key = converge_batch_key(spec.seed, r);
  }
  std::vector<kernels::SigmoidTrainBlock> blocks;
  if (fast(spec)) {
    blocks.resize((R + kernels::kTrainLanes - 1) / kernels::kTrainLanes);
    for (int r = 0; r < R; ++r) {
      auto& b = blocks[r / kernels::kTrainLanes];
      const int j = r % kernels::kTrainLanes;
      b.active[j] = true;
      for (int k = 0; k < D; ++k) b.params[k][j] = start[k];
      b.eta[j] = spec.eta;
      b.batch_key[j] = states[r].batch_key;
    }
  }
  std::vector<double> full(kChunk), batch(kChunk);
  ConvergeOutcome outcome;
  // Advances every run by n epochs from `first`, accumulating the run sums per epoch. Returns
  // false when a stop was requested part-way (the runs are then left in no useful state).
  auto advance = [&](std::int64_t first, std::int64_t n, bool sums) {
    std::fill(full.begin(), full.end(), 0.0);
    std::fill(batch.begin(), batch.end(), 0.0);
    if (fast(spec)) {
      kernels::SigmoidTrainChunk chunk;
      chunk.first_epoch = first;
      chunk.epochs = n;
      chunk.randomized = true;
      chunk.full_loss_sum = sums ? full.data() : nullptr;
      chunk.batch_loss_sum = sums ? batch.data() : nullptr;
      for (auto& b : blocks) {
        if (control.interrupted()) return false;
        kernels::advance_sigmoid2(b, spec.dataset, chunk, spec.simd);
      }
    } else {
      for (RunState& s : states) {
        if (control.interrupted()) return false;
        for (std::int64_t e = 0; e < n; ++e) {
          const EpochLosses l = reference_epoch(loss, settings, s);
          full[e] += l.full;
          batch[e] += l.batch;
        }
      }
    }
    return true;
  };
  for (std::int64_t first = 0; first < spec.max_epochs; first += kChunk) {
    const std::int64_t n = std::min(kChunk, spec.max_epochs - first);
    const auto saved_blocks = blocks;
    const auto saved_states = states;
    if (!advance(first, n, true)) {
      outcome.interrupted = true;
      return outcome;
    }
    for (std::int64_t e = 0; e < n; ++e)
      if (full[e] / R < spec.threshold && batch[e] / R < spec.threshold) {
        outcome.tau_conv = first + e;
        outcome.mean_loss = full[e] / R;
        outcome.mean_batch_loss = batch[e] / R;
        break;
      }
    if (outcome.tau_conv >= 0) {
      // Replay this chunk up to tau_conv to see each run's own state there.
      blocks = saved_blocks;
      states = saved_states;
      if (!advance(first, outcome.tau_conv - first, false)) {
        outcome.interrupted = true;
        return outcome;
      }
      break;
    }
    if (first + n >= spec.max_epochs) {
      outcome.mean_loss = full[n - 1] / R;
      outcome.mean_batch_loss = batch[n - 1] / R;
    }
  }
  // The runs now stand at tau_conv (or at max_epochs): how many are individually converged.
  int below = 0;
  for (int r = 0; r < R; ++r) {
    Params p(D);
    if (fast(spec)) {
      for (int k = 0; k < D; ++k) p[k] = blocks[r / kernels::kTrainLanes].params[k][r % kernels::kTrainLanes];
    } else {
      p = states[r].params;
    }
    below += loss.value(p) < spec.threshold;
  }
  outcome.converged_runs = static_cast<double>(below) / R;
  return outcome;
}

namespace training {

ConvergeJob::ConvergeJob(ConvergeSweep sweep)
    : sweep_(std::move(sweep)), outcomes_(sweep_.parameters.size() * sweep_.shifts.size()),
      done_(outcomes_.size(), 0) {}

std::string ConvergeJob::identity() const {
  const ConvergeSpec& s = sweep_.spec;
  std::ostringstream id;
  id.precision(17);
  id << "xorscape-converge n_h=" << s.architecture.n_hidden << " hidden=" << to_string(s.architecture.hidden)
     << " output=" << to_string(s.architecture.output) << " data=" << s.dataset.name << " eta=" << s.eta
     << " runs=" << s.runs << " epochs=" << s.max_epochs << " threshold=" << s.threshold << " seed=" << s.seed
     << " fast_path=" << fast(s) << " center=";
  for (double v : s.center) id << v << ',';
  id << " parameters=";
  for (int k : sweep_.parameters) id << k << ',';
  id << " shifts=";
  for (double d : sweep_.shifts) id << d << ',';
  return id.str();
}

bool ConvergeJob::finished() const { return std::find(done_.begin(), done_.end(), 0) == done_.end(); }

double ConvergeJob::fraction_done() const {
  return done_.empty() ? 1.0 : static_cast<double>(std::count(done_.begin(), done_.end(), 1)) / done_.size();
}

void ConvergeJob::advance(const RunControl& control) {
  const std::int64_t tasks = static_cast<std::int64_t>(done_.size());
  const std::int64_t shifts = static_cast<std::int64_t>(sweep_.shifts.size());
  std::atomic<std::int64_t> finished{std::count(done_.begin(), done_.end(), 1)};
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t t = 0; t < tasks; ++t) {
    if (done_[t] || control.stop_requested()) continue;
    const ConvergeOutcome outcome = converge_from(sweep_.spec, sweep_.parameters[t / shifts], sweep_.shifts[t % shifts], control);
    if (outcome.interrupted) continue;
    outcomes_[t] = outcome;
    done_[t] = 1;
    const double now = static_cast<double>(++finished);
    if (omp_get_thread_num() == 0) control.progress(now, static_cast<double>(tasks));
  }
}

void ConvergeJob::save(const h5::Group& group) const {
  std::vector<std::int64_t> done(done_.begin(), done_.end()), tau;
  std::vector<double> mean, batch, fraction;
  for (const ConvergeOutcome& o : outcomes_) {
    tau.push_back(o.tau_conv);
    mean.push_back(o.mean_loss);
    batch.push_back(o.mean_batch_loss);
    fraction.push_back(o.converged_runs);
  }
  group.write_index_scale("task", done.size(), {"parameter index * number of shifts + shift index"});
  group.write("done", std::span<const std::int64_t>(done), {{"task"}, "1: the task is finished"});
  group.write("tau_conv", std::span<const std::int64_t>(tau), {{"task"}});
  group.write("mean_loss", mean, {{"task"}});
  group.write("mean_batch_loss", batch, {{"task"}});
  group.write("converged_fraction", fraction, {{"task"}});
}

void ConvergeJob::load(const h5::Group& group) {
  const auto done = group.read_ints("done");
  const auto tau = group.read_ints("tau_conv");
  const auto mean = group.read_doubles("mean_loss");
  const auto batch = group.read_doubles("mean_batch_loss");
  const auto fraction = group.read_doubles("converged_fraction");
  if (done.size() != done_.size() || tau.size() != done.size() || mean.size() != done.size() ||
      batch.size() != done.size() || fraction.size() != done.size())
    throw std::runtime_error("the checkpoint holds " + std::to_string(done.size()) + " tasks, this sweep " +
                             std::to_string(done_.size()));
  for (size_t t = 0; t < done.size(); ++t) {
    done_[t] = done[t] != 0;
    outcomes_[t] = ConvergeOutcome{tau[t], mean[t], batch[t], fraction[t], false};
  }
}

}  // namespace training

}  // namespace xorscape
