#pragma once
// The SIMD math of xorscape, in one place: a vector of W doubles, load and store, the three
// exponentials, the activations as vector functions, and the one way a kernel is compiled for
// each SIMD level.
//
// The idiom. A kernel body is a template on the width W, called through simd::dispatch, which
// instantiates it inside one entry point per level: [[gnu::target("avx2,fma")]] for AVX2 (W = 4),
// [[gnu::target("avx512f,avx512dq,avx512vl,avx2,fma")]] for AVX-512 (W = 8), no attribute for the
// scalar level (W = 1 or 2, the kernel's choice). The default build therefore runs on any x86-64;
// the wide code runs only after usable_simd_level checked the processor. Every function on the
// way from an entry point to the arithmetic is always_inline (XORSCAPE_SIMD_INLINE, and
// XORSCAPE_SIMD_LAMBDA on a body lambda): a function that is not inlined is compiled for the
// default target, slowly and with other rounding.
//
// Widths. W = 1 is plain `double`: the loss kernels' scalar level, whose activations are the
// scalar references of core/activation.hpp (std::exp, std::tanh). W = 2, 4, 8 are GCC vector
// extensions (one SSE2, AVX2 or AVX-512 register); the training kernel's scalar level is W = 2.
//
// Rounding. GCC contracts a * b + c into one fused multiply-add where the target has FMA and
// -ffp-contract=fast (the default for C++). Everything here is inlined into the including
// file's entry points, so that file's setting decides: kernels.cpp leaves contraction on (its
// wide levels agree with the scalar reference to a few ulp, not bit for bit), train_kernels.cpp
// turns it off so that all its levels give the same bits. Changing either changes results.
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include "xorscape/core/activation.hpp"
#include "xorscape/kernels/kernels.hpp"

#define XORSCAPE_SIMD_INLINE [[gnu::always_inline]] inline
#define XORSCAPE_SIMD_LAMBDA __attribute__((always_inline))
#if defined(__x86_64__) && defined(__GNUC__)
#define XORSCAPE_HAVE_X86_KERNELS 1
#endif

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // wide vectors never cross a call that is not inlined

namespace xorscape::kernels {

// The one CPU rule: `wanted` lowered to what this processor supports and this build contains.
// AVX-512 needs AVX-512F, DQ and VL; AVX2 needs AVX2 and FMA.
SimdLevel usable_simd_level(SimdLevel wanted);

// For tests and benchmarks: out[j] = f(x[j]) with the level's vector code, compiled as the kernel
// that uses f compiles it (loss_exp in kernels.cpp, train_exp and train_sigmoid in
// train_kernels.cpp; the loss activations through activate_many).
void loss_exp_many(const double* x, std::size_t count, double* out, SimdLevel level);
void train_exp_many(const double* x, std::size_t count, double* out, SimdLevel level);
void train_sigmoid_many(const double* x, std::size_t count, double* out, SimdLevel level);

}  // namespace xorscape::kernels

