#include "xorscape/entropy/wanglandau_job.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "xorscape/core/stopwatch.hpp"

namespace xorscape::entropy {

WangLandauSummary summarise(const NetworkSampler& sampler, double smoothing) {
  WangLandauSummary s;
  const int K = sampler.spec().runs;
  s.production = sampler.spec().production_steps > 0;
  s.smoothing = smoothing;
  for (int r = 0; r < K; ++r) s.runs.push_back(sampler.result(r));
  // One loss axis for both estimates: the bins every run's Wang-Landau and production estimate know.
  std::vector<std::vector<double>> all;
  std::vector<std::vector<std::uint8_t>> known;
  for (const RunResult& r : s.runs) {
    all.push_back(r.ln_g_wang_landau);
    known.push_back(r.known_wang_landau);
  }
  if (s.production)
    for (const RunResult& r : s.runs) {
      all.push_back(r.ln_g_production);
      known.push_back(r.known_production);
    }
  s.combined = combine_estimates(all, known, sampler.binning());
  s.wang_landau = mean_and_spread(s.combined.each, 0, static_cast<std::size_t>(K));
  if (s.production) s.refined = mean_and_spread(s.combined.each, static_cast<std::size_t>(K), static_cast<std::size_t>(K));
  if (s.combined.loss.size() >= 7) {
    s.analysed = true;
    s.derivatives = smoothed_derivatives(s.combined.loss, s.estimate().mean, smoothing);
    s.features = features(s.combined.loss, s.derivatives);
  }
  for (const RunResult& r : s.runs) {
    s.converged = s.converged && r.converged;
    s.lowest_loss = std::min(s.lowest_loss, r.min_energy);
    s.highest_loss = std::max(s.highest_loss, r.max_energy);
  }
  return s;
}

Comparison compare_with_simple_sampling(const WangLandauSummary& summary, const LossBinning& binning,
                                        const SimpleSamplingReference& reference, double ln_volume,
                                        double precision_cut) {
  const int K = static_cast<int>(summary.runs.size());
  if (K < 2) throw std::runtime_error("a comparison needs at least 2 runs for the Wang-Landau error bar");
  const CommonBins common = common_bins(binning, reference.binning);
  Comparison c;
  c.precision_cut = precision_cut;
  c.common_bins = common.bins();
  for (int i = 0; i < common.bins(); ++i) {
    double count = 0.0;
    for (int b = common.first_b[i]; b < common.first_b[i + 1]; ++b) count += reference.counts[b];
    if (count <= 0.0) continue;
    const double width = common.edges[i + 1] - common.edges[i], p = count / reference.samples;
    const double simple_error = std::sqrt((1.0 - p) / count);
    if (!(simple_error <= precision_cut)) continue;
    std::vector<double> each;
    for (const RunResult& r : summary.runs) {
      const auto& ln_g = summary.production ? r.ln_g_production : r.ln_g_wang_landau;
      const auto& known = summary.production ? r.known_production : r.known_wang_landau;
      each.push_back(merged_ln_density(ln_g, known, binning, common.first_a[i], common.first_a[i + 1]));
    }
    if (std::any_of(each.begin(), each.end(), [](double v) { return std::isnan(v); })) continue;
    double mean = 0.0, square = 0.0;
    for (double v : each) mean += v / K;
    for (double v : each) square += (v - mean) * (v - mean);
    c.lower.push_back(common.edges[i]);
    c.upper.push_back(common.edges[i + 1]);
    c.loss.push_back(0.5 * (common.edges[i] + common.edges[i + 1]));
    c.wang_landau.push_back(mean);
    c.wang_landau_bin_error.push_back(std::sqrt(square / (K - 1) / K));
    c.simple.push_back(std::log(p / width) + ln_volume);
    c.simple_error.push_back(simple_error);
    c.residual.push_back(mean - c.simple.back());
  }
  if (c.loss.empty()) throw std::runtime_error("no common bin where both estimates are precise");
  c.pooling = kComparisonPooling;
  const int n = static_cast<int>(c.loss.size());
  for (int i = 0; i < n; ++i) {
    const int from = std::max(0, i - c.pooling), to = std::min(n, i + c.pooling + 1);
    double variance = 0.0;
    for (int j = from; j < to; ++j) variance += c.wang_landau_bin_error[j] * c.wang_landau_bin_error[j] / (to - from);
    c.wang_landau_error.push_back(std::sqrt(variance));
    c.sigma.push_back(std::hypot(c.wang_landau_error.back(), c.simple_error[i]));
  }
  c.statistics = agreement_statistics(c.residual, c.sigma);
  return c;
}

WangLandauJob::WangLandauJob(EntropyProblem problem, WangLandauSpec spec, double smoothing)
    : problem_(std::move(problem)), smoothing_(smoothing),
      sampler_(XorNetworkModel(problem_.loss, problem_.box), problem_.binning, spec, problem_.box.ln_volume()) {}

std::string WangLandauJob::identity() const {
  std::ostringstream id;
  id.precision(17);
  id << "xorscape-wanglandau " << problem_.identity << "; " << sampler_.spec().describe() << "; smoothing "
     << smoothing_;
  return id.str();
}

void WangLandauJob::advance(const RunControl& control) {
  const auto start = SteadyClock::now();
  sampler_.advance(control);
  seconds_ += seconds_since(start);
}

void WangLandauJob::save(const h5::Group& group) const {
  group.set_attribute("seconds", seconds_);
  sampler_.save(group.create_group("sampler"));
}

void WangLandauJob::load(const h5::Group& group) {
  sampler_.load(group.open_group("sampler"));
  seconds_ = group.attribute_double("seconds");
}

namespace {

XorNetworkModel benchmark_model(int n_hidden) {
  const XorLoss loss(Architecture{n_hidden, Activation::sigmoid, Activation::sigmoid}, dataset_by_name("xor"));
  return XorNetworkModel(loss, symmetric_box(loss.dimension(), 10.0));
}

}  // namespace

StepRates wang_landau_step_rates(int n_hidden, std::int64_t steps) {
  const LossBinning binning(0.0, 1.0, 1000);
  const WangLandauSpec spec;
  auto walker = standalone_walker(benchmark_model(n_hidden), binning, 1, 1e-3);
  advance_walker(walker, binning, spec, 1000000);  // warm-up: step sizes adapt, bins fill
  const double cpu0 = thread_cpu_seconds();
  const auto start = SteadyClock::now();
  advance_walker(walker, binning, spec, steps);
  const double wall = seconds_since(start), cpu = thread_cpu_seconds() - cpu0;
  return StepRates{static_cast<double>(steps) / cpu, static_cast<double>(steps) / wall};
}

double two_walker_rate(int threads, std::int64_t steps) {
  const LossBinning binning(0.0, 1.0, 1000);
  const WangLandauSpec spec;
  std::vector<Walker<XorNetworkModel>> walkers;
  for (int j = 0; j < 2; ++j) walkers.push_back(standalone_walker(benchmark_model(2), binning, 10 + j, 1e-3));
  const auto start = SteadyClock::now();
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (int j = 0; j < 2; ++j) advance_walker(walkers[j], binning, spec, steps / 2);
  return static_cast<double>(steps) / seconds_since(start);
}

}  // namespace xorscape::entropy
