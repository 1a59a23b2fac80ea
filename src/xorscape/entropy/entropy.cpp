#include "xorscape/entropy/entropy.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "xorscape/core/rng.hpp"

namespace xorscape::entropy {

LossBinning::LossBinning(double lo, double hi, int bins, double fine_until, int fine_bins)
    : lo_(lo), hi_(hi), fine_until_(lo), fine_bins_(0), coarse_bins_(bins), requested_bins_(bins),
      requested_fine_until_(fine_until) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi)) throw std::invalid_argument("loss range is empty");
  if (bins < 1) throw std::invalid_argument("need at least one bin");
  if (fine_bins > 0 && fine_until > lo) {
    if (!(fine_until < hi)) throw std::invalid_argument("the fine region must end below the top of the range");
    // The coarse bins keep their width; those below fine_until are replaced by fine ones.
    const double coarse_width = (hi - lo) / bins;
    const int replaced = static_cast<int>(std::round((fine_until - lo) / coarse_width));
    if (replaced < 1 || replaced >= bins)
      throw std::invalid_argument("the fine region must cover at least one and not all coarse bins");
    fine_until_ = lo + replaced * coarse_width;
    fine_bins_ = fine_bins;
    coarse_bins_ = bins - replaced;
  }
  fine_inverse_width_ = fine_bins_ > 0 ? fine_bins_ / (fine_until_ - lo_) : 0.0;
  coarse_inverse_width_ = coarse_bins_ / (hi_ - fine_until_);
}

LossBinning::LossBinning(std::vector<double> edges)
    : lo_(edges.empty() ? 0.0 : edges.front()), hi_(edges.empty() ? 0.0 : edges.back()), fine_until_(lo_),
      fine_bins_(0), coarse_bins_(static_cast<int>(edges.size()) - 1), requested_bins_(coarse_bins_),
      requested_fine_until_(0.0), fine_inverse_width_(0.0), coarse_inverse_width_(0.0) {
  if (edges.size() < 2) throw std::invalid_argument("need at least two bin edges");
  if (edges.size() > static_cast<std::size_t>(std::numeric_limits<int>::max() / 4))
    throw std::invalid_argument("too many bin edges");
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (!std::isfinite(edges[i])) throw std::invalid_argument("bin edge " + std::to_string(i) + " is not finite");
    if (i > 0 && !(edges[i] > edges[i - 1]))
      throw std::invalid_argument("bin edges must increase strictly (edge " + std::to_string(i) + ")");
  }
  given_ = std::move(edges);
  const int B = coarse_bins_;
  cells_ = 4 * B;
  cell_inverse_width_ = cells_ / (hi_ - lo_);
  // cell_first_[c]: how many inner edges lie in cells below c. The cell of a value never
  // decreases with the value, so the bin of any value in cell c lies in [cell_first_[c], cell_first_[c + 1]].
  cell_first_.assign(cells_ + 1, 0);
  for (int i = 1; i < B; ++i) {
    const int cell = std::min(static_cast<int>((given_[i] - lo_) * cell_inverse_width_), cells_ - 1);
    ++cell_first_[cell + 1];
  }
  for (int c = 1; c <= cells_; ++c) cell_first_[c] += cell_first_[c - 1];
}

double LossBinning::lower_edge(int bin) const {
  if (bin <= 0) return lo_;
  if (bin >= bins()) return hi_;
  if (!given_.empty()) return given_[bin];
  if (bin < fine_bins_) return lo_ + bin / fine_inverse_width_;
  return fine_until_ + (bin - fine_bins_) / coarse_inverse_width_;
}

std::vector<double> LossBinning::edges() const {
  std::vector<double> e(bins() + 1);
  for (int b = 0; b <= bins(); ++b) e[b] = lower_edge(b);
  return e;
}

std::vector<double> LossBinning::centres() const {
  std::vector<double> c(bins());
  for (int b = 0; b < bins(); ++b) c[b] = centre(b);
  return c;
}

