#include "xorscape/training/optimize.hpp"

#include <stdexcept>

#include "xorscape/core/rng.hpp"

namespace xorscape {

std::string to_string(Optimizer optimizer) {
  switch (optimizer) {
    case Optimizer::gd: return "gd";
    case Optimizer::sgd: return "sgd";
    case Optimizer::adam: return "adam";
    case Optimizer::mc0: return "mc0";
  }
  return "unknown";
}

std::string to_string(BatchMode mode) { return mode == BatchMode::randomized ? "randomized" : "nonrandomized"; }

Optimizer parse_optimizer(std::string_view text) {
  if (text == "gd") return Optimizer::gd;
  if (text == "sgd") return Optimizer::sgd;
  if (text == "adam") return Optimizer::adam;
  if (text == "mc0") return Optimizer::mc0;
  throw std::invalid_argument("'" + std::string(text) + "' is not an optimizer (gd, sgd, adam, mc0)");
}

BatchMode parse_batch_mode(std::string_view text) {
  if (text == "nonrandomized") return BatchMode::nonrandomized;
  if (text == "randomized") return BatchMode::randomized;
  throw std::invalid_argument("'" + std::string(text) + "' is not a batch mode (nonrandomized, randomized)");
}

Batch BatchSequence::at(std::int64_t epoch) const {
  const std::uint64_t w = word(epoch);
  return {static_cast<int>(w & 3u), static_cast<int>((w >> 2) & 3u), static_cast<int>((w >> 4) & 3u),
          static_cast<int>((w >> 6) & 3u)};
}

std::array<int, 4> BatchSequence::counts(std::int64_t epoch) const {
  std::array<int, 4> c{0, 0, 0, 0};
  for (int m : at(epoch)) ++c[m];
  return c;
}

MonteCarloMove monte_carlo_move(std::uint64_t proposal_key, std::int64_t epoch, int dimension, double step) {
  RandomStream stream(proposal_key, {static_cast<std::uint64_t>(epoch)});
  const int index = static_cast<int>(stream.below(static_cast<std::uint32_t>(dimension)));
  return {index, stream.uniform(-step, step)};
}

bool uses_randomized_batches(const OptimizerSettings& settings) {
  if (settings.optimizer == Optimizer::gd) return false;
  if (settings.optimizer == Optimizer::sgd) return true;
  return settings.batch == BatchMode::randomized;
}

EpochLosses epoch_losses(const XorLoss& loss, const OptimizerSettings& settings, const RunState& state) {
  const double full = loss.value(state.params);
  if (!uses_randomized_batches(settings)) return {full, full};
  return {full, loss.value(state.params, BatchSequence(state.batch_key).at(state.epoch))};
}

EpochLosses reference_epoch(const XorLoss& loss, const OptimizerSettings& settings, RunState& state,
                            double stop_below) {
  const bool random_batch = uses_randomized_batches(settings);
  const Batch batch = random_batch ? BatchSequence(state.batch_key).at(state.epoch) : kNonrandomizedBatch;
  const int dimension = loss.dimension();
  EpochLosses losses{};
  if (settings.optimizer == Optimizer::mc0) {
    losses.batch = loss.value(state.params, batch);
    losses.full = random_batch ? loss.value(state.params) : losses.batch;
    if (losses.full < stop_below) return losses;
    const MonteCarloMove move = monte_carlo_move(state.proposal_key, state.epoch, dimension, settings.mc_step);
    const double old_value = state.params[move.index];
    state.params[move.index] = old_value + move.shift;
    if (loss.value(state.params, batch) < losses.batch)
      ++state.accepted;
    else
      state.params[move.index] = old_value;
    ++state.epoch;
    return losses;
  }
  thread_local std::vector<double> gradient;
  gradient.resize(dimension);
  losses.batch = loss.value_and_gradient(state.params, gradient, batch);
  losses.full = random_batch ? loss.value(state.params) : losses.batch;
  if (losses.full < stop_below) return losses;
  if (settings.optimizer == Optimizer::adam) {
    AdamSettings adam_settings = settings.adam;
    adam_settings.learning_rate = state.eta;
    Adam adam(dimension, adam_settings);
    if (state.adam_first.size() != static_cast<size_t>(dimension)) {
      state.adam_first.assign(dimension, 0.0);
      state.adam_second.assign(dimension, 0.0);
    }
    adam.first_moment().swap(state.adam_first);
    adam.second_moment().swap(state.adam_second);
    adam.set_steps(state.epoch);
    adam.step(state.params, gradient);
    adam.first_moment().swap(state.adam_first);
    adam.second_moment().swap(state.adam_second);
  } else {
    for (int k = 0; k < dimension; ++k) state.params[k] -= state.eta * gradient[k];
  }
  ++state.epoch;
  return losses;
}

}  // namespace xorscape
