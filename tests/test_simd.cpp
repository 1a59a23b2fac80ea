// kernels/simd.hpp: every vector function at every SIMD level this machine has, against the
// scalar reference; the sampler's exponential against the Wang–Landau sampler's own, bit for
// bit; the one level rule of both kernels.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "xorscape/core/rng.hpp"
#include "xorscape/kernels/simd.hpp"
#include "xorscape/kernels/train_kernels.hpp"

using namespace xorscape;
using kernels::SimdLevel;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

bool close_relative(double a, double b, double tolerance) {
  return std::abs(a - b) <= tolerance * std::max(std::abs(a), std::abs(b));
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

// Arguments of any size and sign: uniform at several scales, the clamps, the reduction's tie
// points k ln2 / 2, zeros, subnormals, the largest doubles and infinities. The count is odd, so
// every vector width also has a tail.
std::vector<double> arguments(std::uint64_t seed) {
  std::vector<double> x;
  RandomStream rng(seed);
  for (double scale : {1e-3, 0.2, 2.0, 40.0, 800.0, 1e6})
    for (int k = 0; k < 5000; ++k) x.push_back(rng.uniform(-scale, scale));
  for (int k = -1100; k <= 1100; ++k) x.push_back(k * 0.5 * std::log(2.0));
  for (double v : {0.0, -0.0, 1e-300, -1e-300, 0.125, -0.125, 0.5, 1.0, 708.0, -708.0, 708.5, -708.5, 709.0, -709.0,
                   709.5, -709.5, 745.0, -745.0, 745.2, -745.2, 746.0, -746.0, 1e5, -1e5, 1e300, -1e300,
                   std::numeric_limits<double>::max(), -std::numeric_limits<double>::max(),
                   std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::denorm_min(), kInf, -kInf})
    x.push_back(v);
  return x;
}

std::vector<double> nonpositive(std::vector<double> x) {
  for (double& v : x) v = -std::abs(v);
  return x;
}

using Many = void (*)(const double*, std::size_t, double*, SimdLevel);

std::vector<double> apply(Many f, const std::vector<double>& x, SimdLevel level) {
  std::vector<double> out(x.size(), std::numeric_limits<double>::quiet_NaN());
  f(x.data(), x.size(), out.data(), level);
  return out;
}

std::vector<double> apply(Activation activation, const std::vector<double>& x, SimdLevel level) {
  std::vector<double> out(x.size(), std::numeric_limits<double>::quiet_NaN());
  kernels::activate_many(activation, x.data(), x.size(), out.data(), level);
  return out;
}

// The training functions are compiled without contraction: every level gives the scalar level's bits.
void require_scalar_bits_at_every_level(Many f, const std::vector<double>& x, const std::vector<double>& scalar) {
  for (SimdLevel level : kernels::available_simd_levels()) {
    const std::vector<double> out = apply(f, x, level);
    for (std::size_t j = 0; j < x.size(); ++j) {
      INFO(kernels::to_string(level) << " x = " << x[j]);
      REQUIRE(same_bits(out[j], scalar[j]));
    }
  }
}

// Sets XORSCAPE_SIMD for the lifetime of the object (unset with nullopt) and restores it after.
class SimdEnvironment {
 public:
  explicit SimdEnvironment(std::optional<std::string> value) {
    if (const char* old = std::getenv("XORSCAPE_SIMD")) old_ = old;
    set(value);
  }
  ~SimdEnvironment() { set(old_); }
  SimdEnvironment(const SimdEnvironment&) = delete;
  SimdEnvironment& operator=(const SimdEnvironment&) = delete;

 private:
  static void set(const std::optional<std::string>& value) {
    if (value) setenv("XORSCAPE_SIMD", value->c_str(), 1);
    else unsetenv("XORSCAPE_SIMD");
  }
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("the sampler's exponential agrees with std::exp to 1e-15 relative over the double range") {
  std::vector<double> x = arguments(31);
  RandomStream rng(21);
  for (int t = 0; t < 200000; ++t) x.push_back(t < 100000 ? rng.uniform(-708.0, 709.0) : rng.uniform(-2.0, 2.0));
  for (int k = -64 * 1100; k <= 64 * 1100; k += 7) x.push_back(k * std::log(2.0) / 128.0);  // rounding ties
  for (double v : {-708.0, -1.0, 0.0, 1e-300, 0.5 * std::log(2.0), 1.0, 709.0}) x.push_back(v);
  double worst = 0.0;
  for (double v : x) {
    const double clamped = std::clamp(v, -708.0, 709.0);
    worst = std::max(worst, std::abs(kernels::simd::sampler_exp(v) / std::exp(clamped) - 1.0));
  }
  CHECK(worst < 1e-15);
  CHECK(std::isfinite(kernels::simd::sampler_exp(1e6)));
  CHECK(kernels::simd::sampler_exp(-1e6) > 0.0);
}

TEST_CASE("the loss exponential is within one rounding of std::exp at every level, also in the subnormals") {
  const std::vector<double> x = nonpositive(arguments(33));
  for (SimdLevel level : kernels::available_simd_levels()) {
    const std::vector<double> out = apply(kernels::loss_exp_many, x, level);
    for (std::size_t j = 0; j < x.size(); ++j) {
      const double exact = std::exp(x[j]);
      INFO(kernels::to_string(level) << " x = " << x[j] << ": " << out[j] << " vs " << exact);
      REQUIRE(std::isfinite(out[j]));
      // About 0.5 ulp: at most one ulp (2^-52 relative) from the correctly rounded value, and one
      // subnormal step (4.9e-324) where the result is subnormal; exactly 0 where exp rounds to 0.
      CHECK(std::abs(out[j] - exact) <= std::max(0x1p-52 * exact, std::numeric_limits<double>::denorm_min()));
    }
  }
}

TEST_CASE("the training exponential is within 2 ulp of std::exp, clamped at -708, and every level has its bits") {
  const std::vector<double> x = nonpositive(arguments(34));
  const std::vector<double> scalar = apply(kernels::train_exp_many, x, SimdLevel::scalar);
  for (std::size_t j = 0; j < x.size(); ++j) {
    INFO("x = " << x[j]);
    REQUIRE(same_bits(scalar[j], kernels::fast_exp_nonpositive(x[j])));
    const double expected = std::exp(std::max(x[j], -708.0));
    CHECK(std::abs(scalar[j] - expected) <= 4.5e-16 * expected);
  }
  require_scalar_bits_at_every_level(kernels::train_exp_many, x, scalar);
}

TEST_CASE("the training sigmoid is within a few ulp of the reference and every level has its bits") {
  const std::vector<double> z = arguments(35);
  const std::vector<double> scalar = apply(kernels::train_sigmoid_many, z, SimdLevel::scalar);
  for (std::size_t j = 0; j < z.size(); ++j) {
    INFO("z = " << z[j]);
    const double reference = sigmoid(z[j]);
    REQUIRE(std::isfinite(scalar[j]));
    // Below z = -708 the clamp keeps the result at e^-708 / (1 + e^-708) instead of going to 0.
    const double floor = kernels::fast_exp_nonpositive(-708.0) / (1.0 + kernels::fast_exp_nonpositive(-708.0));
    if (z[j] >= -708.0) CHECK(close_relative(scalar[j], reference, 1e-15));
    else CHECK(same_bits(scalar[j], floor));
  }
  require_scalar_bits_at_every_level(kernels::train_sigmoid_many, z, scalar);
}

TEST_CASE("the loss activations match the scalar ones at every level and stay finite up to |z| = 1e300") {
  const std::vector<double> z = arguments(36);
  for (SimdLevel level : kernels::available_simd_levels()) {
    for (Activation activation : {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::identity}) {
      const std::vector<double> out = apply(activation, z, level);
      for (std::size_t j = 0; j < z.size(); ++j) {
        INFO(kernels::to_string(level) << " " << to_string(activation) << " z = " << z[j]);
        const double reference = activate(activation, z[j]);
        if (std::isfinite(z[j]) || activation == Activation::sigmoid || activation == Activation::tanh)
          REQUIRE(std::isfinite(out[j]));
        if (level == SimdLevel::scalar || activation == Activation::relu || activation == Activation::identity) {
          // The scalar level is the reference itself; relu and identity are exact everywhere.
          CHECK(same_bits(out[j], reference));
        } else {
          // A few ulp, or an absolute 1e-300 for results deep in the subnormals.
          CHECK((close_relative(out[j], reference, 4e-15) || std::abs(out[j] - reference) < 1e-300));
        }
      }
    }
  }
}

TEST_CASE("the vector functions at W = 1 follow the scalar references") {
  namespace simd = kernels::simd;
  for (double z : arguments(37)) {
    INFO("z = " << z);
    CHECK(same_bits(simd::loss_sigmoid(z), sigmoid(z)));
    CHECK(same_bits(simd::loss_tanh(z), std::tanh(z)));
    CHECK(same_bits(simd::loss_activate(Activation::relu, z), activate(Activation::relu, z)));
    CHECK(same_bits(simd::identity(z), z));
    const double x = -std::abs(z);
    CHECK(std::abs(simd::loss_exp(x) - std::exp(x)) <=
          std::max(0x1p-52 * std::exp(x), std::numeric_limits<double>::denorm_min()));
    const double clamped = std::exp(std::max(x, -708.0));
    CHECK(std::abs(simd::train_exp(x) - clamped) <= 4.5e-16 * clamped);
  }
}

TEST_CASE("one level rule: XORSCAPE_SIMD lowers the level of both kernels, never raises it") {
  const std::vector<SimdLevel> levels = kernels::available_simd_levels();
  REQUIRE(levels.front() == SimdLevel::scalar);
  CHECK(kernels::training_simd_levels() == levels);
  const SimdLevel widest = levels.back();
  for (SimdLevel level : {SimdLevel::scalar, SimdLevel::avx2, SimdLevel::avx512})
    CHECK(kernels::usable_simd_level(level) == std::min(level, widest));
  {
    const SimdEnvironment unset(std::nullopt);
    CHECK(kernels::detect_simd_level() == widest);
    CHECK(kernels::training_simd_level() == widest);
  }
  for (const char* name : {"scalar", "avx2", "avx512"}) {
    const SimdEnvironment environment{std::string(name)};
    const SimdLevel expected = std::min(kernels::parse_simd_level(name), widest);
    INFO("XORSCAPE_SIMD=" << name);
    CHECK(kernels::detect_simd_level() == expected);
    CHECK(kernels::training_simd_level() == expected);
    CHECK(kernels::parse_simd_level("auto") == expected);
  }
  const SimdEnvironment unknown{std::string("sse9")};
  CHECK(kernels::detect_simd_level() == widest);
  CHECK(kernels::training_simd_level() == widest);
  CHECK_THROWS_AS(kernels::parse_simd_level("sse9"), std::invalid_argument);
}
