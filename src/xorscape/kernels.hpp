#pragma once
// The hot path: the loss of many parameter points at once. Every vectorised path
// (AVX2, AVX-512) is checked against the scalar reference, which is XorLoss::value
// itself. The slice generator and simple sampling share this kernel.
//
// Layout: points are stored structure-of-arrays, parameter k of point j at
// points[k * stride + j] (stride >= count), so a vector kernel loads consecutive
// points into one register.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "xorscape/network.hpp"

namespace xorscape::kernels {

enum class SimdLevel { scalar, avx2, avx512 };

std::string to_string(SimdLevel level);
// "scalar", "avx2", "avx512" or "auto" (detect_simd_level()); throws std::invalid_argument.
SimdLevel parse_simd_level(std::string_view text);
// The widest level this processor supports and this build contains. The environment
// variable XORSCAPE_SIMD=scalar|avx2|avx512 lowers it (never raises it above the CPU's).
SimdLevel detect_simd_level();
// Every level usable on this machine, scalar first (for tests and benchmarks).
std::vector<SimdLevel> available_simd_levels();

// out[j] = loss.value(point j, batch) for j < count (same reduction and regulariser).
void batch_loss(const XorLoss& loss, const double* points, std::size_t stride, std::size_t count, double* out,
                const Batch& batch = kNonrandomizedBatch, SimdLevel level = detect_simd_level());

}  // namespace xorscape::kernels