std::string LossBinning::describe() const {
  std::ostringstream s;
  s.precision(17);
  s << "bins " << bins() << " over [" << lo_ << ", " << hi_ << "]";
  if (!given_.empty()) {
    std::uint64_t hash = 14695981039346656037ull;  // FNV-1a over the edges' bits
    double narrowest = hi_ - lo_;
    for (std::size_t i = 0; i < given_.size(); ++i) {
      std::uint64_t bits = 0;
      std::memcpy(&bits, &given_[i], sizeof bits);
      for (int k = 0; k < 8; ++k) hash = (hash ^ ((bits >> (8 * k)) & 0xff)) * 1099511628211ull;
      if (i > 0) narrowest = std::min(narrowest, given_[i] - given_[i - 1]);
    }
    s << " at given edges (narrowest " << narrowest << ", hash " << std::hex << hash << std::dec << ")";
  }
  if (fine_bins_ > 0) s << ", " << fine_bins_ << " fine bins below " << fine_until_;
  return s.str();
}

double loss_upper_bound(const XorLoss& loss) {
  double out_lo = 0.0, out_hi = 1.0;
  switch (loss.architecture().output) {
    case Activation::sigmoid: break;
    case Activation::tanh: out_lo = -1.0; break;
    case Activation::relu:
    case Activation::identity:
      throw std::invalid_argument("the loss is unbounded for output activation " +
                                  to_string(loss.architecture().output));
  }
  if (loss.l2() != 0.0) throw std::invalid_argument("a regularised loss has no fixed upper bound");
  double sum = 0.0;
  for (const Example& e : loss.dataset().examples)
    sum += std::max((out_lo - e.target) * (out_lo - e.target), (out_hi - e.target) * (out_hi - e.target));
  return loss.reduction() == Reduction::mean ? sum / 4.0 : sum;
}

double Box::ln_volume() const {
  double v = 0.0;
  for (int k = 0; k < dimension(); ++k) v += std::log(upper[k] - lower[k]);
  return v;
}

std::string Box::describe() const {
  std::ostringstream s;
  s.precision(17);
  for (int k = 0; k < dimension(); ++k) s << (k ? " " : "") << "[" << lower[k] << "," << upper[k] << "]";
  return s.str();
}

Box symmetric_box(int dimension, double half_width) {
  if (!(half_width > 0.0) || !std::isfinite(half_width)) throw std::invalid_argument("box half-width must be > 0");
  return Box{std::vector<double>(dimension, -half_width), std::vector<double>(dimension, half_width)};
}

void check_box(const Box& box) {
  if (box.lower.size() != box.upper.size() || box.lower.empty()) throw std::invalid_argument("the box has no dimensions");
  for (int k = 0; k < box.dimension(); ++k) {
    const double width = box.upper[k] - box.lower[k];
    if (!std::isfinite(width) || !(width > 0.0))
      throw std::invalid_argument("the width of coordinate " + std::to_string(k) + " is not a finite positive number");
  }
  if (!std::isfinite(box.ln_volume())) throw std::invalid_argument("the box's ln volume is not finite");
}

void mass_to_density(std::vector<double>& ln_g, const std::vector<std::uint8_t>& known, const LossBinning& binning) {
  if (binning.uniform()) return;
  for (std::size_t b = 0; b < ln_g.size(); ++b)
    if (known[b]) ln_g[b] -= std::log(binning.width(static_cast<int>(b)));
}

void normalise_ln_g(std::vector<double>& ln_g, const std::vector<std::uint8_t>& known, const LossBinning& binning,
                    double ln_volume) {
  double top = -std::numeric_limits<double>::infinity();
  for (size_t b = 0; b < ln_g.size(); ++b)
    if (known[b]) top = std::max(top, ln_g[b] + std::log(binning.width(static_cast<int>(b))));
  if (!std::isfinite(top)) throw std::invalid_argument("no bin has a density to normalise");
  double sum = 0.0;
  for (size_t b = 0; b < ln_g.size(); ++b)
    if (known[b]) sum += std::exp(ln_g[b] + std::log(binning.width(static_cast<int>(b))) - top);
  const double shift = ln_volume - (top + std::log(sum));
  for (size_t b = 0; b < ln_g.size(); ++b)
    if (known[b]) ln_g[b] += shift;
}

