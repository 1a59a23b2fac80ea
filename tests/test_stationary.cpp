// Stationary-point search: the regularised loss against finite differences, the solver and the
// homotopy on functions with known critical points, symmetry classes, Hessian index.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>
#include <unistd.h>

#include "xorscape/core/rng.hpp"
#include "xorscape/stationary/census_job.hpp"
#include "xorscape/stationary/stationary.hpp"
#include "xorscape/stationary/stationary_file.hpp"

using namespace xorscape;
using namespace xorscape::stationary;

namespace {

// f(x, y) = x^3 - 3x + y^2: a minimum at (1, 0) and a saddle (index 1) at (-1, 0). A Potential,
// so the solvers see it exactly as they see the regularised XOR loss.
struct CubicWithSaddle {
  int dimension() const { return 2; }
  double value(std::span<const double> x) const { return x[0] * x[0] * x[0] - 3.0 * x[0] + x[1] * x[1]; }
  double value_and_gradient(std::span<const double> x, std::span<double> g) const {
    g[0] = 3.0 * x[0] * x[0] - 3.0;
    g[1] = 2.0 * x[1];
    return value(x);
  }
  Eigen::MatrixXd hessian(std::span<const double> x) const {
    Eigen::MatrixXd H(2, 2);
    H << 6.0 * x[0], 0.0, 0.0, 2.0;
    return H;
  }
};
static_assert(Potential<CubicWithSaddle>);
const CubicWithSaddle kCubic;

GradientSystem cubic_with_saddle() { return gradient_system(kCubic); }

std::vector<double> gradient_of(const RegularisedXorLoss& loss, std::span<const double> p) {
  std::vector<double> g(loss.dimension());
  loss.value_and_gradient(p, g);
  return g;
}

std::vector<double> random_point(int dimension, RandomStream& rng, double scale) {
  std::vector<double> p(dimension);
  for (double& v : p) v = rng.uniform(-scale, scale);
  return p;
}

StationaryProblem problem_variant(bool output_bias, RegularisedSet set, double error_weight) {
  StationaryProblem p;
  p.output_bias = output_bias;
  p.regularised = set;
  p.error_weight = error_weight;
  return p;
}

}  // namespace

TEST_CASE("regularised loss gradient and Hessian agree with central differences for every variant") {
  RandomStream rng(7, {1});
  for (bool bias : {true, false})
    for (RegularisedSet set : {RegularisedSet::all, RegularisedSet::weights})
      for (double weight : {1.0, 0.25}) {
        const RegularisedXorLoss loss(problem_variant(bias, set, weight));
        const int D = loss.dimension();
        REQUIRE(D == (bias ? 9 : 8));
        const std::vector<double> p = random_point(D, rng, 2.0);
        const std::vector<double> g = gradient_of(loss, p);
        const Eigen::MatrixXd H = loss.hessian(p);
        const double h = 1e-5;
        for (int k = 0; k < D; ++k) {
          std::vector<double> up = p, down = p;
          up[k] += h;
          down[k] -= h;
          INFO("bias " << bias << " set " << to_string(set) << " weight " << weight << " parameter " << k);
          CHECK(g[k] == Approx((loss.value(up) - loss.value(down)) / (2 * h)).margin(1e-7));
          const std::vector<double> gu = gradient_of(loss, up), gd = gradient_of(loss, down);
          for (int j = 0; j < D; ++j) CHECK(H(j, k) == Approx((gu[j] - gd[j]) / (2 * h)).margin(1e-6));
        }
      }
}

TEST_CASE("extended-precision gradient agrees with the double gradient") {
  RandomStream rng(8, {2});
  const RegularisedXorLoss loss(StationaryProblem{});
  const std::vector<double> p = random_point(loss.dimension(), rng, 3.0);
  const std::vector<double> g = gradient_of(loss, p);
  const std::vector<long double> pl(p.begin(), p.end());
  const auto gl = loss.gradient_extended(pl);
  for (int k = 0; k < loss.dimension(); ++k) CHECK(static_cast<double>(gl[k]) == Approx(g[k]).margin(1e-13));
}

