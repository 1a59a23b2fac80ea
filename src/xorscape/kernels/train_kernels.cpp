// Contraction into FMA would make the AVX2/AVX-512 builds differ from the default build.
#pragma GCC optimize("fp-contract=off")
#pragma GCC diagnostic ignored "-Wpsabi"  // 64-byte vectors never cross a non-inlined call
#include "xorscape/kernels/train_kernels.hpp"

#include "xorscape/training/optimize.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace xorscape::kernels {

namespace {

// A group of VL lanes as one GCC vector. The block's eight lanes are processed as 8/VL
// independent groups: one AVX-512 register (VL = 8), one AVX2 register (VL = 4) or one SSE2
// register (VL = 2) per quantity, so parameters and gradient stay in registers.
template <int VL>
struct Lanes {
  typedef double V __attribute__((vector_size(8 * VL)));
  typedef std::int64_t M __attribute__((vector_size(8 * VL)));
  typedef std::uint64_t U __attribute__((vector_size(8 * VL)));
};

// exp(x) for x <= 0 (x below -708 is clamped: exp(-708) = 3.3e-308, still normal).
// x = n ln2 + r with |r| <= ln2/2 (Cody-Waite split of ln2, exact products for |n| < 2^11),
// e^r by its Taylor polynomial to degree 13 (truncation error 4e-18), 2^n built in the
// exponent bits: n comes from the low mantissa bits of x log2(e) + 1.5 * 2^52.
template <typename V, typename U>
[[gnu::always_inline]] inline V exp_nonpositive_generic(V x) {
  constexpr double kShifter = 0x1.8p52;
  x = x < -708.0 ? V{} - 708.0 : x;
  const V t = x * 0x1.71547652b82fep0 + kShifter;
  const V n = t - kShifter;
  V r = x - n * 6.93145751953125E-1;
  r = r - n * 1.42860682030941723212E-6;
  V p = V{} + 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  U bits;
  std::memcpy(&bits, &t, sizeof bits);
  const U shifter_bits = U{} + std::bit_cast<std::uint64_t>(kShifter);
  const U scale_bits = ((bits - shifter_bits) + 1023u) << 52;
  V scale;
  std::memcpy(&scale, &scale_bits, sizeof scale);
  return p * scale;
}

// The same branches as xorscape::sigmoid: exp's argument is never positive.
template <typename V, typename U>
[[gnu::always_inline]] inline V fast_sigmoid(V z) {
  const V t = exp_nonpositive_generic<V, U>(z >= 0.0 ? -z : z);
  return (z >= 0.0 ? V{} + 1.0 : t) / (1.0 + t);
}

// Case multiplicities of a randomized batch, indexed by the low byte of its word.
struct CountTable {
  double counts[256][4];
  constexpr CountTable() : counts{} {
    for (int w = 0; w < 256; ++w)
      for (int d = 0; d < 4; ++d) counts[w][(w >> (2 * d)) & 3] += 1.0;
  }
};
constexpr CountTable kCounts{};

constexpr int W = kTrainLanes;

template <typename V>
[[gnu::always_inline]] inline V load(const double* a) {
  V v;
  std::memcpy(&v, a, sizeof v);
  return v;
}
template <typename V>
[[gnu::always_inline]] inline void store(double* a, V v) {
  std::memcpy(a, &v, sizeof v);
}

// Advances lanes [first_lane, first_lane + VL). When full_lanes is set, the loss of lane j at
// epoch e goes to full_lanes[e * W + j] (and batch_lanes likewise); the caller sums the lanes
// in lane order, so every width gives the same sums.
template <int VL>
[[gnu::always_inline]] inline std::int64_t advance_group(SigmoidTrainBlock& block, const Dataset& dataset,
                                                         const SigmoidTrainChunk& chunk, int first_lane,
                                                         double* full_lanes, double* batch_lanes) {
  using V = typename Lanes<VL>::V;
  using U = typename Lanes<VL>::U;
  double x1[4], x2[4], y[4];
  for (int m = 0; m < 4; ++m) {
    x1[m] = dataset.examples[m].x1;
    x2[m] = dataset.examples[m].x2;
    y[m] = dataset.examples[m].target;
  }
  V p[9];
  for (int k = 0; k < 9; ++k) p[k] = load<V>(block.params[k] + first_lane);
  const V eta = load<V>(block.eta + first_lane);
  alignas(64) double running_lanes[VL];  // 1: active and not converged
  int live = 0;
  for (int j = 0; j < VL; ++j) {
    const int lane = first_lane + j;
    running_lanes[j] = block.active[lane] && block.converged_epoch[lane] < 0 ? 1.0 : 0.0;
    live += running_lanes[j] != 0.0;
  }
  V running = load<V>(running_lanes);
  alignas(64) double count_lanes[4][VL];
  for (int m = 0; m < 4; ++m)
    for (int j = 0; j < VL; ++j) count_lanes[m][j] = 1.0;
  const bool check = chunk.threshold > 0.0;
  const double threshold = check ? chunk.threshold : -1.0;  // losses are never negative
  // Stopping early is only allowed when nobody needs the loss of every epoch.
  const bool may_stop = check && full_lanes == nullptr;
  std::int64_t e = 0;
  for (; e < chunk.epochs; ++e) {
    if (may_stop && live == 0) break;
    const std::int64_t epoch = chunk.first_epoch + e;
    if (chunk.randomized)
      for (int j = 0; j < VL; ++j) {
        const auto& c = kCounts.counts[BatchSequence(block.batch_key[first_lane + j]).word(epoch) & 255u];
        for (int m = 0; m < 4; ++m) count_lanes[m][j] = c[m];
      }
    V g[9];
    for (int k = 0; k < 9; ++k) g[k] = V{};
    V sum_full{}, sum_batch{};
    for (int m = 0; m < 4; ++m) {
      const V count = load<V>(count_lanes[m]);
      const V z1 = p[0] * x1[m] + p[1] * x2[m] + p[4];
      const V z2 = p[2] * x1[m] + p[3] * x2[m] + p[5];
      const V h1 = fast_sigmoid<V, U>(z1);
      const V h2 = fast_sigmoid<V, U>(z2);
      const V d1 = h1 * (1.0 - h1);
      const V d2 = h2 * (1.0 - h2);
      V u = p[8];
      u += p[6] * h1;
      u += p[7] * h2;
      const V o = fast_sigmoid<V, U>(u);
      const V dout = o * (1.0 - o);
      const V err = o - y[m];
      const V l = err * err;
      sum_full += l;
      sum_batch += count * l;
      const V delta = 0.5 * err * dout * count;
      g[8] += delta;
      g[6] += delta * h1;
      const V dz1 = delta * p[6] * d1;
      g[4] += dz1;
      g[0] += dz1 * x1[m];
      g[1] += dz1 * x2[m];
      g[7] += delta * h2;
      const V dz2 = delta * p[7] * d2;
      g[5] += dz2;
      g[2] += dz2 * x1[m];
      g[3] += dz2 * x2[m];
    }
    const V full = 0.25 * sum_full;
    const V below = full < threshold ? V{} + 1.0 : V{};
    // eta for a running lane above the threshold, 0 otherwise: p - 0 * g leaves p unchanged.
    const V rate = eta * (running * (1.0 - below));
    for (int k = 0; k < 9; ++k) p[k] -= rate * g[k];
    if (full_lanes) {
      store<V>(full_lanes + e * W + first_lane, full);
      if (batch_lanes) store<V>(batch_lanes + e * W + first_lane, 0.25 * sum_batch);
    }
    if (check) {
      bool changed = false;
      for (int j = 0; j < VL; ++j)
        if (running[j] != 0.0 && below[j] != 0.0) {
          block.converged_epoch[first_lane + j] = epoch;
          running_lanes[j] = 0.0;
          --live;
          changed = true;
        }
      if (changed) running = load<V>(running_lanes);
    }
  }
  for (int k = 0; k < 9; ++k) store<V>(block.params[k] + first_lane, p[k]);
  return e;
}

template <int VL>
[[gnu::always_inline]] inline std::int64_t advance_body(SigmoidTrainBlock& block, const Dataset& dataset,
                                                        const SigmoidTrainChunk& chunk) {
  thread_local std::vector<double> full_lanes, batch_lanes;
  const bool sums = chunk.full_loss_sum != nullptr;
  if (sums) {
    full_lanes.assign(static_cast<size_t>(chunk.epochs) * W, 0.0);
    batch_lanes.assign(static_cast<size_t>(chunk.epochs) * W, 0.0);
  }
  std::int64_t advanced = 0;
  for (int first = 0; first < W; first += VL)
    advanced = std::max(advanced, advance_group<VL>(block, dataset, chunk, first, sums ? full_lanes.data() : nullptr,
                                                    sums ? batch_lanes.data() : nullptr));
  if (sums)
    for (std::int64_t e = 0; e < chunk.epochs; ++e) {
      double s = 0.0, b = 0.0;
      for (int j = 0; j < W; ++j)
        if (block.active[j]) {
          s += full_lanes[e * W + j];
          b += batch_lanes[e * W + j];
        }
      chunk.full_loss_sum[e] += s;
      if (chunk.batch_loss_sum) chunk.batch_loss_sum[e] += b;
    }
  return advanced;
}

[[gnu::target("avx512f,avx512dq")]] std::int64_t advance_avx512(SigmoidTrainBlock& block, const Dataset& dataset,
                                                                 const SigmoidTrainChunk& chunk) {
  return advance_body<8>(block, dataset, chunk);
}

[[gnu::target("avx2,fma")]] std::int64_t advance_avx2(SigmoidTrainBlock& block, const Dataset& dataset,
                                                      const SigmoidTrainChunk& chunk) {
  return advance_body<4>(block, dataset, chunk);
}

std::int64_t advance_default(SigmoidTrainBlock& block, const Dataset& dataset, const SigmoidTrainChunk& chunk) {
  return advance_body<2>(block, dataset, chunk);
}

SimdLevel cpu_level() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return SimdLevel::avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SimdLevel::avx2;
  return SimdLevel::scalar;
}

}  // namespace