SampledEntropy sampled_entropy(const std::vector<std::int64_t>& counts, std::int64_t samples, const LossBinning& binning,
                               double ln_volume) {
  SampledEntropy s;
  const double n = static_cast<double>(samples);
  for (int b = 0; b < binning.bins(); ++b) {
    const auto c = counts[b];
    if (c <= 0) continue;
    const double p = c / n;
    s.bin.push_back(b);
    s.loss.push_back(binning.centre(b));
    s.entropy.push_back(std::log(p / binning.width(b)) + ln_volume);
    s.error.push_back(std::sqrt((1.0 - p) / c));
  }
  return s;
}

std::vector<double> join_windows(const std::vector<int>& first, const std::vector<std::vector<double>>& ln_g,
                                 const std::vector<std::vector<std::uint8_t>>& known, int total_bins,
                                 std::vector<std::uint8_t>& known_out, std::vector<int>* join_bins) {
  const size_t W = first.size();
  std::vector<double> joined(total_bins, 0.0);
  known_out.assign(total_bins, 0);
  if (join_bins) join_bins->clear();
  auto has = [&](size_t w, int b) {
    const int i = b - first[w];
    return i >= 0 && i < static_cast<int>(ln_g[w].size()) && known[w][i];
  };
  auto value = [&](size_t w, int b) { return ln_g[w][b - first[w]]; };
  // Window 0 as it is; each next window shifted onto the curve built so far.
  double shift = 0.0;
  int from = 0;  // bins >= from are taken from the current window
  for (size_t w = 0; w < W; ++w) {
    int cut = total_bins;  // first bin taken from window w+1
    double next_shift = 0.0;
    if (w + 1 < W) {
      double best = std::numeric_limits<double>::infinity();
      const int lo = std::max(first[w + 1], from), hi = first[w] + static_cast<int>(ln_g[w].size()) - 1;
      for (int b = lo; b < hi; ++b) {
        if (!has(w, b) || !has(w, b + 1) || !has(w + 1, b) || !has(w + 1, b + 1)) continue;
        const double slope_here = value(w, b + 1) - value(w, b);
        const double slope_next = value(w + 1, b + 1) - value(w + 1, b);
        const double mismatch = std::abs(slope_here - slope_next);
        if (mismatch < best) {
          best = mismatch;
          cut = b;
        }
      }
      if (cut == total_bins) {
        // No two consecutive bins in common: fall back to any single common bin.
        for (int b = lo; b <= hi; ++b)
          if (has(w, b) && has(w + 1, b)) {
            cut = b;
            break;
          }
      }
      if (cut == total_bins) throw std::runtime_error("windows " + std::to_string(w) + " and " +
                                                      std::to_string(w + 1) + " share no visited bin");
      next_shift = shift + value(w, cut) - value(w + 1, cut);
      if (join_bins) join_bins->push_back(cut);
    }
    for (int b = from; b < cut; ++b)
      if (has(w, b)) {
        joined[b] = value(w, b) + shift;
        known_out[b] = 1;
      }
    from = cut;
    shift = next_shift;
  }
  return joined;
}