TEST_CASE("the solver converges to the saddle of x^3 - 3x + y^2 and, with it deflated, to the minimum") {
  const GradientSystem system = cubic_with_saddle();
  const SolverOptions options;
  const std::vector<double> start{-0.6, 0.7};
  const SolveResult saddle = find_stationary_point(system, start, {}, options);
  REQUIRE(saddle.status == SolveStatus::converged);
  CHECK(saddle.point[0] == Approx(-1.0).margin(1e-10));
  CHECK(saddle.point[1] == Approx(0.0).margin(1e-10));
  CHECK(saddle.gradient_l1 < 1e-10);
  const SolveResult minimum = find_stationary_point(system, start, {saddle.point}, options);
  REQUIRE(minimum.status == SolveStatus::converged);
  CHECK(minimum.point[0] == Approx(1.0).margin(1e-10));
  CHECK(minimum.point[1] == Approx(0.0).margin(1e-10));
  // With both roots deflated nothing is left to converge to.
  const SolveResult none = find_stationary_point(system, start, {saddle.point, minimum.point}, options);
  CHECK(none.status != SolveStatus::converged);
}

TEST_CASE("the homotopy path from a start crosses tau = 1 at critical points of x^3 - 3x + y^2") {
  const GradientSystem system = cubic_with_saddle();
  HomotopyOptions options;
  const std::vector<double> start{0.3, -0.8};
  const HomotopyResult path = follow_homotopy_path(system, start, options);
  REQUIRE(!path.roots.empty());
  for (const auto& root : path.roots) {
    CHECK(std::abs(std::abs(root[0]) - 1.0) < 1e-10);
    CHECK(std::abs(root[1]) < 1e-10);
  }
}

TEST_CASE("Hessian spectrum gives the index and smallest |eigenvalue| of a constructed saddle") {
  // Q diag(-2, -0.5, 1e-3, 3) Q^T with a random orthogonal Q: a saddle of index 2.
  RandomStream rng(3, {4});
  Eigen::MatrixXd M(4, 4);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) M(i, j) = rng.normal();
  const Eigen::MatrixXd Q = Eigen::HouseholderQR<Eigen::MatrixXd>(M).householderQ();
  Eigen::VectorXd d(4);
  d << -2.0, -0.5, 1e-3, 3.0;
  const HessianSpectrum s = hessian_spectrum(Q * d.asDiagonal() * Q.transpose());
  CHECK(s.index == 2);
  CHECK(s.smallest_abs == Approx(1e-3).epsilon(1e-8));
  CHECK(s.eigenvalues.front() == Approx(-2.0).epsilon(1e-12));
}

TEST_CASE("the origin of the regularised tanh network is a minimum with Hessian eigenvalues 2 mu") {
  StationaryProblem p;
  p.output_bias = false;
  const RegularisedXorLoss loss(p);
  const std::vector<double> origin(loss.dimension(), 0.0);
  for (double v : gradient_of(loss, origin)) CHECK(v == 0.0);
  const HessianSpectrum s = hessian_spectrum(loss.hessian(origin));
  CHECK(s.index == 0);
  for (double v : s.eigenvalues) CHECK(v == Approx(2.0 * p.mu).epsilon(1e-12));
  CHECK(loss.classified_fraction(origin) == 0.0);  // every output sits on the midpoint
}

TEST_CASE("canonicalisation maps all 8 images of a generic point to one representative") {
  RandomStream rng(11, {5});
  const HiddenUnitSymmetry symmetry(2, 9, true);
  REQUIRE(symmetry.order() == 8);
  const std::vector<double> p = random_point(9, rng, 2.0);
  const Params canonical = symmetry.canonical(p);
  for (int g = 0; g < symmetry.order(); ++g) {
    const Params image = symmetry.apply(g, p);
    CHECK(symmetry.canonical(image) == canonical);
    CHECK(symmetry.orbit_distance(image, p) == 0.0);
  }
  CHECK(symmetry.orbit_size(p, 0.01) == 8);
  // The images are all different points.
  CHECK(symmetry.apply(1, p) != p);
}

