#pragma once
// The optimisers of section 2 of the dissecting paper, as single steps on one run's state:
//   gd    gradient descent on the full nonrandomized batch (equation 6)
//   sgd   the same update on a randomized batch (4 cases drawn with replacement each epoch)
//   adam  Adam (Kingma & Ba) on the chosen batch, learning rate = eta
//   mc0   zero-temperature Monte Carlo: one random parameter move per epoch, kept only if
//         the loss on the epoch's batch drops (strictly), otherwise undone.
// An epoch is one parameter update (one proposal for mc0) on one batch of M = 4 cases.
//
// Everything random is counter-based: the batch of epoch tau and the Monte Carlo proposal
// of epoch tau are pure functions of (run key, tau). A run's state is therefore just its
// parameters, its epoch and (Adam) two moment vectors, so a checkpoint is small and a
// resumed run draws exactly what the uninterrupted run would have drawn.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "xorscape/training/adam.hpp"
#include "xorscape/core/network.hpp"
#include "xorscape/core/rng.hpp"

namespace xorscape {

enum class Optimizer { gd, sgd, adam, mc0 };
enum class BatchMode { nonrandomized, randomized };

std::string to_string(Optimizer optimizer);
std::string to_string(BatchMode mode);
// Throw std::invalid_argument naming the accepted values.
Optimizer parse_optimizer(std::string_view text);
BatchMode parse_batch_mode(std::string_view text);

// The randomized batches of one run: epoch tau's four draws come from one 64-bit word
// splitmix64(key + tau * golden ratio), two bits per draw, so every case has probability
// exactly 1/4 and draws are independent across epochs (SplitMix64's output function is a
// well-tested counter-based generator).
class BatchSequence {
 public:
  explicit BatchSequence(std::uint64_t key = 0) : key_(key) {}
  std::uint64_t key() const { return key_; }
  // Word whose bits (2 per draw, lowest first) give the four case indices of epoch tau.
  std::uint64_t word(std::int64_t epoch) const {
    std::uint64_t state = key_ + static_cast<std::uint64_t>(epoch) * 0x9e3779b97f4a7c15ULL;
    return splitmix64(state);
  }
  Batch at(std::int64_t epoch) const;
  // How often each case occurs in epoch tau's batch (sums to 4).
  std::array<int, 4> counts(std::int64_t epoch) const;

 private:
  std::uint64_t key_;
};

struct OptimizerSettings {
  Optimizer optimizer = Optimizer::sgd;
  BatchMode batch = BatchMode::randomized;  // gd forces nonrandomized, sgd randomized
  double eta = 0.1;                          // learning rate (gd, sgd, adam)
  AdamSettings adam{};                       // adam.learning_rate is replaced by the run's eta
  double mc_step = 0.5;                      // mc0: half-width of the uniform move of one parameter
};

// Everything that evolves in one run, checkpointable as it is.
struct RunState {
  Params params;
  std::int64_t epoch = 0;        // number of updates (epochs) done
  double eta = 0.1;              // this run's learning rate
  std::uint64_t batch_key = 0;   // BatchSequence key
  std::uint64_t proposal_key = 0;
  std::vector<double> adam_first;   // Adam moments (empty unless adam)
  std::vector<double> adam_second;
  std::int64_t accepted = 0;     // mc0: accepted moves
};

// Losses at the start of an epoch (parameters before the update).
struct EpochLosses {
  double full;   // on the full nonrandomized batch
  double batch;  // on this epoch's batch (equal to full for nonrandomized batches)
};

// gd: false, sgd: true, adam and mc0: settings.batch.
bool uses_randomized_batches(const OptimizerSettings& settings);

// One epoch of the reference (scalar) path: evaluates the losses at state.params; if the
// full loss is below stop_below it returns them and changes nothing (the run has converged
// at this epoch), otherwise it applies the update and increments state.epoch. The loss object
// defines the network, dataset and loss; it is the XorLoss every other tool uses.
EpochLosses reference_epoch(const XorLoss& loss, const OptimizerSettings& settings, RunState& state,
                            double stop_below = -1.0);
// The losses the next epoch would report, without changing anything.
EpochLosses epoch_losses(const XorLoss& loss, const OptimizerSettings& settings, const RunState& state);

// The mc0 proposal of epoch tau: parameter index and displacement.
struct MonteCarloMove {
  int index;
  double shift;
};
MonteCarloMove monte_carlo_move(std::uint64_t proposal_key, std::int64_t epoch, int dimension, double step);

}  // namespace xorscape