Derivatives smoothed_derivatives(const std::vector<double>& loss, const std::vector<double>& entropy,
                                 double half_width) {
  const int n = static_cast<int>(loss.size());
  constexpr int degree = 4;
  constexpr int needed = degree + 3;
  Derivatives d;
  d.entropy.assign(n, 0.0);
  d.beta.assign(n, 0.0);
  d.gamma.assign(n, 0.0);
  d.dgamma.assign(n, 0.0);
  if (n < needed) throw std::invalid_argument("need at least " + std::to_string(needed) + " bins to smooth");
  for (int i = 0; i < n; ++i) {
    int lo = i, hi = i;
    while (lo > 0 && loss[i] - loss[lo - 1] <= half_width) --lo;
    while (hi < n - 1 && loss[hi + 1] - loss[i] <= half_width) ++hi;
    while (hi - lo + 1 < needed) {  // too few bins: widen towards the side that has more
      if (lo > 0 && (hi == n - 1 || loss[i] - loss[lo - 1] <= loss[hi + 1] - loss[i])) --lo;
      else ++hi;
    }
    double scale = std::max(loss[i] - loss[lo], loss[hi] - loss[i]);
    Eigen::MatrixXd A(hi - lo + 1, degree + 1);
    Eigen::VectorXd y(hi - lo + 1);
    for (int j = lo; j <= hi; ++j) {
      const double t = (loss[j] - loss[i]) / scale;
      double power = 1.0;
      for (int p = 0; p <= degree; ++p, power *= t) A(j - lo, p) = power;
      y(j - lo) = entropy[j];
    }
    const Eigen::VectorXd c = A.colPivHouseholderQr().solve(y);
    d.entropy[i] = c(0);
    d.beta[i] = c(1) / scale;
    d.gamma[i] = 2.0 * c(2) / (scale * scale);
    d.dgamma[i] = 6.0 * c(3) / (scale * scale * scale);
  }
  return d;
}

std::vector<Feature> features(const std::vector<double>& loss, const Derivatives& d) {
  std::vector<Feature> out;
  auto scan = [&](const std::vector<double>& derivative, const std::vector<double>& curve, const char* maximum,
                  const char* minimum) {
    for (size_t i = 0; i + 1 < loss.size(); ++i) {
      const double a = derivative[i], b = derivative[i + 1];
      if (!((a > 0 && b <= 0) || (a < 0 && b >= 0))) continue;
      if (b == 0 && i + 2 < loss.size() && (derivative[i + 2] > 0) == (a > 0)) continue;  // touches zero only
      const double t = a / (a - b);
      out.push_back(Feature{loss[i] + t * (loss[i + 1] - loss[i]), a > 0 ? maximum : minimum,
                            curve[i] + t * (curve[i + 1] - curve[i])});
    }
  };
  scan(d.beta, d.entropy, "S_maximum", "S_minimum");
  scan(d.gamma, d.beta, "beta_maximum", "beta_minimum");
  scan(d.dgamma, d.gamma, "gamma_maximum", "gamma_minimum");
  std::stable_sort(out.begin(), out.end(), [](const Feature& x, const Feature& y) { return x.loss < y.loss; });
  return out;
}

}  // namespace xorscape::entropy