TEST_CASE("sign flips are symmetries of the tanh loss and permutations of the sigmoid one") {
  RandomStream rng(12, {6});
  const RegularisedXorLoss tanh_loss(problem_variant(true, RegularisedSet::all, 1.0));
  const HiddenUnitSymmetry odd(2, 9, true);
  const std::vector<double> p = random_point(9, rng, 2.0);
  for (int g = 0; g < odd.order(); ++g) CHECK(tanh_loss.value(odd.apply(g, p)) == Approx(tanh_loss.value(p)).epsilon(1e-14));
  StationaryProblem sigmoid;
  sigmoid.architecture = {2, Activation::sigmoid, Activation::sigmoid};
  sigmoid.data = "xor";
  sigmoid.output_bias = true;
  const RegularisedXorLoss sigmoid_loss(sigmoid);
  const HiddenUnitSymmetry permutations(2, 9, false);
  REQUIRE(permutations.order() == 2);
  CHECK(sigmoid_loss.value(permutations.apply(1, p)) == Approx(sigmoid_loss.value(p)).epsilon(1e-14));
}

TEST_CASE("a trial on the XOR problem finds converged points and the census classifies them") {
  StationaryProblem p;
  p.output_bias = false;
  const RegularisedXorLoss loss(p);
  const HiddenUnitSymmetry symmetry(2, loss.dimension(), true);
  TrialOptions options;
  options.radius = 4.0;
  options.solves = 4;
  std::vector<Hit> hits;
  for (int t = 0; t < 6; ++t) {
    RandomStream rng(1, {static_cast<std::uint64_t>(t)});
    TrialResult trial = run_trial(loss, symmetry, rng, options);
    for (size_t k = 0; k < trial.points.size(); ++k) hits.push_back({t, static_cast<std::int32_t>(k), trial.points[k]});
  }
  REQUIRE(!hits.empty());
  const std::optional<Census> built = build_census(loss, symmetry, hits, 6, 0.01);
  REQUIRE(built);
  const Census& census = *built;
  REQUIRE(!census.classes.empty());
  for (const auto& c : census.classes) {
    CHECK(c.gradient_l1 < 1e-10);
    CHECK(c.gradient_l1_extended < 1e-15);
    CHECK(c.extended_shift < 1e-9);
    CHECK(c.smallest_abs_eigenvalue > 1e-4);
  }
  // Classes are pairwise inequivalent.
  for (size_t a = 0; a < census.classes.size(); ++a)
    for (size_t b = a + 1; b < census.classes.size(); ++b)
      CHECK(symmetry.orbit_distance(census.classes[a].representative, census.classes[b].representative) >= 0.01);
  CHECK(census.discovery.back() == static_cast<std::int64_t>(census.classes.size()));
}

TEST_CASE("the regularised loss is a Potential: its gradient agrees with numerical_gradient") {
  RandomStream rng(13, {7});
  const RegularisedXorLoss loss(problem_variant(true, RegularisedSet::weights, 0.5));
  const std::vector<double> p = random_point(loss.dimension(), rng, 2.0);
  const std::vector<double> numerical = numerical_gradient(loss, p);
  const std::vector<double> g = gradient_of(loss, p);
  for (int k = 0; k < loss.dimension(); ++k) CHECK(g[k] == Approx(numerical[k]).margin(1e-7));
}

