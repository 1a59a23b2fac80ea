// Contraction into FMA would make the AVX2/AVX-512 builds differ from the default build: off for
// everything in this file, the simd.hpp functions inlined here included.
#pragma GCC optimize("fp-contract=off")
#pragma GCC diagnostic ignored "-Wpsabi"  // 64-byte vectors never cross a non-inlined call
#include "xorscape/kernels/train_kernels.hpp"

#include "xorscape/kernels/simd.hpp"
#include "xorscape/training/optimize.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

namespace xorscape::kernels {

namespace {

using simd::load;
using simd::store;

// Case multiplicities of a randomized batch, indexed by the low byte of its word.
struct CountTable {
  double counts[256][4];
  constexpr CountTable() : counts{} {
    for (int w = 0; w < 256; ++w)
      for (int d = 0; d < 4; ++d) counts[w][(w >> (2 * d)) & 3] += 1.0;
  }
};
constexpr CountTable kCounts{};

constexpr int kLanes = kTrainLanes;

// One example (x1, x2 -> y) at parameters p: adds count times its gradient contribution
// (delta = err * o' * count / 2) to g, its loss to sum_full and count times it to sum_batch.
template <class V>
XORSCAPE_SIMD_INLINE void add_example(const V (&p)[9], double x1, double x2, double y, V count, V (&g)[9], V& sum_full,
                                      V& sum_batch) {
  const V z1 = p[0] * x1 + p[1] * x2 + p[4];
  const V z2 = p[2] * x1 + p[3] * x2 + p[5];
  const V h1 = simd::train_sigmoid(z1);
  const V h2 = simd::train_sigmoid(z2);
  const V d1 = h1 * (1.0 - h1);
  const V d2 = h2 * (1.0 - h2);
  V u = p[8];
  u += p[6] * h1;
  u += p[7] * h2;
  const V o = simd::train_sigmoid(u);
  const V dout = o * (1.0 - o);
  const V err = o - y;
  const V l = err * err;
  sum_full += l;
  sum_batch += count * l;
  const V delta = 0.5 * err * dout * count;
  g[8] += delta;
  g[6] += delta * h1;
  const V dz1 = delta * p[6] * d1;
  g[4] += dz1;
  g[0] += dz1 * x1;
  g[1] += dz1 * x2;
  g[7] += delta * h2;
  const V dz2 = delta * p[7] * d2;
  g[5] += dz2;
  g[2] += dz2 * x1;
  g[3] += dz2 * x2;
}

// The lanes of a group: which still run (1.0) and how many.
template <int VL>
struct GroupLanes {
  alignas(64) double running[VL];  // 1: active and not converged
  int live = 0;
  alignas(64) double counts[4][VL];  // case multiplicities of this epoch's batch
};

// Advances lanes [first_lane, first_lane + VL). When full_lanes is set, the loss of lane j at
// epoch e goes to full_lanes[e * kLanes + j] (and batch_lanes likewise); the caller sums the lanes
// in lane order, so every width gives the same sums.
template <int VL>
XORSCAPE_SIMD_INLINE std::int64_t advance_group(SigmoidTrainBlock& block, const Dataset& dataset,
                                                const SigmoidTrainChunk& chunk, int first_lane, double* full_lanes,
                                                double* batch_lanes) {
  using V = simd::Vec<VL>;
  double x1[4], x2[4], y[4];
  for (int m = 0; m < 4; ++m) {
    x1[m] = dataset.examples[m].x1;
    x2[m] = dataset.examples[m].x2;
    y[m] = dataset.examples[m].target;
  }
  V p[9];
  for (int k = 0; k < 9; ++k) p[k] = load<V>(block.params[k] + first_lane);
  const V eta = load<V>(block.eta + first_lane);
  GroupLanes<VL> lanes;
  for (int j = 0; j < VL; ++j) {
    const int lane = first_lane + j;
    lanes.running[j] = block.active[lane] && block.converged_epoch[lane] < 0 ? 1.0 : 0.0;
    lanes.live += lanes.running[j] != 0.0;
    for (int m = 0; m < 4; ++m) lanes.counts[m][j] = 1.0;
  }
  V running = load<V>(lanes.running);
  const bool check = chunk.threshold > 0.0;
  const double threshold = check ? chunk.threshold : -1.0;  // losses are never negative
  // Stopping early is only allowed when nobody needs the loss of every epoch.
  const bool may_stop = check && full_lanes == nullptr;
  std::int64_t e = 0;
  for (; e < chunk.epochs; ++e) {
    if (may_stop && lanes.live == 0) break;
    const std::int64_t epoch = chunk.first_epoch + e;
    if (chunk.randomized)
      for (int j = 0; j < VL; ++j) {
        const auto& c = kCounts.counts[BatchSequence(block.batch_key[first_lane + j]).word(epoch) & 255u];
        for (int m = 0; m < 4; ++m) lanes.counts[m][j] = c[m];
      }
    V g[9];
    for (int k = 0; k < 9; ++k) g[k] = V{};
    V sum_full{}, sum_batch{};
    for (int m = 0; m < 4; ++m) add_example(p, x1[m], x2[m], y[m], load<V>(lanes.counts[m]), g, sum_full, sum_batch);
    const V full = 0.25 * sum_full;
    const V below = full < threshold ? V{} + 1.0 : V{};
    // eta for a running lane above the threshold, 0 otherwise: p - 0 * g leaves p unchanged.
    const V rate = eta * (running * (1.0 - below));
    for (int k = 0; k < 9; ++k) p[k] -= rate * g[k];
    if (full_lanes) {
      store<V>(full_lanes + e * kLanes + first_lane, full);
      if (batch_lanes) store<V>(batch_lanes + e * kLanes + first_lane, 0.25 * sum_batch);
    }
    if (check) {
      bool changed = false;
      for (int j = 0; j < VL; ++j)
        if (running[j] != 0.0 && below[j] != 0.0) {
          block.converged_epoch[first_lane + j] = epoch;
          lanes.running[j] = 0.0;
          --lanes.live;
          changed = true;
        }
      if (changed) running = load<V>(lanes.running);
    }
  }
  for (int k = 0; k < 9; ++k) store<V>(block.params[k] + first_lane, p[k]);
  return e;
}

template <int VL>
XORSCAPE_SIMD_INLINE std::int64_t advance_body(SigmoidTrainBlock& block, const Dataset& dataset,
                                               const SigmoidTrainChunk& chunk) {
  thread_local std::vector<double> full_lanes, batch_lanes;
  const bool sums = chunk.full_loss_sum != nullptr;
  if (sums) {
    full_lanes.assign(static_cast<size_t>(chunk.epochs) * kLanes, 0.0);
    batch_lanes.assign(static_cast<size_t>(chunk.epochs) * kLanes, 0.0);
  }
  std::int64_t advanced = 0;
  for (int first = 0; first < kLanes; first += VL)
    advanced = std::max(advanced, advance_group<VL>(block, dataset, chunk, first, sums ? full_lanes.data() : nullptr,
                                                    sums ? batch_lanes.data() : nullptr));
  if (sums)
    for (std::int64_t e = 0; e < chunk.epochs; ++e) {
      double s = 0.0, b = 0.0;
      for (int j = 0; j < kLanes; ++j)
        if (block.active[j]) {
          s += full_lanes[e * kLanes + j];
          b += batch_lanes[e * kLanes + j];
        }
      chunk.full_loss_sum[e] += s;
      if (chunk.batch_loss_sum) chunk.batch_loss_sum[e] += b;
    }
  return advanced;
}

}  // namespace

double fast_exp_nonpositive(double x) { return simd::train_exp(x); }

void train_exp_many(const double* x, std::size_t count, double* out, SimdLevel level) {
  simd::dispatch<2>(level, [&]<int W>() XORSCAPE_SIMD_LAMBDA {
    simd::map_many<W>([](auto v) XORSCAPE_SIMD_LAMBDA { return simd::train_exp(v); }, x, count, out);
  });
}

void train_sigmoid_many(const double* x, std::size_t count, double* out, SimdLevel level) {
  simd::dispatch<2>(level, [&]<int W>() XORSCAPE_SIMD_LAMBDA {
    simd::map_many<W>([](auto v) XORSCAPE_SIMD_LAMBDA { return simd::train_sigmoid(v); }, x, count, out);
  });
}

// The training kernel follows the kernels' one rule (simd.cpp); these names stay for its callers.
SimdLevel training_simd_level() { return detect_simd_level(); }
std::vector<SimdLevel> training_simd_levels() { return available_simd_levels(); }

std::int64_t advance_sigmoid2(SigmoidTrainBlock& block, const Dataset& dataset, const SigmoidTrainChunk& chunk,
                              SimdLevel level) {
  // The scalar level runs two lanes per SSE2 register.
  return simd::dispatch<2>(level, [&]<int W>() XORSCAPE_SIMD_LAMBDA { return advance_body<W>(block, dataset, chunk); });
}

}  // namespace xorscape::kernels