namespace xorscape::entropy {

Box parse_box(const std::string& text, const ParameterLayout& layout, double default_half_width) {
  std::vector<double> half(layout.dimension(), default_half_width);
  auto number = [&](const std::string& s) {
    size_t used = 0;
    double v = 0.0;
    try {
      v = std::stod(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != s.size() || s.empty() || !std::isfinite(v) || v <= 0.0)
      throw std::invalid_argument("'" + s + "' is not a half-width above 0");
    if (!std::isfinite(2.0 * v)) throw std::invalid_argument("the box width 2 x " + s + " overflows");
    return v;
  };
  std::stringstream in(text);
  std::string item;
  bool first = true, any = false;
  while (std::getline(in, item, ',')) {
    any = true;
    const size_t eq = item.find('=');
    if (eq == std::string::npos) {
      if (!first) throw std::invalid_argument("only the first item may be a plain half-width ('" + item + "')");
      std::fill(half.begin(), half.end(), number(item));
    } else {
      const std::string name = item.substr(0, eq);
      const double v = number(item.substr(eq + 1));
      const int n = layout.n_hidden();
      if (name == "w1") {
        for (int i = 0; i < n; ++i) half[layout.w1(i, 0)] = half[layout.w1(i, 1)] = v;
      } else if (name == "b1") {
        for (int i = 0; i < n; ++i) half[layout.b1(i)] = v;
      } else if (name == "w2") {
        for (int i = 0; i < n; ++i) half[layout.w2(i)] = v;
      } else if (name == "b2") {
        half[layout.b2()] = v;
      } else {
        half[layout.index(name)] = v;  // throws naming the unknown parameter
      }
    }
    first = false;
  }
  if (!any) throw std::invalid_argument("needs a half-width R or overrides like w2=20");
  Box box;
  for (double h : half) {
    box.lower.push_back(-h);
    box.upper.push_back(h);
  }
  return box;
}

}  // namespace xorscape::entropy

namespace xorscape::entropy {

CombinedEntropy combine_estimates(const std::vector<std::vector<double>>& ln_g,
                                  const std::vector<std::vector<std::uint8_t>>& known, const LossBinning& binning) {
  CombinedEntropy c;
  const int K = static_cast<int>(ln_g.size());
  if (K == 0) throw std::invalid_argument("no estimates to combine");
  int lo = 0, hi = binning.bins() - 1;
  for (int k = 0; k < K; ++k) {
    int first = -1, last = -1;
    for (int b = 0; b < binning.bins(); ++b)
      if (known[k][b]) {
        if (first < 0) first = b;
        last = b;
      }
    if (first < 0) throw std::invalid_argument("an estimate knows no bin");
    lo = std::max(lo, first);
    hi = std::min(hi, last);
  }
  if (lo > hi) throw std::runtime_error("the estimates share no range of bins");
  c.first_bin = lo;
  c.last_bin = hi;
  const int n = hi - lo + 1;
  for (int b = lo; b <= hi; ++b) c.loss.push_back(binning.centre(b));
  for (int k = 0; k < K; ++k) {
    std::vector<double> v(n);
    for (int i = 0; i < n; ++i) {
      const int b = lo + i;
      if (known[k][b]) {
        v[i] = ln_g[k][b];
        continue;
      }
      int left = b - 1, right = b + 1;
      while (!known[k][left]) --left;  // lo and hi are known, so both searches end inside the span
      while (!known[k][right]) ++right;
      const double t = (binning.centre(b) - binning.centre(left)) / (binning.centre(right) - binning.centre(left));
      v[i] = ln_g[k][left] + t * (ln_g[k][right] - ln_g[k][left]);
      ++c.interpolated;
    }
    c.each.push_back(std::move(v));
  }
  MeanAndSpread m = mean_and_spread(c.each, 0, static_cast<std::size_t>(K));
  c.mean = std::move(m.mean);
  c.spread = std::move(m.spread);
  return c;
}

MeanAndSpread mean_and_spread(const std::vector<std::vector<double>>& rows, std::size_t from, std::size_t count) {
  if (count == 0 || from + count > rows.size()) throw std::invalid_argument("no rows to average");
  const std::size_t n = rows[from].size();
  MeanAndSpread m{std::vector<double>(n, 0.0), std::vector<double>(n, 0.0)};
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < count; ++k) m.mean[i] += rows[from + k][i] / count;
    if (count > 1) {
      double s = 0.0;
      for (std::size_t k = 0; k < count; ++k)
        s += (rows[from + k][i] - m.mean[i]) * (rows[from + k][i] - m.mean[i]);
      m.spread[i] = std::sqrt(s / (count - 1));
    }
  }
  return m;
}

}  // namespace xorscape::entropy

namespace xorscape::entropy {

EntropyProblem make_problem(XorLoss loss, Box box, LossBinning binning) {
  check_box(box);
  if (box.dimension() != loss.dimension()) throw std::invalid_argument("box and network dimensions differ");
  if (binning.lo() != 0.0) throw std::invalid_argument("the loss binning must start at 0");
  std::ostringstream id;
  const Architecture& a = loss.architecture();
  id << "n_h " << a.n_hidden << " hidden " << to_string(a.hidden) << " output " << to_string(a.output) << " data "
     << loss.dataset().name << " box " << box.describe() << " " << binning.describe();
  const double top = binning.hi();
  return EntropyProblem{std::move(loss), std::move(box), binning, top, id.str()};
}

}  // namespace xorscape::entropy