TEST_CASE("a stop request ends a solve, a homotopy path and a trial at once") {
  RunControl control;
  control.request_stop();
  const GradientSystem system = cubic_with_saddle();
  const std::vector<double> start{-0.6, 0.7};
  CHECK(find_stationary_point(system, start, {}, SolverOptions{}, control).status == SolveStatus::interrupted);
  const HomotopyResult path = follow_homotopy_path(system, start, HomotopyOptions{}, control);
  CHECK(path.end == "interrupted");
  CHECK(path.steps == 0);
  const RegularisedXorLoss loss(StationaryProblem{});
  const HiddenUnitSymmetry symmetry(2, loss.dimension(), true);
  RandomStream rng(1, {0});
  CHECK(run_trial(loss, symmetry, rng, TrialOptions{}, control).interrupted);
}

namespace {

Census constructed_census() {
  // Classes: the origin (minimum, 0 %), a minimum at 100 %, a saddle at 50 %, a maximum at 25 %.
  Census census;
  census.trials = 4;
  const int indices[] = {0, 0, 1, 8};
  const double classified[] = {0.0, 1.0, 0.5, 0.25};
  const int orbits[] = {1, 8, 8, 4};
  for (int c = 0; c < 4; ++c) {
    StationaryClass k;
    k.index = indices[c];
    k.classified = classified[c];
    k.orbit_size = orbits[c];
    // Undecided cases counted half: the origin (all four outputs at the midpoint) at 50 %.
    k.classified_ties_half = c == 0 ? 0.5 : classified[c];
    census.classes.push_back(k);
  }
  census.discovery = {1, 3, 4, 4};
  return census;
}

}  // namespace

TEST_CASE("summarise counts the kinds, the solutions and the paper's Table 2 of a census") {
  const CensusSummary s = summarise(constructed_census(), 8);
  CHECK(s.classes == 4);
  CHECK(s.minima == 2);
  CHECK(s.saddles == 1);
  CHECK(s.maxima == 1);
  CHECK(s.solutions == 21);
  CHECK(s.minimum_solutions == 9);
  CHECK(s.last_new_class == 3);
  using Row = std::array<std::int64_t, 5>;
  CHECK(s.at_least[0] == Row{2, 1, 1, 1, 1});
  CHECK(s.at_least[1] == Row{1, 1, 1, 0, 0});
  CHECK(s.at_least[2] == Row{1, 1, 0, 0, 0});
  CHECK(s.exactly[0] == Row{1, 0, 0, 0, 1});
  CHECK(s.exactly[1] == Row{0, 0, 1, 0, 0});
  CHECK(s.exactly[2] == Row{0, 1, 0, 0, 0});
}

TEST_CASE("summarise gives the Morse sum, the completeness verdict and Table 2 with the origin at 50 %") {
  Census census = constructed_census();
  CensusSummary s = summarise(census, 8);
  // 1 (origin) + 8 (minimum) - 8 (index-1 saddle) + 4 (index 8, even) = 5: not a complete census.
  CHECK(s.morse_sum == 5);
  CHECK(s.degenerate_classes == 0);
  CHECK(s.completeness == "incomplete");
  using Row = std::array<std::int64_t, 5>;
  CHECK(s.at_least_ties_half[0] == Row{2, 2, 2, 1, 1});
  CHECK(s.exactly_ties_half[0] == Row{0, 0, 1, 0, 1});
  CHECK(s.at_least_ties_half[1] == s.at_least[1]);
  // A census that passes the check: the origin, a minimum pair and a saddle pair (1 + 2 - 2 = 1).
  census.classes.pop_back();
  census.classes[1].orbit_size = 2;
  census.classes[2].orbit_size = 2;
  census.discovery = {1, 3, 3, 3};
  s = summarise(census, 8);
  CHECK(s.morse_sum == 1);
  CHECK(s.completeness == "complete");
  // The last new class at trial 2 of 4: 2 trials without a new class.
  CHECK(s.last_new_class == 2);
  CHECK(summarise(census, 8, 3).completeness == "incomplete");
  CHECK(summarise(census, 8, 2).completeness == "complete");
  census.classes[0].degenerate = true;
  census.classes[2].degenerate = true;
  s = summarise(census, 8);
  CHECK(s.degenerate_classes == 2);
  CHECK(s.completeness == "ill-posed");  // two of three classes degenerate
  census.classes[0].degenerate = false;
  CHECK(summarise(census, 8).completeness == "incomplete");  // one degenerate class: no Morse identity
}

