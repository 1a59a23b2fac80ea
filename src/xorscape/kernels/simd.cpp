// SIMD levels: names, the one processor check and the one XORSCAPE_SIMD rule, for every kernel.
#include "xorscape/kernels/simd.hpp"

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
// The widest level this processor runs and this build contains (the entry points of
// simd::dispatch carry the same instruction sets as the tests here).
SimdLevel widest_level() {
#ifdef XORSCAPE_HAVE_X86_KERNELS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return SimdLevel::avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SimdLevel::avx2;
#endif
  return SimdLevel::scalar;
}

SimdLevel widest_usable() {
  static const SimdLevel widest = widest_level();
  return widest;
}
}  // namespace

SimdLevel usable_simd_level(SimdLevel wanted) { return std::min(wanted, widest_usable()); }

// XORSCAPE_SIMD=scalar|avx2|avx512 lowers the level (never raises it); any other value is ignored.
SimdLevel detect_simd_level() {
  SimdLevel level = widest_usable();
  if (const char* wanted = std::getenv("XORSCAPE_SIMD")) {
    const std::string_view text(wanted);
    if (text == "scalar" || text == "avx2" || text == "avx512") level = std::min(level, parse_simd_level(text));
  }
  return level;
}

std::vector<SimdLevel> available_simd_levels() {
  std::vector<SimdLevel> levels;
  for (SimdLevel level : {SimdLevel::scalar, SimdLevel::avx2, SimdLevel::avx512})
    if (level <= widest_usable()) levels.push_back(level);
  return levels;
}

}  // namespace xorscape::kernels
