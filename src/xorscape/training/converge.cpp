#include "xorscape/training/converge.hpp"

#include <algorithm>

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
  // Advances every run by n epochs from `first`, accumulating the run sums per epoch.
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
      for (auto& b : blocks) kernels::advance_sigmoid2(b, spec.dataset, chunk, spec.simd);
    } else {
      for (RunState& s : states)
        for (std::int64_t e = 0; e < n; ++e) {
          const EpochLosses l = reference_epoch(loss, settings, s);
          full[e] += l.full;
          batch[e] += l.batch;
        }
    }
  };
  for (std::int64_t first = 0; first < spec.max_epochs; first += kChunk) {
    if (control.stop_requested()) {
      outcome.interrupted = true;
      return outcome;
    }
    const std::int64_t n = std::min(kChunk, spec.max_epochs - first);
    const auto saved_blocks = blocks;
    const auto saved_states = states;
    advance(first, n, true);
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
      advance(first, outcome.tau_conv - first, false);
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

}  // namespace xorscape