TEST_CASE("completeness_of: complete needs the Morse sum 1, no degenerate class and the quiet trials") {
  CHECK(completeness_of(1, 0, 49, 1000, 1000) == "complete");
  CHECK(completeness_of(1, 0, 49, 999, 1000) == "incomplete");
  CHECK(completeness_of(-7, 0, 48, 5000, 1000) == "incomplete");
  CHECK(completeness_of(1, 1, 49, 5000, 1000) == "incomplete");
  CHECK(completeness_of(3, 25, 50, 0, 1000) == "ill-posed");
  CHECK(completeness_of(0, 0, 0, 0, 0) == "incomplete");
}

namespace {

CensusSpec small_spec(std::int64_t starts) {
  CensusSpec spec;
  spec.starts = starts;
  spec.seed = 5;
  spec.trial.solves = 3;
  spec.trial.radius = std::sqrt(16.0);
  spec.trial.solver.divergence_radius = 1e3;
  spec.trial.path.radius_limit = 200.0;
  return spec;
}

void run_to_end(CensusJob& job) {
  const RunControl control;
  while (!job.finished()) job.advance(control);
}

std::filesystem::path scratch(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("xorscape-test-" + std::to_string(::getpid()) + "-" + name);
}

void require_same_census(const CensusJob& a, const CensusJob& b) {
  REQUIRE(a.record().starts_done == b.record().starts_done);
  REQUIRE(a.record().hits.size() == b.record().hits.size());
  for (size_t h = 0; h < a.record().hits.size(); ++h) CHECK(a.record().hits[h].point == b.record().hits[h].point);
  CHECK(a.record().solves == b.record().solves);
  CHECK(a.record().path_steps == b.record().path_steps);
  REQUIRE(a.census().classes.size() == b.census().classes.size());
  for (size_t c = 0; c < a.census().classes.size(); ++c)
    CHECK(a.census().classes[c].representative == b.census().classes[c].representative);
  CHECK(a.census().discovery == b.census().discovery);
}

}  // namespace

TEST_CASE("a census job stopped part-way and continued from its saved state reaches the uninterrupted census") {
  CensusJob whole(small_spec(40));
  run_to_end(whole);
  REQUIRE(whole.record().starts_done == 40);
  REQUIRE(whole.summary().trials == 40);

  CensusJob first(small_spec(40));
  RunControl control([&](double done, double) {
    if (done >= 3) control.request_stop();
  });
  first.advance(control);
  REQUIRE(!first.finished());
  REQUIRE(first.record().starts_done < 40);
  const auto path = scratch("census-checkpoint.h5");
  {
    h5::OutputFile file(path, true);
    first.save(file.root().create_group("state"));
    file.commit();
  }
  CensusJob resumed(small_spec(40));
  {
    h5::InputFile file(path);
    resumed.load(file.root().open_group("state"));
  }
  std::filesystem::remove(path);
  CHECK(resumed.record().starts_done == first.record().starts_done);
  run_to_end(resumed);
  require_same_census(whole, resumed);
}

