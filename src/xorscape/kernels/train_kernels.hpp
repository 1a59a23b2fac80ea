#pragma once
// The training hot path: gradient descent on the n_h = 2 sigmoid network (hidden and output
// sigmoid, the network of the dissecting paper) for kTrainLanes independent runs at once,
// one run per SIMD lane (each with its own learning rate and batch sequence).
//
// It performs the same arithmetic, in the same order, as the reference path
// (reference_epoch over XorLoss::value_and_gradient); the only difference is the exponential:
// simd::train_exp (kernels/simd.hpp: a branch-free polynomial exp, Cody-Waite reduction,
// degree-13 Taylor polynomial, exact scaling by 2^n; about 1 ulp) that vectorises and stays
// finite for every finite argument.
// Randomized batches enter as case multiplicities, gradient = (1/4) sum_m c_m grad l_m.
// Floating-point contraction is off, so every SIMD level gives bit-identical results.
#include <cstdint>
#include <vector>

#include "xorscape/core/dataset.hpp"
#include "xorscape/kernels/kernels.hpp"

namespace xorscape::kernels {

inline constexpr int kTrainLanes = 8;

// Structure of arrays: parameter k of lane j at params[k][j] (Table 2 order).
struct SigmoidTrainBlock {
  double params[9][kTrainLanes] = {};
  double eta[kTrainLanes] = {};
  std::uint64_t batch_key[kTrainLanes] = {};
  // -1 while the lane runs; the epoch at which its full loss fell below the threshold.
  std::int64_t converged_epoch[kTrainLanes];
  bool active[kTrainLanes] = {};  // false: padding lane, never updated or summed
  SigmoidTrainBlock() {
    for (auto& e : converged_epoch) e = -1;
  }
};

struct SigmoidTrainChunk {
  std::int64_t first_epoch = 0;  // epoch number of the lanes' current state
  std::int64_t epochs = 0;       // epochs to advance
  bool randomized = false;       // randomized batches (sgd) or the full nonrandomized batch (gd)
  // Lanes whose full loss at an epoch is below this stop there (converged_epoch set, no more
  // updates); <= 0 disables.
  double threshold = 0.0;
  // Optional, length `epochs`: sum over active lanes of the full / batch loss at each epoch
  // (added to, so several blocks can accumulate into one array).
  double* full_loss_sum = nullptr;
  double* batch_loss_sum = nullptr;
};

// Advances the block; returns the number of epochs actually advanced (fewer than
// chunk.epochs only when every active lane has converged).
std::int64_t advance_sigmoid2(SigmoidTrainBlock& block, const Dataset& dataset, const SigmoidTrainChunk& chunk,
                              SimdLevel level);

// The level rule of every kernel: detect_simd_level() (XORSCAPE_SIMD lowers it).
SimdLevel training_simd_level();
// available_simd_levels(): every level the training kernel can use here, scalar first.
std::vector<SimdLevel> training_simd_levels();

// The kernel's exponential, simd::train_exp, for arguments <= 0 (exposed for tests).
double fast_exp_nonpositive(double x);

}  // namespace xorscape::kernels