namespace xorscape::kernels::simd {

// ---- The vector type ----

template <int W>
struct Lanes {
  static_assert(W == 2 || W == 4 || W == 8, "a vector holds 1, 2, 4 or 8 doubles");
  typedef double Vector __attribute__((vector_size(8 * W)));
  typedef std::uint64_t Bits __attribute__((vector_size(8 * W)));
};
template <>
struct Lanes<1> {
  using Vector = double;
  using Bits = std::uint64_t;
};

// Vec<W>: W doubles (Vec<1> is double). BitsOf<V>: the same lanes as unsigned 64-bit integers.
template <int W>
using Vec = typename Lanes<W>::Vector;
template <class V>
inline constexpr int width = static_cast<int>(sizeof(V) / sizeof(double));
template <class V>
using BitsOf = typename Lanes<width<V>>::Bits;

// Every lane x. (For W > 1 this is 0 + x, as the kernels always wrote it: -0.0 becomes +0.0.)
template <class V>
XORSCAPE_SIMD_INLINE V splat(double x) {
  if constexpr (width<V> == 1) return x;
  else return V{} + x;
}
// W consecutive doubles from any address (no alignment needed).
template <class V>
XORSCAPE_SIMD_INLINE V load(const double* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class V>
XORSCAPE_SIMD_INLINE void store(double* p, V v) {
  std::memcpy(p, &v, sizeof v);
}
template <class V>
XORSCAPE_SIMD_INLINE BitsOf<V> bits(V x) {
  BitsOf<V> b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}
template <class V>
XORSCAPE_SIMD_INLINE V from_bits(BitsOf<V> b) {
  V x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}
template <class V>
XORSCAPE_SIMD_INLINE V absolute(V x) {
  return from_bits<V>(bits(x) & 0x7fffffffffffffffULL);
}

// ---- Primitives shared by the exponentials ----

// Adding 1.5 * 2^52 to |v| < 2^51 rounds v to the nearest integer (ties to even) and leaves it in
// the low mantissa bits; subtracting it again gives that integer as a double. No call to
// nearbyint (baseline x86-64 has no rounding instruction) and no conversion to integers.
inline constexpr double kShifter = 0x1.8p52;
template <class V>
XORSCAPE_SIMD_INLINE V round_to_integer(V v) {
  return (v + kShifter) - kShifter;
}

// 2^e for the integer e held in the exponent field's place: (e + 1023) << 52, for e in
// [-1022, 1023] (the caller keeps it there).
template <class V>
XORSCAPE_SIMD_INLINE V power_of_two_from_exponent(BitsOf<V> e) {
  return from_bits<V>((e + 1023) << 52);
}
// 2^k for s = k + kShifter (the shifter's sum, k integral): k read from the low mantissa bits.
template <class V>
XORSCAPE_SIMD_INLINE V power_of_two_of_shifted(V s) {
  return power_of_two_from_exponent<V>(bits(s) - bits(splat<V>(kShifter)));
}

inline constexpr double kLog2e = 0x1.71547652b82fep0;  // log2(e) rounded
// Two Cody–Waite splits of ln 2 = head + tail: the head has trailing zero bits, so k * head is
// exact for every k the exponentials see, and x - k ln2 is formed with about 2^-60 error.
// fdlibm's (e_exp.c ln2HI/ln2LO; the head has 21 trailing zero bits):
inline constexpr double kLn2HighFdlibm = 6.93147180369123816490e-01;
inline constexpr double kLn2LowFdlibm = 1.90821492927058770002e-10;
// Cephes' (exp.c C1/C2; the head has 34 trailing zero bits):
inline constexpr double kLn2HighCephes = 6.93145751953125E-1;
inline constexpr double kLn2LowCephes = 1.42860682030941723212E-6;
// The same doubles as the literals the kernels were first written with.
static_assert(kShifter == 6755399441055744.0 && kLog2e == 1.44269504088896338700e+00 && kLog2e == 1.4426950408889634);

// 1/n!, n = 0..13: the Taylor coefficients of e^r (each the correctly rounded quotient).
inline constexpr std::array<double, 14> kInverseFactorial = {
    1.0,           1.0,           0.5,           1.0 / 6.0,         1.0 / 24.0,         1.0 / 120.0,
    1.0 / 720.0,   1.0 / 5040.0,  1.0 / 40320.0, 1.0 / 362880.0,    1.0 / 3628800.0,    1.0 / 39916800.0,
    1.0 / 479001600.0, 1.0 / 6227020800.0};

// 1/n! as a constant of the expression: an element read through the array's operator[] in a hot
// loop becomes a load the compiler hoists into a register, which cost the training kernel 3 %.
template <int n>
inline constexpr double kInverseFactorialOf = kInverseFactorial[n];

// sum_{n=Lowest..13} r^(n - Lowest) / n!, by Horner from the top: ((c13 r + c12) r + ...) + c_Lowest.
template <int Lowest, class V>
XORSCAPE_SIMD_INLINE V taylor_tail(V r) {
  V q = splat<V>(kInverseFactorialOf<13>);
  [&]<int... k>(std::integer_sequence<int, k...>) XORSCAPE_SIMD_LAMBDA {
    ((q = q * r + kInverseFactorialOf<12 - k>), ...);
  }(std::make_integer_sequence<int, 13 - Lowest>{});
  return q;
}

// ---- The three exponentials ----
//
// Why three. Each kernel's published numbers (the golden digests) are the bits of its own
// exponential, and the three are different algorithms, not one algorithm with different clamps:
// merging any two changes the last bit of some results and every number downstream. What they
// share is above (shifter rounding, 2^k from the exponent bits, the ln 2 splits, 1/n!).
//
//   loss_exp     batch and plane loss kernels (wide levels). x <= 0. About 0.5 ulp, correct
//                into the subnormal range, 0 below -746. fdlibm split, 1 + (r + r^2 Q(r)), 2^k
//                as two factors.
//   train_exp    training lanes (every level, also the scalar one). x <= 0. About 1 ulp, normal
//                results only (clamped at -708, e^-708 = 3.3e-308). Cephes split, full Horner,
//                one 2^k factor: the cheapest of the three.
//   sampler_exp  Wang–Landau sampler (scalar, any sign). Relative error below 1e-15, clamped to
//                [-708, 709] (always a normal double). A 64-entry table of 2^(j/64) and a degree-5
//                polynomial: short, so that the examples' exponentials overlap in the pipeline.

// e^x for x <= 0 (and -inf), without overflow, NaN or a spurious underflow trap:
//   x = k ln2 + r, |r| <= ln2/2, k = round(x / ln2),
//   e^r = 1 + (r + r^2 Q(r)),  Q(r) = sum_{n=2..13} r^(n-2) / n!  (Taylor; the first omitted term
//   r^14/14! < 5e-18 relative for |r| <= 0.347), the small part added last so that the result is
//   rounded once (about 0.5 ulp, checked against std::exp in the tests), 2^k applied as two
//   factors 2^k1 2^k2 so that results in the subnormal range (k down to -1076) are formed by one
//   correctly placed rounding. Below -746 the true value rounds to 0, so x is clamped there; the
//   clamp also maps -inf and -1e300 to 0.
template <class V>
XORSCAPE_SIMD_INLINE V loss_exp(V x) {
  x = x < -746.0 ? splat<V>(-746.0) : x;
  const V k = round_to_integer(x * kLog2e);
  const V r = (x - k * kLn2HighFdlibm) - k * kLn2LowFdlibm;
  const V p = 1.0 + (r + (r * r) * taylor_tail<2>(r));
  const V k1 = round_to_integer(k * 0.5);
  return (p * power_of_two_of_shifted(k1 + kShifter)) * power_of_two_of_shifted((k - k1) + kShifter);
}

// e^x for x <= 0 (x below -708 is clamped: e^-708 = 3.3e-308, still normal).
// x = n ln2 + r with |r| <= ln2/2 (Cephes split, exact products for |n| < 2^11), e^r by its
// Taylor polynomial to degree 13 in full Horner form (truncation error 4e-18), 2^n built in the
// exponent bits: n comes from the low mantissa bits of x log2(e) + 1.5 * 2^52.
template <class V>
XORSCAPE_SIMD_INLINE V train_exp(V x) {
  x = x < -708.0 ? splat<V>(-708.0) : x;
  const V shifted = x * kLog2e + kShifter;
  const V n = shifted - kShifter;
  const V r = (x - n * kLn2HighCephes) - n * kLn2LowCephes;
  return taylor_tail<0>(r) * power_of_two_of_shifted(shifted);
}

// 2^(j/64), j = 0..63, for sampler_exp (std::exp2 at start-up, as the sampler's own table).
inline const std::array<double, 64> kExp2Sixtyfourths = [] {
  std::array<double, 64> t{};
  for (int j = 0; j < 64; ++j) t[j] = std::exp2(j / 64.0);
  return t;
}();

// e^x for the Wang–Landau sampler's inner loop, the same arithmetic as
// entropy::detail::sampler_exp (a test checks the bits): x = (64 q + j) ln2/64 + r with
// |r| <= ln2/128, e^x = 2^q 2^(j/64) e^r, e^r by its Taylor polynomial of degree 5 (truncation
// below 4e-17 relative, Estrin order). Arguments are clamped to [-708, 709], where the result is
// a normal double; 2^q is applied in two factors so that q = 1023 + rounding stays finite.
XORSCAPE_SIMD_INLINE double sampler_exp(double x) {
  x = x < -708.0 ? -708.0 : (x > 709.0 ? 709.0 : x);
  const double k = round_to_integer(x * (64.0 * kLog2e));
  const double r = (x - k * (kLn2HighFdlibm / 64.0)) - k * (kLn2LowFdlibm / 64.0);
  const double r2 = r * r;
  const double p = (1.0 + r) + r2 * ((kInverseFactorialOf<2> + r * kInverseFactorialOf<3>) +
                                      r2 * (kInverseFactorialOf<4> + r * kInverseFactorialOf<5>));
  const auto ki = static_cast<std::int64_t>(k);
  const std::int64_t q = ki >> 6;  // floor(k / 64): arithmetic shift
  const std::int64_t half = q / 2;
  return (kExp2Sixtyfourths[ki & 63] * p) * power_of_two_from_exponent<double>(static_cast<std::uint64_t>(half)) *
         power_of_two_from_exponent<double>(static_cast<std::uint64_t>(q - half));
}

// ---- Activations ----

// The logistic function from e = e^-|z| (the branches of xorscape::sigmoid: exp's argument is
// never positive): 1 / (1 + e) for z >= 0, e / (1 + e) below.
template <class V>
XORSCAPE_SIMD_INLINE V logistic_from_exp(V z, V e) {
  const V numerator = z >= 0.0 ? splat<V>(1.0) : e;
  return numerator / (1.0 + e);
}

// The loss kernels' sigmoid: the reference xorscape::sigmoid at W = 1, else through loss_exp.
template <class V>
XORSCAPE_SIMD_INLINE V loss_sigmoid(V z) {
  if constexpr (width<V> == 1) return xorscape::sigmoid(z);
  else return logistic_from_exp(z, loss_exp(-absolute(z)));
}

// The training kernel's sigmoid (every width), through train_exp.
template <class V>
XORSCAPE_SIMD_INLINE V train_sigmoid(V z) {
  return logistic_from_exp(z, train_exp(z >= 0.0 ? -z : z));
}

// The loss kernels' tanh: std::tanh at W = 1. Else tanh|z| = (1 - e)/(1 + e) with e = e^-2|z|;
// below |z| = 1/8, where 1 - e cancels, the Taylor series z - z^3/3 + 2z^5/15 - ... through z^15
// (next term < 5e-18 relative); the sign is copied from z.
template <class V>
XORSCAPE_SIMD_INLINE V loss_tanh(V z) {
  if constexpr (width<V> == 1) {
    return std::tanh(z);
  } else {
    const V a = absolute(z);
    const V e = loss_exp(-2.0 * a);
    const V large = (1.0 - e) / (1.0 + e);
    const V s = a * a;
    V t = splat<V>(-929569.0 / 638512875.0);
    t = t * s + 21844.0 / 6081075.0;
    t = t * s - 1382.0 / 155925.0;
    t = t * s + 62.0 / 2835.0;
    t = t * s - 17.0 / 315.0;
    t = t * s + 2.0 / 15.0;
    t = t * s - 1.0 / 3.0;
    const V small = a + a * (s * t);
    const V magnitude = a < 0.125 ? small : large;
    return from_bits<V>(bits(magnitude) | (bits(z) & 0x8000000000000000ULL));
  }
}

template <class V>
XORSCAPE_SIMD_INLINE V relu(V z) {
  return z > 0.0 ? z : splat<V>(0.0);
}

template <class V>
XORSCAPE_SIMD_INLINE V identity(V z) {
  return z;
}

// The loss kernels' activations: at W = 1 exactly xorscape::activate.
template <class V>
XORSCAPE_SIMD_INLINE V loss_activate(Activation activation, V z) {
  switch (activation) {
    case Activation::sigmoid: return loss_sigmoid(z);
    case Activation::tanh: return loss_tanh(z);
    case Activation::relu: return relu(z);
    case Activation::identity: return identity(z);
  }
  return z;
}

// ---- Running a kernel at a level ----

// out[j] = f(x[j]) for j < count, W lanes at a time; the tail is padded with zeros, so every
// element goes through the same vector code.
template <int W, class F>
XORSCAPE_SIMD_INLINE void map_many(F f, const double* x, std::size_t count, double* out) {
  using V = Vec<W>;
  std::size_t j = 0;
  for (; j + W <= count; j += W) store(out + j, f(load<V>(x + j)));
  if (j < count) {
    double in[W] = {}, result[W];
    std::memcpy(in, x + j, (count - j) * sizeof(double));
    store(result, f(load<V>(in)));
    std::memcpy(out + j, result, (count - j) * sizeof(double));
  }
}

namespace detail {
#ifdef XORSCAPE_HAVE_X86_KERNELS
template <class Body>
[[gnu::target("avx512f,avx512dq,avx512vl,avx2,fma")]] decltype(auto) run_avx512(Body& body) {
  return body.template operator()<8>();
}
template <class Body>
[[gnu::target("avx2,fma")]] decltype(auto) run_avx2(Body& body) {
  return body.template operator()<4>();
}
#endif
// The scalar level is its own function too: inlined into the caller (PlaneEvaluator's row loop)
// the scalar plane kernel ran about 3 % slower.
template <int W, class Body>
[[gnu::noinline]] decltype(auto) run_scalar(Body& body) {
  return body.template operator()<W>();
}
}  // namespace detail

// body.template operator()<W>() compiled for and run at usable_simd_level(level), one entry point
// per level: W = 8 for AVX-512, 4 for AVX2, ScalarWidth (1 or 2) for the scalar level. body is a
// lambda `[&]<int W>() XORSCAPE_SIMD_LAMBDA { ... }`.
template <int ScalarWidth, class Body>
decltype(auto) dispatch(SimdLevel level, Body&& body) {
  switch (usable_simd_level(level)) {
#ifdef XORSCAPE_HAVE_X86_KERNELS
    case SimdLevel::avx512: return detail::run_avx512(body);
    case SimdLevel::avx2: return detail::run_avx2(body);
#endif
    default: break;
  }
  return detail::run_scalar<ScalarWidth>(body);
}

}  // namespace xorscape::kernels::simd

#pragma GCC diagnostic pop
