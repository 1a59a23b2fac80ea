#pragma once
// Statistics of paired trial experiments: Wilson score interval for a success rate,
// the exact (binomial) McNemar test for paired binary outcomes, and quantiles.
#include <cstdint>
#include <span>
#include <vector>

namespace xorscape::annealing {

struct Interval {
  double lo;
  double hi;
};

// Wilson score interval for k successes in n trials at the two-sided level given by z
// (z = 1.959963984540054 for 95 %). n = 0 gives [0, 1].
Interval wilson_interval(std::int64_t successes, std::int64_t trials, double z = 1.959963984540054);

// Exact two-sided McNemar test for paired binary outcomes: b and c are the discordant
// counts (e.g. rescued = baseline failed / arm succeeded, broken = the reverse).
// p = min(1, 2 P(X <= min(b, c))) with X ~ Binomial(b + c, 1/2); p = 1 when b + c = 0.
double mcnemar_exact_p(std::int64_t b, std::int64_t c);

// Quantile q in [0, 1] of the values with linear interpolation between order statistics
// (Hyndman & Fan type 7, numpy's default). Empty input gives NaN; the caller decides
// how to store it.
double quantile(std::vector<double> values, double q);

}  // namespace xorscape::annealing
