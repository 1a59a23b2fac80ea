// Density of loss: binning, normalisation, incremental model, Wang-Landau against exact and
// simple-sampling densities, determinism, checkpoints (stopped between and inside rounds, and
// simple sampling inside a segment), file round trips, and the inflection-point analysis.
#include <catch2/catch.hpp>
#include <omp.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "xorscape/core/rng.hpp"
#include "xorscape/entropy/entropy.hpp"
#include "xorscape/entropy/entropy_file.hpp"
#include "xorscape/entropy/models.hpp"
#include "xorscape/entropy/simple_sampling.hpp"
#include "xorscape/entropy/wanglandau.hpp"
#include "xorscape/entropy/wanglandau_job.hpp"
#include "test_support.hpp"

using namespace xorscape;
using namespace xorscape::entropy;

namespace {

XorLoss xor_loss(int n_hidden, Activation hidden = Activation::sigmoid, const char* data = "xor") {
  return XorLoss(Architecture{n_hidden, hidden, Activation::sigmoid}, dataset_by_name(data));
}

// Wang-Landau on E = |x|^2 in [-1,1]^d, joined and normalised to the cube's volume 2^d.
RunResult squared_norm_density(const LossBinning& binning, int windows, double ln_f_final, std::uint64_t seed,
                               std::int64_t production_steps = 0) {
  const int d = static_cast<int>(std::lround(binning.hi()));
  WangLandauSpec spec;
  spec.windows = windows;
  spec.ln_f_final = ln_f_final;
  spec.seed = seed;
  spec.round_steps = 20000;
  spec.check_interval = 2000;
  spec.production_steps = production_steps;
  ReplicaExchangeWangLandau<SquaredNormModel> sampler(SquaredNormModel(d), binning, spec, d * std::log(2.0));
  sampler.advance();
  REQUIRE(sampler.finished());
  return sampler.result(0);
}

std::filesystem::path scratch(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("xorscape-test-entropy-" + name + "-" + std::to_string(::getpid()) + ".h5");
}

// Saves a job (or sampler) into a fresh file and loads it into `into`: what a checkpoint does.
template <class From, class Into>
void round_trip(const From& from, Into& into, const std::string& name) {
  const auto path = scratch(name);
  {
    h5::OutputFile file(path, true);
    from.save(file.root().create_group("state"));
    file.commit();
  }
  {
    h5::InputFile file(path);
    into.load(file.root().open_group("state"));
  }
  std::filesystem::remove(path);
}

// A control whose deadline has passed: every advance() does the least it can (one poll interval
// of each walker, or the blocks each thread has started) and returns.
struct StopAtOnce {
  RunControl control;
  StopAtOnce() { control.set_deadline(RunControl::Clock::now()); }
};

}  // namespace

TEST_CASE("loss binning puts every value of the range into the bin whose edges enclose it") {
  const LossBinning uniform(0.0, 1.0, 1000);
  CHECK(uniform.bins() == 1000);
  CHECK(uniform.index(0.0) == 0);
  CHECK(uniform.index(1.0) == 999);
  CHECK(uniform.index(0.2505) == 250);
  CHECK(uniform.index(-1e-12) == -1);
  CHECK(uniform.index(1.0 + 1e-12) == -1);
  CHECK(uniform.index(std::nan("")) == -1);
  const LossBinning fine(0.0, 1.0, 100, 0.05, 50);  // 5 coarse bins below 0.05 become 50 fine ones
  CHECK(fine.bins() == 145);
  CHECK(fine.width(0) == Approx(0.001).epsilon(1e-12));
  CHECK(fine.width(144) == Approx(0.01).epsilon(1e-12));
  RandomStream rng(3);
  for (int t = 0; t < 10000; ++t) {
    const double v = rng.uniform();
    const int b = fine.index(v);
    REQUIRE(b >= 0);
    CHECK(fine.lower_edge(b) <= v);
    CHECK(v < fine.upper_edge(b) + 1e-15);
  }
}

