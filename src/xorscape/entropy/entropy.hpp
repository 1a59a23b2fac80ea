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
#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "xorscape/core/network.hpp"

namespace xorscape::entropy {

// Bins over [lo, hi], of two kinds:
// - uniform: `bins` uniform bins, of which the part below `fine_until` (if > lo) is replaced by
//   `fine_bins` uniform bins of its own width, to resolve the low-loss tail; O(1) lookup;
// - given edges: any strictly increasing edges e_0 = lo < e_1 < ... < e_B = hi (non-uniform bins,
//   e.g. finer where ln g changes fastest); lookup through a uniform table of 4 B cells, each
//   naming the bins it overlaps, then a binary search among those (O(1) for edges no finer than
//   a cell, O(log) at worst).
// Every value in [lo, hi] has a bin (hi goes into the last one).
class LossBinning {
 public:
  LossBinning(double lo, double hi, int bins, double fine_until = 0.0, int fine_bins = 0);
  // Throws std::invalid_argument unless there are >= 2 finite, strictly increasing edges.
  explicit LossBinning(std::vector<double> edges);
  int bins() const { return fine_bins_ + coarse_bins_; }
  // Bin of `value`, or -1 outside [lo, hi] (or not finite).
  int index(double value) const {
    if (!(value >= lo_) || !(value <= hi_)) return -1;
    if (!given_.empty()) return given_index(value);
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
  // True for bins over given edges (then requested_bins() is bins() and there is no fine region).
  bool given_edges() const { return !given_.empty(); }
  // True when every bin has the same width (no fine region, no given edges).
  bool uniform() const { return given_.empty() && fine_bins_ == 0; }
  double fine_until() const { return fine_until_; }
  int fine_bins() const { return fine_bins_; }
  // The constructor's bins and fine_until: LossBinning(lo(), hi(), requested_bins(),
  // requested_fine_until(), fine_bins()) is this binning again (files store these).
  int requested_bins() const { return requested_bins_; }
  double requested_fine_until() const { return requested_fine_until_; }
  // A text form for checkpoints and provenance (given edges: their count, range, narrowest
  // bin and a 64-bit hash of their bits, so that different edges never share an identity).
  std::string describe() const;

 private:
  int given_index(double value) const {
    const int cell = std::min(static_cast<int>((value - lo_) * cell_inverse_width_), cells_ - 1);
    int a = cell_first_[cell], b = cell_first_[cell + 1];  // the bin holds value in [a, b]
    while (a < b) {  // the last bin a..b whose lower edge is <= value
      const int m = (a + b + 1) / 2;
      if (given_[m] <= value) a = m;
      else b = m - 1;
    }
    return a;
  }
  double lo_, hi_, fine_until_;
  int fine_bins_, coarse_bins_;
  int requested_bins_;
  double requested_fine_until_;
  double fine_inverse_width_, coarse_inverse_width_;
  std::vector<double> given_;        // the edges (empty: uniform kind)
  std::vector<int> cell_first_;      // bin of each cell's lower end; cells_ + 1 entries
  int cells_ = 0;
  double cell_inverse_width_ = 0.0;
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

// A flat-histogram sampler's ln g estimates the mass of each bin, ln(g_b width_b) + const; this
// turns it into the density ln g_b by subtracting ln width_b. Nothing to do (and nothing done, so
// that uniform results stay bit for bit what they were) when every bin has the same width.
void mass_to_density(std::vector<double>& ln_g, const std::vector<std::uint8_t>& known, const LossBinning& binning);

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

namespace xorscape::entropy {
// ---------------------------------------------------------------- agreement of two estimates
// The bins two binnings share: their common edges (equal within 1e-9 of the range) bound common
// bins, each a union of consecutive bins of either binning. Common bin i is bins
// [first_a[i], first_a[i + 1]) of a and [first_b[i], first_b[i + 1]) of b.
struct CommonBins {
  std::vector<double> edges;
  std::vector<int> first_a, first_b;
  int bins() const { return static_cast<int>(edges.size()) - 1; }
};
CommonBins common_bins(const LossBinning& a, const LossBinning& b);

// ln of the mean density over bins [from, to): ln(sum_b g_b width_b / sum_b width_b), in ln space;
// NaN when one of the bins is not known.
double merged_ln_density(const std::vector<double>& ln_g, const std::vector<std::uint8_t>& known,
                         const LossBinning& binning, int from, int to);

// chi2 = sum_i (residual_i / sigma_i)^2 over the n bins, dof = n (nothing is fitted: both curves
// carry the same absolute normalisation), and the fraction of bins with |residual| < 2 sigma.
struct AgreementStatistics {
  int bins = 0;
  double chi2 = 0.0, chi2_per_dof = 0.0, within_two_sigma = 0.0, mean_residual = 0.0;
};
// Throws std::invalid_argument for unequal lengths, no bins or a sigma that is not above 0.
AgreementStatistics agreement_statistics(const std::vector<double>& residual, const std::vector<double>& sigma);
}  // namespace xorscape::entropy

namespace xorscape::entropy {
// Edges that split bin b of `binning` into m_b equal parts, m_b = min(max_split, ceil(slope_b /
// increment)) >= 1, where slope_b = |ln g_{b+1} - ln g_{b-1}| / 2 (one-sided at the ends of the
// known range; unknown bins are not split): finer bins where ln g changes fastest, so that ln g
// changes by about `increment` or less from bin to bin (xorscape-wanglandau --bins-from pilot).
std::vector<double> refined_edges(const std::vector<double>& ln_g, const std::vector<std::uint8_t>& known,
                                  const LossBinning& binning, double increment, int max_split);
}  // namespace xorscape::entropy