double fast_exp_nonpositive(double x) {
  typedef double V1 __attribute__((vector_size(8)));
  typedef std::uint64_t U1 __attribute__((vector_size(8)));
  return exp_nonpositive_generic<V1, U1>(V1{x})[0];
}

SimdLevel training_simd_level() {
  SimdLevel level = cpu_level();
  if (const char* wanted = std::getenv("XORSCAPE_SIMD")) {
    const std::string text(wanted);
    if (text == "scalar") level = SimdLevel::scalar;
    if (text == "avx2" && level > SimdLevel::avx2) level = SimdLevel::avx2;
  }
  return level;
}

std::vector<SimdLevel> training_simd_levels() {
  std::vector<SimdLevel> levels;
  for (SimdLevel level : {SimdLevel::scalar, SimdLevel::avx2, SimdLevel::avx512})
    if (level <= cpu_level()) levels.push_back(level);
  return levels;
}

std::int64_t advance_sigmoid2(SigmoidTrainBlock& block, const Dataset& dataset, const SigmoidTrainChunk& chunk,
                              SimdLevel level) {
  level = std::min(level, cpu_level());
  switch (level) {
    case SimdLevel::avx512: return advance_avx512(block, dataset, chunk);
    case SimdLevel::avx2: return advance_avx2(block, dataset, chunk);
    case SimdLevel::scalar: break;
  }
  return advance_default(block, dataset, chunk);
}

}  // namespace xorscape::kernels
