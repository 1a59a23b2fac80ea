#include "xorscape/kernels.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace xorscape::kernels {

std::string to_string(SimdLevel level) {
  switch (level) {
    case SimdLevel::scalar: return "scalar";
    case SimdLevel::avx2: return "avx2";
    case SimdLevel::avx512: return "avx512";
  }
  return "unknown";
}

SimdLevel parse_simd_level(std::string_view text) {
  if (text == "auto") return detect_simd_level();
  if (text == "scalar") return SimdLevel::scalar;
  if (text == "avx2") return SimdLevel::avx2;
  if (text == "avx512") return SimdLevel::avx512;
  throw std::invalid_argument("'" + std::string(text) + "' is not a SIMD level (auto, scalar, avx2, avx512)");
}

namespace {
SimdLevel cpu_simd_level() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return SimdLevel::avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SimdLevel::avx2;
  return SimdLevel::scalar;
}
// Levels this build has kernels for; raised as vector kernels are added.
constexpr SimdLevel kWidestBuiltLevel = SimdLevel::scalar;
}  // namespace

SimdLevel detect_simd_level() {
  SimdLevel level = cpu_simd_level();
  if (level > kWidestBuiltLevel) level = kWidestBuiltLevel;
  if (const char* wanted = std::getenv("XORSCAPE_SIMD")) {
    try {
      const SimdLevel requested = parse_simd_level(wanted);
      if (requested < level) level = requested;
    } catch (const std::invalid_argument&) {
      // An unknown value leaves the detected level in place.
    }
  }
  return level;
}

std::vector<SimdLevel> available_simd_levels() {
  std::vector<SimdLevel> levels;
  const SimdLevel widest = std::min(cpu_simd_level(), kWidestBuiltLevel);
  for (SimdLevel level : {SimdLevel::scalar, SimdLevel::avx2, SimdLevel::avx512})
    if (level <= widest) levels.push_back(level);
  return levels;
}

void batch_loss(const XorLoss& loss, const double* points, std::size_t stride, std::size_t count, double* out,
                const Batch& batch, SimdLevel level) {
  // Scalar reference: gather each point and evaluate it with the network itself.
  const int dimension = loss.dimension();
  std::vector<double> point(dimension);
  for (std::size_t j = 0; j < count; ++j) {
    for (int k = 0; k < dimension; ++k) point[k] = points[k * stride + j];
    out[j] = loss.value(point, batch);
  }
}

}  // namespace xorscape::kernels
