#pragma once
// Seeded, splittable random streams. A stream is identified by the user's seed and
// any number of integer keys (run index, grid row, scan, ...), so work can be split
// across threads in any way and every piece still draws the same numbers: results
// depend on the seed, never on the thread count or scheduling.
//
// Generator: xoshiro256** (Blackman & Vigna), state filled by SplitMix64 from a hash
// of (seed, keys). Distributions are implemented here, not taken from <random>,
// so numbers are identical across standard libraries.
#include <cmath>
#include <cstdint>
#include <initializer_list>

namespace xorscape {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class RandomStream {
 public:
  explicit RandomStream(std::uint64_t seed, std::initializer_list<std::uint64_t> keys = {}) {
    std::uint64_t h = seed ^ 0x6a09e667f3bcc909ULL;
    std::uint64_t mix = splitmix64(h);
    for (std::uint64_t k : keys) {
      h = mix ^ (k + 0x3c6ef372fe94f82bULL);
      mix = splitmix64(h);
    }
    std::uint64_t s = mix;
    for (auto& word : state_) word = splitmix64(s);
  }

  // The complete generator state, so a long run can checkpoint a stream and continue it
  // later with exactly the numbers it would have drawn (Wang-Landau --resume).
  struct State {
    std::uint64_t words[4];
    double spare;
    bool has_spare;
  };
  State state() const { return State{{state_[0], state_[1], state_[2], state_[3]}, spare_, has_spare_}; }
  explicit RandomStream(const State& saved) : spare_(saved.spare), has_spare_(saved.has_spare) {
    for (int i = 0; i < 4; ++i) state_[i] = saved.words[i];
  }

  // A child stream: independent of this one and of every other key.
  RandomStream split(std::uint64_t key) const { return RandomStream(state_[0] ^ state_[3], {key, state_[1]}); }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n), n >= 1, without modulo bias (Lemire's method).
  std::uint32_t below(std::uint32_t n) {
    std::uint64_t m = static_cast<std::uint64_t>(static_cast<std::uint32_t>(next() >> 32)) * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;
      while (low < threshold) {
        m = static_cast<std::uint64_t>(static_cast<std::uint32_t>(next() >> 32)) * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }
  // Standard normal (Marsaglia's polar method; the second value is kept).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace xorscape