TEST_CASE("loss binning over given edges finds the bin of every value, also where bins are a million times finer") {
  // Uniform 0.01 bins with the two around 0.5 split geometrically down to widths of 1e-8.
  std::vector<double> edges;
  for (int k = 0; k <= 49; ++k) edges.push_back(k / 100.0);
  for (int k = 1; k <= 20; ++k) edges.push_back(0.5 - 0.01 * std::pow(0.5, k));
  edges.push_back(0.5);
  for (int k = 20; k >= 1; --k) edges.push_back(0.5 + 0.01 * std::pow(0.5, k));
  for (int k = 51; k <= 100; ++k) edges.push_back(k / 100.0);
  const LossBinning binning(edges);
  REQUIRE(binning.given_edges());
  CHECK_FALSE(binning.uniform());
  CHECK(binning.bins() == static_cast<int>(edges.size()) - 1);
  CHECK(binning.edges() == edges);
  CHECK(binning.index(0.0) == 0);
  CHECK(binning.index(1.0) == binning.bins() - 1);
  CHECK(binning.index(0.5) == 70);
  CHECK(binning.index(-1e-12) == -1);
  CHECK(binning.index(1.0 + 1e-12) == -1);
  CHECK(binning.index(std::nan("")) == -1);
  auto by_search = [&](double v) {  // the last edge at or below v
    return static_cast<int>(std::upper_bound(edges.begin(), edges.end() - 1, v) - edges.begin()) - 1;
  };
  RandomStream rng(4);
  int wrong = 0;
  for (int t = 0; t < 100000; ++t) {
    const double v = t % 2 ? rng.uniform() : 0.5 + 0.02 * (rng.uniform() - 0.5) * std::pow(1e-3, rng.uniform());
    wrong += binning.index(v) != by_search(v);
  }
  for (double e : edges) wrong += binning.index(e) != std::min(by_search(e), binning.bins() - 1);
  CHECK(wrong == 0);
  std::vector<double> moved = edges;
  moved[60] = std::nextafter(moved[60], 1.0);
  CHECK(LossBinning(moved).describe() != binning.describe());
  CHECK(LossBinning(0.0, 1.0, 100).uniform());
  CHECK_FALSE(LossBinning(0.0, 1.0, 100, 0.05, 10).uniform());
  CHECK_THROWS_AS(LossBinning(std::vector<double>{0.0}), std::invalid_argument);
  CHECK_THROWS_AS(LossBinning(std::vector<double>{0.0, 0.5, 0.5, 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(LossBinning(std::vector<double>{0.0, std::nan(""), 1.0}), std::invalid_argument);
}

TEST_CASE("common bins of two binnings merge densities exactly") {
  const LossBinning coarse(0.0, 1.0, 4);
  const LossBinning fine(std::vector<double>{0.0, 0.1, 0.25, 0.5, 0.6, 0.7, 0.8, 1.0});
  const CommonBins c = common_bins(fine, coarse);
  REQUIRE(c.bins() == 3);  // [0, 0.25), [0.25, 0.5), [0.5, 1]: 0.75 is no edge of `fine`
  CHECK(c.first_a == std::vector<int>{0, 2, 3, 7});
  CHECK(c.first_b == std::vector<int>{0, 1, 2, 4});
  // Density 2 on [0, 0.1) and 4 on [0.1, 0.25): mean density (0.2 + 0.6) / 0.25 = 3.2.
  const std::vector<double> ln_g{std::log(2.0), std::log(4.0), 0.0, 1.0, 1.0, 1.0, 1.0};
  std::vector<std::uint8_t> known(7, 1);
  CHECK(merged_ln_density(ln_g, known, fine, 0, 2) == Approx(std::log(3.2)).epsilon(1e-14));
  CHECK(merged_ln_density(ln_g, known, fine, 3, 7) == Approx(1.0).epsilon(1e-14));
  known[4] = 0;
  CHECK(std::isnan(merged_ln_density(ln_g, known, fine, 3, 7)));
}

TEST_CASE("pilot refinement splits bins where ln g changes fastest, by at most the cap") {
  const LossBinning binning(0.0, 1.0, 10);
  // ln g rises by 0.1 per bin over bins 0..4 and by 1.0 per bin over 5..9; bin 7 unknown.
  std::vector<double> ln_g(10);
  for (int b = 0; b < 10; ++b) ln_g[b] = b < 5 ? 0.1 * b : 0.4 + 1.0 * (b - 4);
  std::vector<std::uint8_t> known(10, 1);
  known[7] = 0;
  const std::vector<double> edges = refined_edges(ln_g, known, binning, 0.25, 3);
  // splits: bins 0-3: 1; bin 4: slope (1.4 - 0.3)/2 = 0.55 -> 3; bin 5, 9: 1.0 -> 3 (capped from 4);
  // bin 6: one-sided (7 unknown) 1.0 -> 3; bin 7: unknown -> 1; bin 8: one-sided 1.0 -> 3.
  const LossBinning refined(edges);
  CHECK(refined.bins() == 4 + 3 + 3 + 3 + 1 + 3 + 3);
  CHECK(edges.front() == 0.0);
  CHECK(edges.back() == 1.0);
  CHECK(refined.width(0) == Approx(0.1).epsilon(1e-12));
  CHECK(refined.width(4) == Approx(0.1 / 3).epsilon(1e-12));
  CHECK(refined.index(0.75) == 4 + 3 + 3 + 3);  // bin 7 stays whole
  CHECK(refined_edges(ln_g, known, binning, 10.0, 16) == binning.edges());
}

TEST_CASE("the agreement statistic: chi2/dof and the fraction within 2 sigma of known residuals") {
  const std::vector<double> sigma{0.1, 0.2, 0.5, 1.0};
  const std::vector<double> residual{0.1, -0.6, 0.5, 2.5};  // z = 1, -3, 1, 2.5
  const AgreementStatistics a = agreement_statistics(residual, sigma);
  CHECK(a.bins == 4);
  CHECK(a.chi2 == Approx(1.0 + 9.0 + 1.0 + 6.25).epsilon(1e-14));
  CHECK(a.chi2_per_dof == Approx(17.25 / 4).epsilon(1e-14));
  CHECK(a.within_two_sigma == 0.5);
  CHECK(a.mean_residual == Approx(2.5 / 4).epsilon(1e-14));
  // Gaussian residuals with their true sigma: chi2/dof within 4 standard deviations sqrt(2/n) of 1,
  // and 95.45 % within 2 sigma up to 4 binomial standard errors.
  RandomStream rng(12);
  const int n = 20000;
  std::vector<double> r(n), s(n);
  for (int i = 0; i < n; ++i) {
    s[i] = 0.01 + rng.uniform();
    const double u1 = 1.0 - rng.uniform(), u2 = rng.uniform();
    r[i] = s[i] * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }
  const AgreementStatistics g = agreement_statistics(r, s);
  CHECK(std::abs(g.chi2_per_dof - 1.0) < 4.0 * std::sqrt(2.0 / n));
  CHECK(std::abs(g.within_two_sigma - 0.9545) < 4.0 * std::sqrt(0.9545 * 0.0455 / n));
  CHECK_THROWS_AS(agreement_statistics({1.0}, {0.0}), std::invalid_argument);
  CHECK_THROWS_AS(agreement_statistics({}, {}), std::invalid_argument);
}

TEST_CASE("normalised density integrates to the box volume") {
  const LossBinning binning(0.0, 1.0, 10, 0.2, 8);
  std::vector<double> ln_g(binning.bins());
  std::vector<std::uint8_t> known(binning.bins(), 1);
  known[3] = 0;
  for (int b = 0; b < binning.bins(); ++b) ln_g[b] = 500.0 * std::sin(b);  // a huge dynamic range
  normalise_ln_g(ln_g, known, binning, 30.0);
  double top = -1e300;
  for (int b = 0; b < binning.bins(); ++b)
    if (known[b]) top = std::max(top, ln_g[b] + std::log(binning.width(b)));
  double sum = 0.0;
  for (int b = 0; b < binning.bins(); ++b)
    if (known[b]) sum += std::exp(ln_g[b] + std::log(binning.width(b)) - top);
  CHECK(top + std::log(sum) == Approx(30.0).margin(1e-12));
}

TEST_CASE("incremental one-parameter loss update equals full recomputation") {
  for (const char* data : {"xor", "xor-centered"})
    for (Activation hidden : {Activation::sigmoid, Activation::tanh, Activation::relu})
      for (int n : {1, 2, 5, 18}) {
        const XorLoss loss = xor_loss(n, hidden, data);
        const Box box = symmetric_box(loss.dimension(), 8.0);
        XorNetworkModel model(loss, box);
        RandomStream rng(11, {static_cast<std::uint64_t>(n)});
        std::vector<double> x(loss.dimension());
        for (double& v : x) v = rng.uniform(-8.0, 8.0);
        CHECK(model.set_state(x) == loss.value(x));
        double worst = 0.0;
        for (int step = 0; step < 20000; ++step) {
          const int k = static_cast<int>(rng.below(loss.dimension()));
          const double value = rng.uniform(-8.0, 8.0);
          std::vector<double> moved = model.state();
          moved[k] = value;
          const double predicted = model.propose(k, value);
          worst = std::max(worst, std::abs(predicted - loss.value(moved)));
          if (rng.uniform() < 0.5) model.accept();
        }
        INFO("data " << data << ", activation " << to_string(hidden) << ", n_h " << n);
        CHECK(worst < 1e-12);
        CHECK(std::abs(model.energy() - loss.value(model.state())) < 1e-12);
      }
}

TEST_CASE("Wang-Landau and its production run reproduce the exact density of states of |x|^2 in a 3-cube") {
  // d = 3, 60 bins over [0, 3]; the exact ln g is known for E <= 1 (the ball inside the cube),
  // compared as the exact mean density of each bin. Tolerances: 0.08 for Wang-Landau to
  // ln f = 1e-5 (its statistical error saturates there), 0.025 after 4e6 multicanonical steps.
  const int d = 3, bins = 60;
  const LossBinning binning(0.0, d, bins);
  const RunResult r = squared_norm_density(binning, 1, 1e-5, 5, 4000000);
  double worst_wl = 0.0, worst_prod = 0.0;
  for (int b = 0; b < bins && binning.upper_edge(b) <= 1.0 + 1e-12; ++b) {
    REQUIRE(r.known_wang_landau[b]);
    REQUIRE(r.known_production[b]);
    const double exact = SquaredNormModel::exact_ln_mean_density(d, binning.lower_edge(b), binning.upper_edge(b));
    worst_wl = std::max(worst_wl, std::abs(r.ln_g_wang_landau[b] - exact));
    worst_prod = std::max(worst_prod, std::abs(r.ln_g_production[b] - exact));
  }
  CHECK(worst_wl < 0.08);
  CHECK(worst_prod < 0.025);
}

TEST_CASE("replica-exchange windows with a production run reproduce the exact density of |x|^2") {
  // d = 4, 80 bins, 3 windows joined where their slopes agree; tolerances 0.1 (Wang-Landau to
  // ln f = 1e-5) and 0.04 (3e6 multicanonical steps per window).
  const int d = 4, bins = 80;
  const LossBinning binning(0.0, d, bins);
  const RunResult r = squared_norm_density(binning, 3, 1e-5, 9, 3000000);
  REQUIRE(r.window_first.size() == 3);
  REQUIRE(r.joins_wang_landau.size() == 2);
  double worst_wl = 0.0, worst_prod = 0.0;
  for (int b = 0; b < bins && binning.upper_edge(b) <= 1.0 + 1e-12; ++b) {
    const double exact = SquaredNormModel::exact_ln_mean_density(d, binning.lower_edge(b), binning.upper_edge(b));
    worst_wl = std::max(worst_wl, std::abs(r.ln_g_wang_landau[b] - exact));
    REQUIRE(r.known_production[b]);
    worst_prod = std::max(worst_prod, std::abs(r.ln_g_production[b] - exact));
  }
  CHECK(worst_wl < 0.1);
  CHECK(worst_prod < 0.04);
}

TEST_CASE("Wang-Landau through non-uniform bins reproduces the exact density of |x|^2") {
  // d = 3; 20 bins over [0, 1] with edges (k/20)^1.5 (widths from 0.011 to 0.074), 20 uniform
  // bins over [1, 3]; two windows. The flat histogram estimates bin masses, so a density off by
  // ln(width ratio) = 1.9 would show here. Tolerances: 0.04 for the production estimate (as for
  // uniform bins); 0.25 for Wang-Landau to ln f = 1e-5, whose error is largest in the two lowest,
  // narrow bins (0.19 and 0.16 there with this seed, below 0.08 elsewhere).
  const int d = 3;
  std::vector<double> edges;
  for (int k = 0; k <= 20; ++k) edges.push_back(std::pow(k / 20.0, 1.5));
  for (int k = 1; k <= 20; ++k) edges.push_back(1.0 + k / 10.0);
  edges.back() = 3.0;
  const LossBinning binning(edges);
  const RunResult r = squared_norm_density(binning, 2, 1e-5, 6, 3000000);
  double worst_wl = 0.0, worst_prod = 0.0;
  for (int b = 0; b < binning.bins() && binning.upper_edge(b) <= 1.0 + 1e-12; ++b) {
    REQUIRE(r.known_wang_landau[b]);
    REQUIRE(r.known_production[b]);
    const double exact = SquaredNormModel::exact_ln_mean_density(d, binning.lower_edge(b), binning.upper_edge(b));
    worst_wl = std::max(worst_wl, std::abs(r.ln_g_wang_landau[b] - exact));
    worst_prod = std::max(worst_prod, std::abs(r.ln_g_production[b] - exact));
  }
  CHECK(worst_wl < 0.25);
  CHECK(worst_prod < 0.04);
}

TEST_CASE("joining windows removes each window's arbitrary offset") {
  // ln g = (b - 20)^2 / 40 seen through two windows with different constants.
  std::vector<double> a, b;
  for (int i = 0; i < 30; ++i) a.push_back((i - 20.0) * (i - 20.0) / 40.0 + 3.0);
  for (int i = 20; i < 50; ++i) b.push_back((i - 20.0) * (i - 20.0) / 40.0 - 7.5);
  std::vector<std::uint8_t> known;
  std::vector<int> joins;
  const auto joined = join_windows({0, 20}, {a, b}, {std::vector<std::uint8_t>(30, 1), std::vector<std::uint8_t>(30, 1)},
                                   50, known, &joins);
  REQUIRE(joins.size() == 1);
  for (int i = 0; i < 50; ++i) {
    REQUIRE(known[i]);
    CHECK(joined[i] == Approx((i - 20.0) * (i - 20.0) / 40.0 + 3.0).margin(1e-12));
  }
}

TEST_CASE("smoothed derivatives of a quartic are exact and its extrema and inflections are found") {
  std::vector<double> L, S;
  for (int i = 0; i < 200; ++i) {
    const double x = i / 199.0;
    L.push_back(x);
    S.push_back(-(x - 0.5) * (x - 0.5) + 0.3 * (x - 0.5) * (x - 0.5) * (x - 0.5) * (x - 0.5) * 20.0);
  }
  const Derivatives d = smoothed_derivatives(L, S, 0.05);
  for (size_t i = 0; i < L.size(); ++i) {
    const double t = L[i] - 0.5;
    CHECK(d.beta[i] == Approx(-2.0 * t + 24.0 * t * t * t).margin(1e-8));
    CHECK(d.gamma[i] == Approx(-2.0 + 72.0 * t * t).margin(1e-7));
  }
  // S = -t^2 + 6 t^4 (t = L - 0.5): maximum at t = 0, minima at t = +-1/sqrt(12); beta has its
  // maximum at t = -1/6 and minimum at t = +1/6 (inflections of S); gamma its minimum at t = 0.
  const auto f = features(L, d);
  auto near = [&](const std::string& kind, double where) {
    for (const auto& x : f)
      if (x.kind == kind && std::abs(x.loss - where) < 2e-3) return true;
    return false;
  };
  CHECK(near("S_maximum", 0.5));
  CHECK(near("S_minimum", 0.5 - 1.0 / std::sqrt(12.0)));
  CHECK(near("S_minimum", 0.5 + 1.0 / std::sqrt(12.0)));
  CHECK(near("beta_maximum", 0.5 - 1.0 / 6.0));
  CHECK(near("beta_minimum", 0.5 + 1.0 / 6.0));
  CHECK(near("gamma_minimum", 0.5));
}

TEST_CASE("simple sampling gives the same histogram at any thread count") {
  const XorLoss loss = xor_loss(2);
  const Box box = symmetric_box(9, 10.0);
  const LossBinning binning(0.0, 1.0, 100);
  SimpleSamplingSpec spec;
  spec.samples = 100000;
  spec.seed = 4;
  spec.block = 1000;
  omp_set_num_threads(1);
  const auto one = simple_sample(loss, box, binning, spec);
  omp_set_num_threads(2);
  const auto two = simple_sample(loss, box, binning, spec);
  CHECK(one.counts == two.counts);
  CHECK(one.min_loss == two.min_loss);
  CHECK(one.min_point == two.min_point);
  CHECK(one.samples == 100000);
  // The sampler evaluates through kernels::batch_loss, whose SIMD paths agree with the
  // scalar reference to 1e-12 relative (tests/test_slice_kernels.cpp), not bit for bit.
  CHECK(loss.value(one.min_point) == Approx(one.min_loss).epsilon(1e-12));
}

TEST_CASE("Wang-Landau gives identical results at one and two threads") {
  const XorLoss loss = xor_loss(2);
  const Box box = symmetric_box(9, 10.0);
  WangLandauSpec spec;
  spec.windows = 2;
  spec.runs = 2;
  spec.ln_f_final = 1e-2;
  spec.round_steps = 20000;
  spec.production_steps = 50000;
  spec.seed = 3;
  auto once = [&](int threads) {
    omp_set_num_threads(threads);
    ReplicaExchangeWangLandau<XorNetworkModel> s(XorNetworkModel(loss, box), LossBinning(0.0, 1.0, 50), spec,
                                                 box.ln_volume());
    s.advance();
    REQUIRE(s.finished());
    return std::make_pair(s.result(0), s.result(1));
  };
  const auto a = once(1), b = once(2);
  CHECK(a.first.ln_g_wang_landau == b.first.ln_g_wang_landau);
  CHECK(a.first.ln_g_production == b.first.ln_g_production);
  CHECK(a.second.ln_g_production == b.second.ln_g_production);
  CHECK(a.first.ln_g_production != a.second.ln_g_production);  // the runs are independent
}

TEST_CASE("a Wang-Landau run resumed from a checkpoint ends exactly where an uninterrupted run ends") {
  const XorLoss loss = xor_loss(2);
  const Box box = symmetric_box(9, 10.0);
  WangLandauSpec spec;
  spec.windows = 2;
  spec.ln_f_final = 1e-2;
  spec.round_steps = 10000;
  spec.production_steps = 30000;
  spec.seed = 8;
  // Uniform bins, and non-uniform ones (40 edges (k/40)^0.7, finest near L = 1).
  const bool given = GENERATE(false, true);
  std::vector<double> edges;
  for (int k = 0; k <= 40; ++k) edges.push_back(std::pow(k / 40.0, 0.7));
  const LossBinning binning = given ? LossBinning(edges) : LossBinning(0.0, 1.0, 40);
  INFO("given edges: " << given);
  using Sampler = ReplicaExchangeWangLandau<XorNetworkModel>;
  auto make = [&] { return Sampler(XorNetworkModel(loss, box), binning, spec, box.ln_volume()); };
  auto whole = make();
  whole.advance();
  REQUIRE(whole.finished());
  REQUIRE(whole.rounds() >= 4);
  auto same = [&](const Sampler& resumed) {
    CHECK(resumed.total_steps() == whole.total_steps());
    CHECK(resumed.rounds() == whole.rounds());
    CHECK(resumed.result(0).ln_g_wang_landau == whole.result(0).ln_g_wang_landau);
    CHECK(resumed.result(0).ln_g_production == whole.result(0).ln_g_production);
    CHECK(resumed.result(0).min_state == whole.result(0).min_state);
    CHECK(resumed.result(0).exchanges_accepted == whole.result(0).exchanges_accepted);
  };
  SECTION("stopped between rounds") {
    for (std::int64_t stop_after : {std::int64_t{1}, whole.rounds() / 2, whole.rounds() - 1}) {
      auto first = make();
      RunControl control([&](double, double) {
        if (first.rounds() >= stop_after) control.request_stop();
      });
      first.advance(control);
      REQUIRE_FALSE(first.finished());
      CHECK(first.rounds() == stop_after);
      auto second = make();
      round_trip(first, second, "between");
      second.advance();
      REQUIRE(second.finished());
      same(second);
    }
  }
  SECTION("stopped inside rounds, again and again, each time through a checkpoint") {
    StopAtOnce stop;
    auto current = make();
    int stops = 0;
    for (; stops < 200 && !current.finished(); ++stops) {
      current.advance(stop.control);
      auto next = make();
      round_trip(current, next, "inside");
      current = std::move(next);
    }
    CHECK(stops > 20);
    current.advance();
    REQUIRE(current.finished());
    same(current);
  }
}

TEST_CASE("a stop reaches a walker within a poll interval, also while it discovers bins") {
  const XorLoss loss = xor_loss(2);
  const LossBinning binning(0.0, 1.0, 100000);
  auto walker = standalone_walker(XorNetworkModel(loss, symmetric_box(9, 10.0)), binning, 3, 1.0);
  StopAtOnce stop;
  const std::int64_t done = advance_walker(walker, binning, WangLandauSpec{}, 1000000, stop.control);
  CHECK(done >= 1);
  CHECK(done <= kPollSteps);
  CHECK(walker.steps == done);
}

TEST_CASE("the sampler models restore their incremental state bit for bit") {
  const XorLoss loss = xor_loss(3, Activation::tanh);
  XorNetworkModel model(loss, symmetric_box(13, 5.0));
  RandomStream rng(4);
  std::vector<double> x(13);
  for (double& v : x) v = rng.uniform(-5.0, 5.0);
  model.set_state(x);
  for (int step = 0; step < 1000; ++step) {
    model.propose(static_cast<int>(rng.below(13)), rng.uniform(-5.0, 5.0));
    model.accept();
  }
  XorNetworkModel copy(loss, symmetric_box(13, 5.0));
  copy.restore(model.state(), model.cache());
  CHECK(copy.cache() == model.cache());
  for (int step = 0; step < 100; ++step) {
    const int k = static_cast<int>(rng.below(13));
    const double v = rng.uniform(-5.0, 5.0);
    CHECK(copy.propose(k, v) == model.propose(k, v));
    copy.accept();
    model.accept();
  }
  CHECK_THROWS_AS(copy.restore(std::vector<double>(9, 0.0), model.cache()), std::invalid_argument);
}

TEST_CASE("Wang-Landau agrees with simple sampling for n_h = 2 where simple sampling has statistics") {
  // Box [-4, 4]^9, 30 bins; 10^6 uniform samples against 3 Wang-Landau runs (ln f to 1e-5, then
  // 10^6 multicanonical steps). Bins with a simple-sampling error below 0.03 (>= ~1100 samples)
  // must agree within 4 combined standard errors plus 0.01.
  const XorLoss loss = xor_loss(2);
  const Box box = symmetric_box(9, 4.0);
  const LossBinning binning(0.0, 1.0, 30);
  SimpleSamplingSpec ss;
  ss.samples = 1000000;
  ss.seed = 2;
  const auto sample = simple_sample(loss, box, binning, ss);
  const auto sampled = sampled_entropy(sample.counts, sample.samples, binning, box.ln_volume());
  WangLandauSpec spec;
  spec.runs = 3;
  spec.ln_f_final = 1e-5;
  spec.round_steps = 50000;
  spec.production_steps = 1000000;
  spec.seed = 6;
  ReplicaExchangeWangLandau<XorNetworkModel> wl(XorNetworkModel(loss, box), binning, spec, box.ln_volume());
  wl.advance();
  REQUIRE(wl.finished());
  std::vector<RunResult> results;
  for (int r = 0; r < spec.runs; ++r) results.push_back(wl.result(r));
  int compared = 0;
  for (size_t j = 0; j < sampled.bin.size(); ++j) {
    const int b = sampled.bin[j];
    if (sampled.error[j] > 0.03) continue;
    double mean = 0.0, square = 0.0;
    for (const auto& result : results) {
      REQUIRE(result.known_production[b]);
      mean += result.ln_g_production[b] / spec.runs;
      square += result.ln_g_production[b] * result.ln_g_production[b] / spec.runs;
    }
    const double wl_error = std::sqrt(std::max(0.0, square - mean * mean) / (spec.runs - 1));
    const double combined = std::sqrt(wl_error * wl_error + sampled.error[j] * sampled.error[j]);
    INFO("bin " << b << " L " << sampled.loss[j] << ": WL " << mean << " +- " << wl_error << ", simple "
                << sampled.entropy[j] << " +- " << sampled.error[j]);
    CHECK(std::abs(mean - sampled.entropy[j]) < 4.0 * combined + 0.01);
    ++compared;
  }
  CHECK(compared >= 8);
}

TEST_CASE("the sampler's activations agree with the reference activations") {
  for (Activation a : {Activation::sigmoid, Activation::tanh, Activation::relu})
    for (double z : {-800.0, -30.0, -1.0, -1e-9, 0.0, 1e-9, 0.3, 5.0, 40.0, 800.0})
      CHECK(detail::sampler_activate(a, z) == Approx(activate(a, z)).epsilon(1e-14).margin(1e-300));
}

TEST_CASE("the 1/t schedule ends at ln f = bins / steps and reproduces the exact density of |x|^2") {
  const int d = 3, bins = 60;
  WangLandauSpec spec;
  spec.schedule = Schedule::one_over_t;
  spec.ln_f_final = 2e-5;
  spec.seed = 12;
  spec.round_steps = 20000;
  spec.check_interval = 2000;
  ReplicaExchangeWangLandau<SquaredNormModel> sampler(SquaredNormModel(d), LossBinning(0.0, d, bins), spec,
                                                      d * std::log(2.0));
  sampler.advance();
  REQUIRE(sampler.finished());
  const RunResult r = sampler.result(0);
  REQUIRE(r.converged);
  // After the switch, ln f = (visited bins) / (steps) at every check: the last entry says so.
  REQUIRE(r.log_ln_f.size() >= 3);
  CHECK(r.log_ln_f.back() == Approx(bins / r.log_steps.back()).epsilon(1e-12));
  CHECK(r.log_ln_f.back() <= 2e-5);
  const LossBinning binning(0.0, d, bins);
  double worst = 0.0;
  for (int b = 0; b < bins && binning.upper_edge(b) <= 1.0 + 1e-12; ++b)
    worst = std::max(worst, std::abs(r.ln_g_wang_landau[b] -
                                     SquaredNormModel::exact_ln_mean_density(d, binning.lower_edge(b), binning.upper_edge(b))));
  CHECK(worst < 0.08);
}

TEST_CASE("simple sampling stopped again and again and resumed from checkpoints gives the uninterrupted tally") {
  const EntropyProblem problem = make_problem(xor_loss(2), symmetric_box(9, 10.0), LossBinning(0.0, 1.0, 100));
  SimpleSamplingSpec spec;
  spec.block = 10;
  spec.samples = (kSegmentBlocks + 1000) * spec.block + 7;  // two segments, the last block short
  spec.seed = 5;
  SimpleSamplingJob whole(problem, spec);
  whole.advance(RunControl());
  REQUIRE(whole.finished());
  CHECK(whole.result().samples == spec.samples);
  // One thread: progress (and so each stop) comes after every block; with more, thread 0 reports
  // only its own blocks and a loaded machine could see fewer stops.
  const xorscape::testing::ThreadCount one_thread(1);
  double next_stop = 0.0;
  RunControl control([&](double done, double) {
    if (done >= next_stop) control.request_stop();
  });
  SimpleSamplingJob current(problem, spec);
  int stops = 0;
  while (!current.finished() && stops < 100) {
    next_stop += 700.0 * spec.block;
    control.clear_stop();
    current.advance(control);
    SimpleSamplingJob next(problem, spec);
    round_trip(current, next, "simple");
    current = std::move(next);
    ++stops;
  }
  REQUIRE(current.finished());
  CHECK(stops > 3);
  const SimpleSamplingResult& a = whole.result();
  const SimpleSamplingResult& b = current.result();
  CHECK(a.counts == b.counts);
  CHECK(a.samples == b.samples);
  CHECK(a.min_loss == b.min_loss);
  CHECK(a.min_index == b.min_index);
  CHECK(a.min_point == b.min_point);
  CHECK(a.max_loss == b.max_loss);
  // Another block size draws other points: another identity.
  spec.block = 11;
  CHECK(SimpleSamplingJob(problem, spec).identity() != whole.identity());
}

TEST_CASE("a signal drops the block it interrupts; a deadline lets started blocks finish") {
  const EntropyProblem problem = make_problem(xor_loss(2), symmetric_box(9, 10.0), LossBinning(0.0, 1.0, 100));
  SimpleSamplingSpec spec;
  spec.block = 3 * static_cast<int>(kPollPoints);
  spec.samples = 2LL * spec.block;
  SimpleSamplingJob job(problem, spec);
  RunControl stopped;
  stopped.request_stop();
  job.advance(stopped);
  CHECK(job.fraction_done() == 0.0);
  CHECK(job.result().samples == 0);
  StopAtOnce deadline;
  job.advance(deadline.control);
  CHECK(job.fraction_done() > 0.0);
  job.advance(RunControl());
  REQUIRE(job.finished());
  CHECK(job.result().samples == spec.samples);
}

TEST_CASE("entropy files read back: the problem, the estimates and the parameter points") {
  const XorLoss loss = xor_loss(2);
  const EntropyProblem problem =
      make_problem(loss, symmetric_box(9, 6.0), LossBinning(0.0, 1.0, 60, 0.05, 12));
  const auto path = scratch("files");
  SECTION("simple sampling") {
    SimpleSamplingSpec spec;
    spec.samples = 20000;
    SimpleSamplingJob job(problem, spec);
    job.advance(RunControl());
    {
      h5::OutputFile file(path, true);
      write_simplesample(file.root(), job, job.entropy());
      file.commit();
    }
    h5::InputFile file(path);
    const EntropyProblem back = read_problem(file.root());
    CHECK(back.identity == problem.identity);
    CHECK(back.binning.edges() == problem.binning.edges());
    CHECK(file.root().read_ints("bins/counts") == job.result().counts);
    CHECK(file.root().scale_path("bins/counts", 0) == "/bins/centre");
    CHECK(read_point(file.root(), io::parse_selector("min")) == job.result().min_point);
    CHECK_THROWS_AS(read_point(file.root(), io::parse_selector("run=0")), std::invalid_argument);
  }
  SECTION("Wang-Landau") {
    WangLandauSpec spec;
    spec.runs = 2;
    spec.windows = 2;
    spec.ln_f_final = 1e-2;
    spec.round_steps = 10000;
    spec.production_steps = 20000;
    WangLandauJob job(problem, spec, 0.05);
    job.advance(RunControl());
    REQUIRE(job.finished());
    const WangLandauSummary summary = job.summary();
    {
      h5::OutputFile file(path, true);
      write_wanglandau(file.root(), job, summary);
      file.commit();
    }
    h5::InputFile file(path);
    CHECK(read_problem(file.root()).identity == problem.identity);
    CHECK(file.root().read_doubles("entropy/S") == summary.refined.mean);
    CHECK(file.root().shape("entropy/S_runs") == std::vector<hsize_t>{2, summary.combined.loss.size()});
    CHECK(file.root().scale_path("entropy/S_runs", 0) == "/run");
    CHECK(read_point(file.root(), io::parse_selector("run=1")) == summary.runs[1].min_state);
    const bool first_lower = summary.runs[0].min_energy <= summary.runs[1].min_energy;
    CHECK(read_point(file.root(), io::parse_selector("min")) == summary.runs[first_lower ? 0 : 1].min_state);
  }
  std::filesystem::remove(path);
}

TEST_CASE("a file over given edges rebuilds its binning exactly") {
  std::vector<double> edges{0.0, 0.1, 0.2, 0.45, 0.49, 0.499, 0.5, 0.501, 0.6, 1.0};
  const EntropyProblem problem = make_problem(xor_loss(2), symmetric_box(9, 6.0), LossBinning(edges));
  SimpleSamplingSpec spec;
  spec.samples = 5000;
  SimpleSamplingJob job(problem, spec);
  job.advance(RunControl());
  const auto path = scratch("given-edges");
  {
    h5::OutputFile file(path, true);
    write_simplesample(file.root(), job, job.entropy());
    file.commit();
  }
  const EntropyProblem back = read_problem(h5::InputFile(path).root());
  CHECK(back.binning.given_edges());
  CHECK(back.binning.edges() == edges);
  CHECK(back.identity == problem.identity);
  const SimpleSamplingReference reference = read_simplesample_reference(path.string(), problem);
  CHECK(reference.samples == 5000.0);
  CHECK(reference.counts.size() == edges.size() - 1);
  const EntropyProblem other_box = make_problem(xor_loss(2), symmetric_box(9, 5.0), LossBinning(edges));
  CHECK_THROWS_AS(read_simplesample_reference(path.string(), other_box), std::runtime_error);
  std::filesystem::remove(path);
}

TEST_CASE("the combined estimate: mean and spread over runs, the production estimate where there is one") {
  const std::vector<std::vector<double>> rows{{1.0, 2.0}, {3.0, 6.0}, {5.0, 10.0}};
  const MeanAndSpread all = mean_and_spread(rows, 0, 3);
  CHECK(all.mean == std::vector<double>{3.0, 6.0});
  CHECK(all.spread[0] == Approx(2.0).epsilon(1e-15));
  CHECK(all.spread[1] == Approx(4.0).epsilon(1e-15));
  const MeanAndSpread one = mean_and_spread(rows, 2, 1);
  CHECK(one.spread == std::vector<double>{0.0, 0.0});
  CHECK_THROWS_AS(mean_and_spread(rows, 2, 2), std::invalid_argument);
}

TEST_CASE("boxes whose width or ln volume is not finite are refused") {
  const ParameterLayout layout(2);
  CHECK_THROWS_AS(parse_box("1e308", layout, 20.0), std::invalid_argument);
  CHECK_THROWS_AS(parse_box("10,w2=1e308", layout, 20.0), std::invalid_argument);
  CHECK_NOTHROW(check_box(parse_box("1e300", layout, 20.0)));
  Box bad = symmetric_box(9, 1.0);
  bad.upper[3] = bad.lower[3];
  CHECK_THROWS_AS(check_box(bad), std::invalid_argument);
}
