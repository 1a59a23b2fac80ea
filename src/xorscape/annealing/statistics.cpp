#include "xorscape/annealing/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace xorscape::annealing {

Interval wilson_interval(std::int64_t successes, std::int64_t trials, double z) {
  if (trials <= 0) return {0.0, 1.0};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
  const double half = z / (1.0 + z2 / n) * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  // Exact bounds at the edges (the formula gives them up to rounding).
  return {successes == 0 ? 0.0 : std::max(0.0, centre - half), successes == trials ? 1.0 : std::min(1.0, centre + half)};
}

double mcnemar_exact_p(std::int64_t b, std::int64_t c) {
  const std::int64_t n = b + c;
  if (n <= 0) return 1.0;
  const std::int64_t k = std::min(b, c);
  // P(X <= k) for X ~ Bin(n, 1/2), summed in log space from the largest term down so
  // that n in the tens of thousands neither underflows nor loses the small terms.
  const double log_half_n = static_cast<double>(n) * std::log(0.5);
  auto log_term = [&](std::int64_t i) {
    return std::lgamma(static_cast<double>(n) + 1.0) - std::lgamma(static_cast<double>(i) + 1.0) -
           std::lgamma(static_cast<double>(n - i) + 1.0) + log_half_n;
  };
  const double top = log_term(k);  // the largest term of the lower tail (k <= n/2)
  double sum = 0.0;
  for (std::int64_t i = k; i >= 0; --i) {
    const double t = std::exp(log_term(i) - top);
    sum += t;
    if (t < 1e-18 * sum) break;
  }
  const double tail = std::exp(top + std::log(sum));
  return std::min(1.0, 2.0 * tail);
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double h = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

}  // namespace xorscape::annealing