namespace xorscape::entropy {

CommonBins common_bins(const LossBinning& a, const LossBinning& b) {
  const double tolerance = 1e-9 * std::max(a.hi() - a.lo(), b.hi() - b.lo());
  CommonBins c;
  int i = 0, j = 0;
  while (i <= a.bins() && j <= b.bins()) {
    const double ea = a.lower_edge(i), eb = b.lower_edge(j);
    if (std::abs(ea - eb) <= tolerance) {
      c.edges.push_back(ea);
      c.first_a.push_back(i++);
      c.first_b.push_back(j++);
    } else if (ea < eb) {
      ++i;
    } else {
      ++j;
    }
  }
  if (c.edges.size() < 2) {  // keep the shape: no common bin
    c.edges.clear();
    c.first_a.clear();
    c.first_b.clear();
  }
  return c;
}

double merged_ln_density(const std::vector<double>& ln_g, const std::vector<std::uint8_t>& known,
                         const LossBinning& binning, int from, int to) {
  double top = -std::numeric_limits<double>::infinity();
  for (int b = from; b < to; ++b) {
    if (!known[b]) return std::numeric_limits<double>::quiet_NaN();
    top = std::max(top, ln_g[b] + std::log(binning.width(b)));
  }
  double sum = 0.0;
  for (int b = from; b < to; ++b) sum += std::exp(ln_g[b] + std::log(binning.width(b)) - top);
  return top + std::log(sum) - std::log(binning.upper_edge(to - 1) - binning.lower_edge(from));
}

AgreementStatistics agreement_statistics(const std::vector<double>& residual, const std::vector<double>& sigma) {
  if (residual.size() != sigma.size()) throw std::invalid_argument("residuals and errors differ in number");
  if (residual.empty()) throw std::invalid_argument("no bins to compare");
  AgreementStatistics a;
  a.bins = static_cast<int>(residual.size());
  int within = 0;
  for (std::size_t i = 0; i < residual.size(); ++i) {
    if (!(sigma[i] > 0.0) || !std::isfinite(sigma[i])) throw std::invalid_argument("an error bar is not above 0");
    const double z = residual[i] / sigma[i];
    a.chi2 += z * z;
    within += std::abs(z) < 2.0;
    a.mean_residual += residual[i] / a.bins;
  }
  a.chi2_per_dof = a.chi2 / a.bins;
  a.within_two_sigma = static_cast<double>(within) / a.bins;
  return a;
}

}  // namespace xorscape::entropy

namespace xorscape::entropy {

std::vector<double> refined_edges(const std::vector<double>& ln_g, const std::vector<std::uint8_t>& known,
                                  const LossBinning& binning, double increment, int max_split) {
  if (!(increment > 0.0) || max_split < 1) throw std::invalid_argument("refinement needs increment > 0 and max_split >= 1");
  const int B = binning.bins();
  auto has = [&](int b) { return b >= 0 && b < B && known[b]; };
  std::vector<double> edges{binning.lo()};
  for (int b = 0; b < B; ++b) {
    int m = 1;
    if (has(b)) {
      const int left = has(b - 1) ? b - 1 : b, right = has(b + 1) ? b + 1 : b;
      if (right > left) {
        const double slope = std::abs(ln_g[right] - ln_g[left]) / (right - left);
        m = static_cast<int>(std::min<double>(max_split, std::max(1.0, std::ceil(slope / increment))));
      }
    }
    const double lo = binning.lower_edge(b), hi = binning.upper_edge(b);
    for (int k = 1; k < m; ++k) edges.push_back(lo + (hi - lo) * k / m);
    edges.push_back(hi);
  }
  return edges;
}

}  // namespace xorscape::entropy
