#pragma once
// Density of loss g(L) and microcanonical entropy S(L) = ln g(L) (dissecting paper, section 3.4):
// the loss binning, the sampling box and its volume, normalisation of ln g so that
// integral g(L) dL = box volume, simple sampling, joining of overlapping windows, and the
// microcanonical inflection-point analysis of S(L) (beta = dS/dL, gamma = d beta/dL).
//
// Simple sampling lives in simple_sampling.hpp, the Wang-Landau / multicanonical sampler in
// wanglandau.hpp (its job and the combined estimate in wanglandau_job.hpp), the energy functions
// it samples (the XOR network with incremental updates, and |x|^2 for tests) in models.hpp, and
// the file layouts in entropy_file.hpp.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "xorscape/core/network.hpp"

namespace xorscape::entropy {

// Bins over [lo, hi]: `bins` uniform bins, of which the part below `fine_until` (if > lo)
// is replaced by `fine_bins` uniform bins of its own width, to resolve the low-loss tail.
// Every value in [lo, hi] has a bin (hi goes into the last one); O(1) lookup.
class LossBinning {
 public:
  LossBinning(double lo, double hi, int bins, double fine_until = 0.0, int fine_bins = 0);
  int bins() const { return fine_bins_ + coarse_bins_; }
  // Bin of `value`, or -1 outside [lo, hi] (or not finite).
  int index(double value) const {
    if (!(value >= lo_) || !(value <= hi_)) return -1;
    if (value < fine_until_) {
      const int b = static_cast<int>((value - lo_) * fine_inverse_width_);
      return b < fine_bins_ ? b : fine_bins_ - 1;
    }
    const int b = static_cast<int>((value - fine_until_) * coarse_inverse_width_);
    return fine_bins_ + (b < coarse_bins_ ? b : coarse_bins_ - 1);
  }
  double lower_edge(int bin) const;
  double upper_edge(int bin) const { return lower_edge(bin + 1); }
  double width(int bin) const { return upper_edge(bin) - lower_edge(bin); }
  double centre(int bin) const { return 0.5 * (lower_edge(bin) + upper_edge(bin)); }
  std::vector<double> edges() const;
  std::vector<double> centres() const;
  double lo() const { return lo_; }
  double hi() const { return hi_; }
  double fine_until() const { return fine_until_; }
  int fine_bins() const { return fine_bins_; }
  // The constructor's bins and fine_until: LossBinning(lo(), hi(), requested_bins(),
  // requested_fine_until(), fine_bins()) is this binning again (files store these).
  int requested_bins() const { return requested_bins_; }
  double requested_fine_until() const { return requested_fine_until_; }
  // A text form for checkpoints and provenance.
  std::string describe() const;