TEST_CASE("a census file reads back: the record, class and point rows, and extension to more starts") {
  CensusJob twelve(small_spec(12));
  run_to_end(twelve);
  const auto path = scratch("census.h5");
  {
    h5::OutputFile file(path, true);
    write_census(file.root(), twelve);
    file.commit();
  }
  h5::InputFile file(path);
  const h5::Group& root = file.root();
  const TrialRecord record = read_trial_record(root, 8);
  CHECK(record.starts_done == 12);
  REQUIRE(record.hits.size() == twelve.record().hits.size());
  for (size_t h = 0; h < record.hits.size(); ++h) CHECK(record.hits[h].point == twelve.record().hits[h].point);
  CHECK(root.read_strings("parameter_names").size() == 8);
  CHECK(root.attribute_int("dimension") == 8);
  const Params c0 = read_point(root, io::parse_selector("class=0"));
  REQUIRE(c0.size() == 9);
  CHECK(c0[8] == 0.0);  // no output bias: b2_1 = 0
  for (int k = 0; k < 8; ++k) CHECK(c0[k] == twelve.census().classes[0].representative[k]);
  const Params p1 = read_point(root, io::parse_selector("point=1"));
  for (int k = 0; k < 8; ++k) CHECK(p1[k] == twelve.census().points[1][k]);
  CHECK_THROWS(read_point(root, io::parse_selector("class=999")));

  CensusJob same(small_spec(12));
  CHECK_FALSE(same.extend(root));  // nothing more to do
  CensusJob fewer(small_spec(6));
  CHECK_THROWS(fewer.extend(root));
  CensusSpec other_spec = small_spec(24);
  other_spec.problem.mu = 0.1;
  CensusJob other(other_spec);
  CHECK_THROWS(other.extend(root));
  CensusJob extended(small_spec(24));
  REQUIRE(extended.extend(root));
  run_to_end(extended);
  CensusJob whole(small_spec(24));
  run_to_end(whole);
  require_same_census(whole, extended);
  std::filesystem::remove(path);
}

TEST_CASE("a signal-like stop ends a census job within a second, leaving whole trials only") {
  CensusSpec spec = small_spec(1000000);
  spec.trial.solves = 24;
  CensusJob job(std::move(spec));
  RunControl control;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    control.request_stop();
  });
  const auto begin = std::chrono::steady_clock::now();
  job.advance(control);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  stopper.join();
  CHECK(seconds < 1.3);
  CHECK_FALSE(job.finished());
  CHECK(job.record().solves.size() == static_cast<size_t>(job.record().starts_done));
}

TEST_CASE("the stopping rule ends a census at a multiple of 32 trials with Morse sum 1, alike when stopped and resumed") {
  CensusSpec spec = small_spec(3200);
  spec.problem.architecture.n_hidden = 1;
  spec.trial.radius = std::sqrt(8.0);
  spec.complete_after = 64;
  CensusJob whole(spec);
  run_to_end(whole);
  const std::int64_t done = whole.record().starts_done;
  CHECK(done < 3200);
  CHECK(done % CensusJob::kBlock == 0);
  CHECK(whole.summary().morse_sum == 1);
  CHECK(whole.summary().completeness == "complete");
  CHECK(done - whole.summary().last_new_class >= 64);
  CHECK(done - whole.summary().last_new_class < 64 + CensusJob::kBlock);
  // The tracker the rule uses agrees with the census built at the end.
  ClassTracker tracker(whole.loss(), whole.symmetry(), spec.trial.distinct_tolerance, spec.degenerate_below);
  for (const Hit& hit : whole.record().hits) tracker.add(hit);
  CHECK(tracker.classes() == whole.summary().classes);
  CHECK(tracker.morse_sum() == whole.summary().morse_sum);
  CHECK(tracker.last_new_trial() == whole.summary().last_new_class);

  // Stopped after a few trials (off a multiple of 32), saved, loaded and continued: the same stop.
  CensusJob first(spec);
  RunControl control([&](double trials, double) {
    if (trials >= 45) control.request_stop();
  });
  first.advance(control);
  REQUIRE(!first.finished());
  const auto path = scratch("census-rule.h5");
  {
    h5::OutputFile file(path, true);
    first.save(file.root().create_group("state"));
    file.commit();
  }
  CensusJob resumed(spec);
  {
    h5::InputFile file(path);
    resumed.load(file.root().open_group("state"));
  }
  std::filesystem::remove(path);
  run_to_end(resumed);
  require_same_census(whole, resumed);

  // Without the rule the job runs its whole budget.
  spec.complete_after = 0;
  spec.starts = done + 7;
  CensusJob budget(spec);
  run_to_end(budget);
  CHECK(budget.record().starts_done == done + 7);
}
