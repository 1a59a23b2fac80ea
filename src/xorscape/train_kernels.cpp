// Contraction into FMA would make the AVX2/AVX-512 builds differ from the default build.
#pragma GCC optimize("fp-contract=off")
#pragma GCC diagnostic ignored "-Wpsabi"  // 64-byte vectors never cross a non-inlined call
#include "xorscape/train_kernels.hpp"

#include "xorscape/optimize.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace xorscape::kernels {

namespace {

// Eight lanes as one GCC vector: one AVX-512 register, two AVX2 registers or four SSE2
// registers, depending on the target the function is compiled for.
typedef double Vec __attribute__((vector_size(64)));
typedef std::int64_t Mask __attribute__((vector_size(64)));
typedef std::uint64_t Bits __attribute__((vector_size(64)));
static_assert(sizeof(Vec) == kTrainLanes * sizeof(double));

[[gnu::always_inline]] inline Vec splat(double x) { return Vec{} + x; }
[[gnu::always_inline]] inline Vec select(Mask m, Vec a, Vec b) { return m ? a : b; }

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
[[gnu::always_inline]] inline Vec fast_sigmoid(Vec z) {
  const Vec t = exp_nonpositive_generic<Vec, Bits>(select(z >= 0.0, -z, z));
  return select(z >= 0.0, splat(1.0), t) / (1.0 + t);
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

[[gnu::always_inline]] inline Vec load(const double* a) {
  Vec v;
  std::memcpy(&v, a, sizeof v);
  return v;
}
[[gnu::always_inline]] inline void store(double* a, Vec v) { std::memcpy(a, &v, sizeof v); }

[[gnu::always_inline]] inline std::int64_t advance_body(SigmoidTrainBlock& block, const Dataset& dataset,
                                                        const SigmoidTrainChunk& chunk) {
  double x1[4], x2[4], y[4];
  for (int m = 0; m < 4; ++m) {
    x1[m] = dataset.examples[m].x1;
    x2[m] = dataset.examples[m].x2;
    y[m] = dataset.examples[m].target;
  }
  Vec p[9];
  for (int k = 0; k < 9; ++k) p[k] = load(block.params[k]);
  const Vec eta = load(block.eta);
  alignas(64) double running_lanes[W];  // 1: active and not converged
  int live = 0;
  for (int j = 0; j < W; ++j) {
    running_lanes[j] = block.active[j] && block.converged_epoch[j] < 0 ? 1.0 : 0.0;
    live += running_lanes[j] != 0.0;
  }
  Vec running = load(running_lanes);
  alignas(64) double count_lanes[4][W];
  for (int m = 0; m < 4; ++m)
    for (int j = 0; j < W; ++j) count_lanes[m][j] = 1.0;
  const bool check = chunk.threshold > 0.0;
  const double threshold = check ? chunk.threshold : -1.0;  // losses are never negative
  std::int64_t e = 0;
  for (; e < chunk.epochs; ++e) {
    if (check && live == 0) break;
    const std::int64_t epoch = chunk.first_epoch + e;
    if (chunk.randomized)
      for (int j = 0; j < W; ++j) {
        const auto& c = kCounts.counts[BatchSequence(block.batch_key[j]).word(epoch) & 255u];
        for (int m = 0; m < 4; ++m) count_lanes[m][j] = c[m];
      }
    Vec g[9];
    for (int k = 0; k < 9; ++k) g[k] = Vec{};
    Vec sum_full{}, sum_batch{};
    for (int m = 0; m < 4; ++m) {
      const Vec count = load(count_lanes[m]);
      const Vec z1 = p[0] * x1[m] + p[1] * x2[m] + p[4];
      const Vec z2 = p[2] * x1[m] + p[3] * x2[m] + p[5];
      const Vec h1 = fast_sigmoid(z1);
      const Vec h2 = fast_sigmoid(z2);
      const Vec d1 = h1 * (1.0 - h1);
      const Vec d2 = h2 * (1.0 - h2);
      Vec u = p[8];
      u += p[6] * h1;
      u += p[7] * h2;
      const Vec o = fast_sigmoid(u);
      const Vec dout = o * (1.0 - o);
      const Vec err = o - y[m];
      const Vec l = err * err;
      sum_full += l;
      sum_batch += count * l;
      const Vec delta = 0.5 * err * dout * count;
      g[8] += delta;
      g[6] += delta * h1;
      const Vec dz1 = delta * p[6] * d1;
      g[4] += dz1;
      g[0] += dz1 * x1[m];
      g[1] += dz1 * x2[m];
      g[7] += delta * h2;
      const Vec dz2 = delta * p[7] * d2;
      g[5] += dz2;
      g[2] += dz2 * x1[m];
      g[3] += dz2 * x2[m];
    }
    const Vec full = 0.25 * sum_full;
    const Vec batch = 0.25 * sum_batch;
    const Vec below = select(full < threshold, splat(1.0), splat(0.0));
    // eta for a running lane above the threshold, 0 otherwise: p - 0 * g leaves p unchanged.
    const Vec rate = eta * (running * (1.0 - below));
    for (int k = 0; k < 9; ++k) p[k] -= rate * g[k];
    if (chunk.full_loss_sum) {
      double s = 0.0, b = 0.0;
      for (int j = 0; j < W; ++j)
        if (block.active[j]) {
          s += full[j];
          b += batch[j];
        }
      chunk.full_loss_sum[e] += s;
      if (chunk.batch_loss_sum) chunk.batch_loss_sum[e] += b;
    }
    if (check) {
      bool changed = false;
      for (int j = 0; j < W; ++j)
        if (running[j] != 0.0 && below[j] != 0.0) {
          block.converged_epoch[j] = epoch;
          running_lanes[j] = 0.0;
          --live;
          changed = true;
        }
      if (changed) running = load(running_lanes);
    }
  }
  for (int k = 0; k < 9; ++k) store(block.params[k], p[k]);
  return e;
}

[[gnu::target("avx512f,avx512dq")]] std::int64_t advance_avx512(SigmoidTrainBlock& block, const Dataset& dataset,
                                                                 const SigmoidTrainChunk& chunk) {
  return advance_body(block, dataset, chunk);
}

[[gnu::target("avx2,fma")]] std::int64_t advance_avx2(SigmoidTrainBlock& block, const Dataset& dataset,
                                                      const SigmoidTrainChunk& chunk) {
  return advance_body(block, dataset, chunk);
}

std::int64_t advance_default(SigmoidTrainBlock& block, const Dataset& dataset, const SigmoidTrainChunk& chunk) {
  return advance_body(block, dataset, chunk);
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