 private:
  double lo_, hi_, fine_until_;
  int fine_bins_, coarse_bins_;
  int requested_bins_;
  double requested_fine_until_;
  double fine_inverse_width_, coarse_inverse_width_;
};

// The largest loss the network can reach: each example's squared error is bounded by the
// output activation's range. Throws std::invalid_argument for unbounded outputs (relu, identity).
double loss_upper_bound(const XorLoss& loss);

// The sampled region: parameter k uniform in [lower[k], upper[k]].
struct Box {
  std::vector<double> lower;
  std::vector<double> upper;
  int dimension() const { return static_cast<int>(lower.size()); }
  // ln of the volume prod_k (upper_k - lower_k).
  double ln_volume() const;
  std::string describe() const;
};
// [-R, R]^D.
Box symmetric_box(int dimension, double half_width);
// Throws std::invalid_argument when a width upper - lower is not a finite positive number or the
// ln volume is not finite. (The volume itself is never formed: e^{ln V} exceeds the double range
// for large D, e.g. D = 193 at R = 20, and is not needed.)
void check_box(const Box& box);

// ln g normalised so that sum_b g_b * width_b over the bins where `known` is set equals
// exp(ln_volume). Works in ln space (log-sum-exp), so g may span thousands of e-folds.
void normalise_ln_g(std::vector<double>& ln_g, const std::vector<std::uint8_t>& known, const LossBinning& binning,
                    double ln_volume);

// S_b = ln(counts_b / (N width_b)) + ln V for bins with counts; error of S_b from the binomial
// variance of counts_b: sqrt((1 - p_b) / counts_b), p_b = counts_b / N.
struct SampledEntropy {
  std::vector<int> bin;  // bins with counts > 0
  std::vector<double> loss, entropy, error;
};
SampledEntropy sampled_entropy(const std::vector<std::int64_t>& counts, std::int64_t samples, const LossBinning& binning,
                               double ln_volume);

// ---------------------------------------------------------------- windows
// Joins overlapping windows' ln g into one curve: neighbours are shifted to agree at the
// bin of their overlap where their slopes (forward differences of ln g) agree best
// (Vogel, Li, Wuest & Landau, PRL 110, 210603). Window w covers bins [first[w], first[w]+ln_g[w].size())
// and knows bins where known[w] is set. Returns ln g over all bins and the union of known bins
// in `known_out`; `join_bins` receives the bins where windows were joined.
std::vector<double> join_windows(const std::vector<int>& first, const std::vector<std::vector<double>>& ln_g,
                                 const std::vector<std::vector<std::uint8_t>>& known, int total_bins,
                                 std::vector<std::uint8_t>& known_out, std::vector<int>* join_bins = nullptr);

// ---------------------------------------------------------------- inflection-point analysis
// S(L) smoothed by a local polynomial of degree 4 fitted by least squares to the bins within
// +-half_width of each bin (Savitzky-Golay on a possibly non-uniform grid); its derivatives give
// beta = dS/dL, gamma = d beta/dL and dgamma = d gamma/dL at the bin centre.
struct Derivatives {
  std::vector<double> entropy, beta, gamma, dgamma;
};
Derivatives smoothed_derivatives(const std::vector<double>& loss, const std::vector<double>& entropy,
                                 double half_width);

// A feature of the curves, located by linear interpolation of a sign change.
struct Feature {
  double loss;
  std::string kind;  // "S_maximum", "S_minimum", "beta_maximum" (= S inflection), "beta_minimum",
                     // "gamma_maximum" (= beta inflection), "gamma_minimum"
  double value;      // the curve's value there (S, beta or gamma)
};
// Extrema of S (zeros of beta), of beta (zeros of gamma: inflection points of S) and of gamma
// (zeros of dgamma: inflection points of beta), in increasing loss.
std::vector<Feature> features(const std::vector<double>& loss, const Derivatives& d);

}  // namespace xorscape::entropy

namespace xorscape::entropy {
// "R" (the box [-R, R] for every parameter) or a comma-separated list of overrides after an
// optional default: "10,w2=20,b2_1=5" — a group name (w1, b1, w2, b2) sets all parameters of the
// group, a parameter name (paper notation) sets one. Throws std::invalid_argument.
Box parse_box(const std::string& text, const ParameterLayout& layout, double default_half_width);
}  // namespace xorscape::entropy

namespace xorscape::entropy {
// K estimates of ln g over the same binning combined over the bins every estimate knows:
// the span [first_bin, last_bin] from the highest first known bin to the lowest last known bin.
// A bin inside the span that one estimate lacks (rare: an unvisited gap) is filled by linear
// interpolation in that estimate and counted in `interpolated`.
struct CombinedEntropy {
  int first_bin = 0, last_bin = -1;
  std::vector<double> loss;               // bin centres
  std::vector<double> mean, spread;       // mean and sample standard deviation over estimates (0 for K = 1)
  std::vector<std::vector<double>> each;  // K x bins of the span
  int interpolated = 0;
};
// Mean and sample standard deviation (0 for one row) of rows [from, from + count) of `rows`, bin by bin.
struct MeanAndSpread {
  std::vector<double> mean, spread;
};
MeanAndSpread mean_and_spread(const std::vector<std::vector<double>>& rows, std::size_t from, std::size_t count);
CombinedEntropy combine_estimates(const std::vector<std::vector<double>>& ln_g,
                                  const std::vector<std::vector<std::uint8_t>>& known, const LossBinning& binning);
}  // namespace xorscape::entropy

namespace xorscape::entropy {
// The density-of-loss problem: the network's loss on the nonrandomized batch, the box, the bins
// over [0, the largest loss the output activation allows].
struct EntropyProblem {
  XorLoss loss;
  Box box;
  LossBinning binning;
  double loss_upper_bound;
  std::string identity;  // one line naming all of the above (checkpoints resume only the same)
};
// Checks the box (check_box) and its dimension; the binning must start at 0.
EntropyProblem make_problem(XorLoss loss, Box box, LossBinning binning);
}  // namespace xorscape::entropy
