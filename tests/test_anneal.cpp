// Error-Driven Annealing: the temperature, the trial models, the paired arms and the statistics.
#include <catch2/catch.hpp>
#include <omp.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <thread>

#include "xorscape/annealing/annealing.hpp"
#include "xorscape/annealing/annealing_file.hpp"
#include "xorscape/annealing/experiment_job.hpp"
#include "xorscape/io/checkpoint.hpp"

using namespace xorscape;
using namespace xorscape::annealing;

namespace {

const Dataset kCentered = dataset_by_name("xor-centered");

// A stuck state of the articles: unit 0 answers (1,-1), unit 1 is off everywhere but at
// (1,-1) too, so case (-1,1) (target 1) has both pre-activations below 0 and output 0.
TwoReluModel::Vector dead_point_state() { return {0.5, -0.5, 0.0, 0.25, -0.25, -0.2}; }

ExperimentSpec small_spec(std::vector<Arm> arms, int seeds, int epochs) {
  ExperimentSpec spec;
  spec.arms = std::move(arms);
  spec.seeds = seeds;
  spec.epochs = epochs;
  spec.seed = 7;
  spec.points = {SweepPoint{0.01, 1.0, 0.1, 0.05}};
  return spec;
}

bool same_records(const RunRecord& a, const RunRecord& b) {
  return a.accuracy == b.accuracy && a.loss == b.loss && a.convergence_epoch == b.convergence_epoch &&
         a.all_right_epoch == b.all_right_epoch && a.injections == b.injections && a.noise_norm == b.noise_norm &&
         a.restarts == b.restarts && a.failure == b.failure && a.dead_points == b.dead_points &&
         a.parameter_count == b.parameter_count && a.epochs_run == b.epochs_run && a.trapped == b.trapped;
}

}  // namespace

TEST_CASE("uniform losses have imbalance 0 and temperature 0") {
  const std::array<double, 4> l{0.3, 0.3, 0.3, 0.3};
  const Temperature t = temperature(l);
  CHECK(t.magnitude == Approx(0.6).epsilon(1e-14));
  CHECK(t.entropy == Approx(2.0).epsilon(1e-14));
  CHECK(t.imbalance == Approx(0.0).margin(1e-28));
  CHECK(t.temperature == Approx(0.0).margin(1e-28));
}

TEST_CASE("a single non-zero loss has imbalance 1 and temperature equal to that loss") {
  const std::array<double, 4> l{0.0, 0.0, 0.81, 0.0};
  const Temperature t = temperature(l);
  CHECK(t.magnitude == Approx(0.81).epsilon(1e-15));
  CHECK(t.entropy == 0.0);
  CHECK(t.imbalance == 1.0);
  CHECK(t.temperature == Approx(0.81).epsilon(1e-15));
}

TEST_CASE("the temperature of a mixed loss vector matches the hand computation") {
  // p = (1/2, 1/4, 1/4, 0): H = 1.5 bits, I = ((2 - 1.5)/2)^2 = 1/16, M = sqrt(0.375).
  const std::array<double, 4> l{0.5, 0.25, 0.25, 0.0};
  const Temperature t = temperature(l);
  CHECK(t.entropy == Approx(1.5).epsilon(1e-14));
  CHECK(t.imbalance == Approx(0.0625).epsilon(1e-14));
  CHECK(t.magnitude == Approx(std::sqrt(0.375)).epsilon(1e-14));
  CHECK(t.temperature == Approx(std::sqrt(0.375) / 16.0).epsilon(1e-14));
}

TEST_CASE("zero losses and a single case give a finite zero temperature") {
  const std::array<double, 4> zero{0.0, 0.0, 0.0, 0.0};
  const Temperature t = temperature(zero);
  CHECK(t.magnitude == 0.0);
  CHECK(t.imbalance == 0.0);
  CHECK(t.temperature == 0.0);
  const std::array<double, 1> one{0.7};
  const Temperature u = temperature(one);
  CHECK(u.magnitude == Approx(0.7).epsilon(1e-15));
  CHECK(u.imbalance == 0.0);
  CHECK(u.temperature == 0.0);
}

TEST_CASE("the two-ReLU gradient matches central differences") {
  const TwoReluModel model(kCentered);
  RandomStream rng(3, {1});
  for (int trial = 0; trial < 20; ++trial) {
    TwoReluModel::Vector theta;
    model.initialise(theta, rng, 2.0);
    TwoReluModel::Vector gradient;
    std::array<double, 4> losses, outputs;
    const double loss = model.evaluate(theta, losses.data(), outputs.data(), gradient);
    CHECK(loss == Approx((losses[0] + losses[1] + losses[2] + losses[3]) / 4).epsilon(1e-14));
    for (int k = 0; k < 6; ++k) {
      const double h = 1e-6;
      auto up = theta, down = theta;
      up[k] += h;
      down[k] -= h;
      TwoReluModel::Vector g;
      const double lu = model.evaluate(up, losses.data(), outputs.data(), g);
      const double ld = model.evaluate(down, losses.data(), outputs.data(), g);
      INFO("trial " << trial << " parameter " << k);
      CHECK(gradient[k] == Approx((lu - ld) / (2 * h)).margin(1e-6));
    }
  }
}

TEST_CASE("a misclassified case with both pre-activations at or below zero is a dead point") {
  const TwoReluModel model(kCentered);
  const Diagnosis d = diagnose(model, dead_point_state());
  CHECK(d.accuracy == 0.75);
  CHECK_FALSE(d.right[1]);
  CHECK(d.dead_points == 1);
  CHECK(d.failure == FailureKind::dead_point);
}

TEST_CASE("a misclassified case that still has an active unit is another failure") {
  const TwoReluModel model(kCentered);
  // Unit 1 is active at (-1,1) but too weakly: output 0.2 < 0.5.
  const TwoReluModel::Vector theta{0.5, -0.5, 0.0, -0.1, 0.1, 0.0};
  const Diagnosis d = diagnose(model, theta);
  CHECK(d.accuracy == 0.75);
  CHECK(d.dead_points == 0);
  CHECK(d.failure == FailureKind::other);
}

TEST_CASE("gradient descent cannot leave a dead-point state but EDA noise can move it") {
  const TwoReluModel model(kCentered);
  TrainingSettings settings{0.01, 2000, 0.01};
  RandomStream noise(1, {2}), restarts(1, {3});
  auto theta = dead_point_state();
  const TrainingResult base = train(model, theta, settings, NoiseRule{}, RestartRule{}, noise, restarts);
  CHECK(base.final_accuracy == 0.75);
  CHECK(diagnose(model, theta).failure == FailureKind::dead_point);
  // The stuck state is hot: l = (0, 1, 0, 0) up to the fitted cases, so T is close to 1.
  std::array<double, 4> losses, outputs;
  TwoReluModel::Vector g;
  model.evaluate(theta, losses.data(), outputs.data(), g);
  CHECK(temperature(losses).temperature == Approx(1.0).margin(1e-3));
  auto hot = dead_point_state();
  const TrainingResult eda =
      train(model, hot, settings, NoiseRule{Gate::temperature, 0.1, 0.05, 0.0}, RestartRule{}, noise, restarts);
  CHECK(eda.injections > 0);
  CHECK(eda.noise_norm > 0.0);
}

TEST_CASE("a run with zero base noise equals the baseline run bit for bit") {
  const TwoReluModel model(kCentered);
  RandomStream init(11, {0});
  TwoReluModel::Vector start;
  model.initialise(start, init, 1.0);
  TrainingSettings settings{0.01, 3000, 0.01};
  TrainingTrace base_trace, eda_trace;
  base_trace.resize(settings.epochs, 6);
  eda_trace.resize(settings.epochs, 6);
  auto a = start, b = start;
  RandomStream n1(11, {2}), r1(11, {3}), n2(11, {2}), r2(11, {3});
  const TrainingResult base = train(model, a, settings, NoiseRule{}, RestartRule{}, n1, r1, &base_trace);
  // Threshold 0: the gate opens whenever T > 0, but every injection adds 0 * eps.
  const TrainingResult eda =
      train(model, b, settings, NoiseRule{Gate::temperature, 0.0, 0.0, 0.0}, RestartRule{}, n2, r2, &eda_trace);
  CHECK(eda.injections > 0);
  CHECK(std::memcmp(a.data(), b.data(), sizeof a) == 0);
  CHECK(base.final_loss == eda.final_loss);
  CHECK(base.convergence_epoch == eda.convergence_epoch);
  CHECK(std::memcmp(base_trace.parameters.data(), eda_trace.parameters.data(),
                    base_trace.parameters.size() * sizeof(double)) == 0);
}

TEST_CASE("every arm starts from the same initial parameters for the same seed") {
  ExperimentSpec spec = small_spec({all_arms().begin(), all_arms().end()}, 4, 300);
  spec.traces = 4;
  ExperimentResult result(spec);
  for (int s = 0; s < spec.seeds; ++s) run_unit(spec, 0, s, result);
  const int D = result.dimension;
  for (int s = 0; s < spec.seeds; ++s) {
    const double* initial = result.initial_parameters.data() + static_cast<size_t>(s) * D;
    for (int a = 0; a < result.arms; ++a) {
      const double* first = result.trace_parameters.data() + result.trace_offset(0, a, s) * D;
      INFO("seed " << s << " arm " << to_string(spec.arms[a]));
      CHECK(std::memcmp(initial, first, D * sizeof(double)) == 0);
    }
  }
  // Different seeds start elsewhere.
  CHECK(std::memcmp(result.initial_parameters.data(), result.initial_parameters.data() + D, D * sizeof(double)) != 0);
}

TEST_CASE("eda with zero base noise reproduces every paired baseline run") {
  ExperimentSpec spec = small_spec({Arm::baseline, Arm::eda}, 16, 1500);
  spec.points = {SweepPoint{0.01, 1.0, 0.0, 0.0}};
  ExperimentResult result(spec);
  for (int s = 0; s < spec.seeds; ++s) run_unit(spec, 0, s, result);
  for (int s = 0; s < spec.seeds; ++s) {
    INFO("seed " << s);
    CHECK(same_records(result.run(0, 0, s), RunRecord{result.run(0, 1, s).accuracy, result.run(0, 1, s).loss,
                                                      result.run(0, 1, s).convergence_epoch,
                                                      result.run(0, 1, s).all_right_epoch, 0, 0.0, 0,
                                                      result.run(0, 1, s).failure, result.run(0, 1, s).dead_points,
                                                      result.run(0, 1, s).parameter_count,
                                                      result.run(0, 1, s).epochs_run, result.run(0, 1, s).trapped}));
    CHECK(std::memcmp(result.final_parameters.data() + result.run_index(0, 0, s) * 6,
                      result.final_parameters.data() + result.run_index(0, 1, s) * 6, 6 * sizeof(double)) == 0);
  }
  const ArmSummary eda = summarize(spec, result, 0, 1);
  CHECK(eda.rescued == 0);
  CHECK(eda.broken == 0);
  CHECK(eda.mcnemar_p == 1.0);
}

TEST_CASE("results do not depend on the number of threads") {
  ExperimentSpec spec = small_spec({all_arms().begin(), all_arms().end()}, 24, 400);
  spec.points = {SweepPoint{0.01, 1.0, 0.1, 0.05}, SweepPoint{0.003, 2.0, 0.3, 0.01}};
  spec.traces = 2;
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  ExperimentJob one(spec);
  one.advance(RunControl());
  omp_set_num_threads(3);
  ExperimentJob three(spec);
  three.advance(RunControl());
  omp_set_num_threads(saved);
  for (size_t i = 0; i < one.result().runs.size(); ++i) {
    INFO("run " << i);
    CHECK(same_records(one.result().runs[i], three.result().runs[i]));
  }
  CHECK(one.result().final_parameters == three.result().final_parameters);
  CHECK(one.result().trace_temperature == three.result().trace_temperature);
  CHECK(one.finished());
  CHECK(one.result().completed_units() == static_cast<std::int64_t>(spec.points.size()) * spec.seeds);
}

TEST_CASE("constant noise spends the same average amplitude per epoch as the paired eda run") {
  ExperimentSpec spec = small_spec({Arm::eda, Arm::constant_noise}, 6, 800);
  ExperimentResult result(spec);
  for (int s = 0; s < spec.seeds; ++s) run_unit(spec, 0, s, result);
  for (int s = 0; s < spec.seeds; ++s) {
    const RunRecord& eda = result.run(0, 0, s);
    const RunRecord& constant = result.run(0, 1, s);
    if (constant.failure == FailureKind::diverged) continue;
    CHECK(constant.injections == spec.epochs);
    // Total norm = amplitude * sum |eps|; both use the same amplitude budget, so the two
    // totals agree up to the fluctuation of |eps| (E|eps| for 6 normals ~ 2.35).
    if (eda.injections > 0) CHECK(constant.noise_norm == Approx(eda.noise_norm).epsilon(0.2));
  }
}

TEST_CASE("the restart arm re-initialises a run stuck in a dead-point state") {
  // Seeds whose baseline gets stuck are rescued by restarts with a short window.
  ExperimentSpec spec = small_spec({Arm::baseline, Arm::restart}, 40, 3000);
  spec.restart_window = 300;
  ExperimentResult result(spec);
  for (int s = 0; s < spec.seeds; ++s) run_unit(spec, 0, s, result);
  const ArmSummary base = summarize(spec, result, 0, 0), restart = summarize(spec, result, 0, 1);
  REQUIRE(base.successes < base.runs);
  CHECK(restart.mean_restarts > 0.0);
  CHECK(restart.rescued > 0);
}

TEST_CASE("error reflection reports the parameters of both models and the gate") {
  ExperimentSpec spec = small_spec({Arm::baseline, Arm::reflection}, 30, 2000);
  ExperimentResult result(spec);
  for (int s = 0; s < spec.seeds; ++s) run_unit(spec, 0, s, result);
  int failures = 0;
  for (int s = 0; s < spec.seeds; ++s) {
    const RunRecord& base = result.run(0, 0, s);
    const RunRecord& reflection = result.run(0, 1, s);
    if (base.success()) {
      CHECK(same_records(base, reflection));
    } else {
      ++failures;
      CHECK(reflection.parameter_count == 2 * 6 + 3);
    }
  }
  CHECK(failures > 0);
}

TEST_CASE("the sigmoid network runs through the same trial machinery") {
  ExperimentSpec spec = small_spec({Arm::baseline, Arm::eda}, 3, 200);
  spec.model = ModelKind::network;
  spec.architecture = Architecture{3, Activation::sigmoid, Activation::sigmoid};
  spec.data = dataset_by_name("xor");
  spec.traces = 1;
  ExperimentResult result(spec);
  for (int s = 0; s < spec.seeds; ++s) run_unit(spec, 0, s, result);
  CHECK(result.dimension == 13);
  for (const RunRecord& r : result.runs) {
    CHECK(std::isfinite(r.loss));
    CHECK(r.failure != FailureKind::dead_point);  // sigmoid units never die
  }
  // The network model's gradient agrees with XorLoss's.
  const NetworkModel model(spec.architecture, spec.data);
  const XorLoss loss(spec.architecture, spec.data);
  Params theta(result.initial_parameters.begin(), result.initial_parameters.begin() + 13);
  Params g1(13), g2(13);
  std::array<double, 4> l, y;
  CHECK(model.evaluate(theta, l.data(), y.data(), g1) == Approx(loss.value_and_gradient(theta, g2)).epsilon(1e-14));
  for (int k = 0; k < 13; ++k) CHECK(g1[k] == Approx(g2[k]).epsilon(1e-12).margin(1e-15));
}

TEST_CASE("the Wilson interval matches published values") {
  // Newcombe (1998), Table I: 0/10 and 5/10; 29/50 (the article's baseline) and 10/10
  // computed independently with exact integer arithmetic in Python.
  const Interval zero = wilson_interval(0, 10);
  CHECK(zero.lo == 0.0);
  CHECK(zero.hi == Approx(0.2775).margin(5e-5));
  const Interval half = wilson_interval(5, 10);
  CHECK(half.lo == Approx(0.2366).margin(5e-5));
  CHECK(half.hi == Approx(0.7634).margin(5e-5));
  const Interval article = wilson_interval(29, 50);
  CHECK(article.lo == Approx(0.442334).margin(1e-6));
  CHECK(article.hi == Approx(0.706250).margin(1e-6));
  const Interval all = wilson_interval(10, 10);
  CHECK(all.hi == 1.0);
  CHECK(all.lo == Approx(0.7225).margin(5e-5));
}

TEST_CASE("the exact McNemar p-value matches the binomial tail") {
  CHECK(mcnemar_exact_p(0, 0) == 1.0);
  CHECK(mcnemar_exact_p(20, 0) == Approx(2.0 * std::pow(0.5, 20)).epsilon(1e-12));
  CHECK(mcnemar_exact_p(5, 1) == Approx(2.0 * 7.0 / 64.0).epsilon(1e-12));
  CHECK(mcnemar_exact_p(1, 5) == Approx(2.0 * 7.0 / 64.0).epsilon(1e-12));
  CHECK(mcnemar_exact_p(10, 10) == 1.0);
  // 20 vs 1: 2 * (1 + 21) / 2^21.
  CHECK(mcnemar_exact_p(20, 1) == Approx(44.0 / 2097152.0).epsilon(1e-12));
  // Large counts stay finite and in (0, 1].
  const double p = mcnemar_exact_p(6000, 5800);
  CHECK(p > 0.0);
  CHECK(p < 1.0);
  CHECK(p == Approx(0.0669553).margin(1e-6));  // exact sum over Python integers
}

TEST_CASE("quantiles interpolate between order statistics like numpy") {
  CHECK(quantile({1, 2, 3, 4}, 0.5) == 2.5);
  CHECK(quantile({1, 2, 3, 4}, 0.25) == 1.75);
  CHECK(quantile({7}, 0.75) == 7.0);
  CHECK(std::isnan(quantile({}, 0.5)));
}

// ---- the experiment as a job, its summary and its file ------------------------------------

namespace {

// A file name in the temporary folder, unique to this process (each test removes its file).
std::filesystem::path scratch(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("xorscape-anneal-" + std::to_string(::getpid()) + "-" + name);
}

void check_same_result(const ExperimentResult& a, const ExperimentResult& b) {
  REQUIRE(a.runs.size() == b.runs.size());
  for (size_t i = 0; i < a.runs.size(); ++i) {
    INFO("run " << i);
    CHECK(same_records(a.runs[i], b.runs[i]));
  }
  CHECK(a.done == b.done);
  CHECK(a.initial_parameters == b.initial_parameters);
  CHECK(a.final_parameters == b.final_parameters);
  CHECK(a.trace_loss == b.trace_loss);
  CHECK(a.trace_noise == b.trace_noise);
  CHECK(a.trace_parameters == b.trace_parameters);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("the trial models satisfy the TrialModel concept and other types do not") {
  CHECK(TrialModel<TwoReluModel>);
  CHECK(TrialModel<NetworkModel>);
  CHECK_FALSE(TrialModel<XorLoss>);
  CHECK_FALSE(TrialModel<int>);
}

TEST_CASE("a stop reaches a run of 1e8 epochs within a second") {
  const TwoReluModel model(kCentered);
  const TrainingSettings settings{0.01, 100000000, 0.01};
  RandomStream noise(1, {2}), restarts(1, {3});
  RunControl control;
  auto theta = dead_point_state();
  const auto start = std::chrono::steady_clock::now();
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    control.request_stop();
  });
  const TrainingResult r = train(model, theta, settings, NoiseRule{Gate::temperature, 0.1, 0.05, 0.0}, RestartRule{},
                                 noise, restarts, nullptr, control);
  stopper.join();
  CHECK(r.interrupted);
  CHECK(seconds_since(start) < 1.2);
}

TEST_CASE("a stop reaches a unit of a wide network within a second and leaves it not done") {
  ExperimentSpec spec = small_spec({Arm::baseline, Arm::eda, Arm::reflection}, 1, 100000000);
  spec.model = ModelKind::network;
  spec.architecture = Architecture{1024, Activation::sigmoid, Activation::sigmoid};
  spec.data = dataset_by_name("xor");
  ExperimentResult result(spec);
  RunControl control;
  const auto start = std::chrono::steady_clock::now();
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    control.request_stop();
  });
  const bool finished = run_unit(spec, 0, 0, result, control);
  stopper.join();
  CHECK_FALSE(finished);
  CHECK(result.done[0] == 0);
  CHECK(seconds_since(start) < 1.2);
}

TEST_CASE("a checkpoint deadline ends a job between units but never interrupts a run") {
  const TwoReluModel model(kCentered);
  RandomStream noise(1, {2}), restarts(1, {3});
  RunControl control;
  control.set_deadline(RunControl::Clock::now() - std::chrono::seconds(1));
  auto theta = dead_point_state();
  CHECK_FALSE(train(model, theta, TrainingSettings{0.01, 20000, 0.01}, NoiseRule{}, RestartRule{}, noise, restarts,
                    nullptr, control)
                  .interrupted);
  ExperimentJob job(small_spec({Arm::baseline}, 4, 100));
  job.advance(control);
  CHECK(job.fraction_done() == 0.0);
}

TEST_CASE("an interrupted experiment resumed from its checkpoint ends with the uninterrupted numbers") {
  ExperimentSpec spec = small_spec({all_arms().begin(), all_arms().end()}, 12, 600);
  spec.points = {SweepPoint{0.01, 1.0, 0.1, 0.05}, SweepPoint{0.01, 1.0, 0.1, 0.02}};
  spec.traces = 3;
  ExperimentJob whole(spec);
  whole.advance(RunControl());
  ExperimentJob part(spec);
  part.stop_after(5);
  RunControl control;
  part.advance(control);
  CHECK(control.interrupted());
  REQUIRE_FALSE(part.finished());
  CHECK(part.fraction_done() > 0.0);
  const auto path = scratch("resume.checkpoint.h5");
  io::save_checkpoint(path, part, h5::Provenance{"test", "", spec.seed, 1, {}});
  ExperimentJob resumed(spec);
  io::load_checkpoint(path, resumed);
  CHECK(resumed.fraction_done() == part.fraction_done());
  resumed.advance(RunControl());
  REQUIRE(resumed.finished());
  check_same_result(whole.result(), resumed.result());
  // Another seed is another experiment: its checkpoint is refused.
  ExperimentSpec other = spec;
  other.seed = 8;
  ExperimentJob stranger(other);
  CHECK_THROWS_AS(io::load_checkpoint(path, stranger), io::CheckpointMismatch);
  std::filesystem::remove(path);
}

TEST_CASE("the convergence CDF counts the runs converged by each epoch of its grid") {
  ExperimentSpec spec = small_spec({Arm::baseline, Arm::eda}, 30, 1500);
  ExperimentJob job(spec);
  job.advance(RunControl());
  const ExperimentSummary summary = summarize(job.spec(), job.result());
  const ConvergenceCdf& cdf = summary.cdf;
  REQUIRE(cdf.epochs.size() == 1001);
  CHECK(cdf.epochs.front() == 0.0);
  CHECK(cdf.epochs.back() == 1500.0);
  const size_t G = cdf.epochs.size();
  for (int a = 0; a < 2; ++a) {
    for (size_t g : {size_t{0}, size_t{137}, size_t{500}, G - 1}) {
      int count = 0;
      for (int s = 0; s < spec.seeds; ++s) {
        const RunRecord& r = job.result().run(0, a, s);
        count += r.success() && r.convergence_epoch >= 0 && r.convergence_epoch <= cdf.epochs[g];
      }
      INFO("arm " << a << " epoch " << cdf.epochs[g]);
      CHECK(cdf.fraction[a * G + g] == static_cast<double>(count) / spec.seeds);
    }
    CHECK(cdf.fraction[a * G + G - 1] == static_cast<double>(summary.at(0, a).converged) / spec.seeds);
  }
  // With the reflection arm the grid reaches twice the epochs (its second phase counts).
  ExperimentJob reflection(small_spec({Arm::baseline, Arm::reflection}, 2, 100));
  reflection.advance(RunControl());
  CHECK(convergence_cdf(reflection.spec(), reflection.result()).epochs.back() == 200.0);
}

TEST_CASE("a checkpoint state reads back into the same result") {
  ExperimentSpec spec = small_spec({Arm::baseline, Arm::eda, Arm::restart}, 5, 300);
  spec.traces = 2;
  ExperimentJob job(spec);
  job.advance(RunControl());
  const auto path = scratch("state.h5");
  {
    h5::OutputFile file(path, true);
    write_state(file.root().create_group("state"), job.spec(), job.result());
    file.commit();
  }
  ExperimentResult back(spec);
  h5::InputFile file(path);
  read_state(file.root().open_group("state"), back);
  check_same_result(job.result(), back);
  ExperimentSpec more = spec;
  more.seeds = 6;
  ExperimentResult wrong(more);
  CHECK_THROWS(read_state(file.root().open_group("state"), wrong));
  std::filesystem::remove(path);
}

TEST_CASE("a run of an anneal file is a parameter point: seed, arm and point select it") {
  ExperimentSpec spec = small_spec({Arm::baseline, Arm::eda}, 3, 50);
  spec.model = ModelKind::network;
  spec.data = dataset_by_name("xor");
  spec.points = {SweepPoint{0.01, 1.0, 0.1, 0.05}, SweepPoint{0.02, 1.0, 0.1, 0.05}};
  ExperimentJob job(spec);
  job.advance(RunControl());
  const auto path = scratch("points.h5");
  {
    h5::OutputFile file(path, true);
    write_experiment(file.root(), job.spec(), job.result(), summarize(job.spec(), job.result()));
    file.commit();
  }
  h5::InputFile file(path);
  const ExperimentResult& r = job.result();
  const auto row = [&](const std::vector<double>& all, size_t index) {
    return Params(all.begin() + static_cast<std::ptrdiff_t>(index * 9), all.begin() + static_cast<std::ptrdiff_t>(index * 9 + 9));
  };
  CHECK(read_point(file.root(), io::parse_selector("seed=2,arm=eda,point=1")) == row(r.final_parameters, r.run_index(1, 1, 2)));
  CHECK(read_point(file.root(), io::parse_selector("seed=1")) == row(r.final_parameters, r.run_index(0, 0, 1)));
  CHECK(read_point(file.root(), io::parse_selector("seed=1,point=1,initial")) == row(r.initial_parameters, 1 * 3 + 1));
  CHECK_THROWS_WITH(read_point(file.root(), io::parse_selector("seed=3")), Catch::Contains("does not exist"));
  CHECK_THROWS_WITH(read_point(file.root(), io::parse_selector("seed=0,arm=restart")), Catch::Contains("not in the file"));
  CHECK_THROWS_WITH(read_point(file.root(), io::parse_selector("arm=eda")), Catch::Contains("name a run"));
  std::filesystem::remove(path);
}

// ---- the article's protocol: initial laws, gate variable, success cut, early stops, traps -------

TEST_CASE("the default initial law is the model's own, draw for draw") {
  const TwoReluModel model(kCentered);
  const InitLaw law;
  TwoReluModel::Vector a{}, b{};
  RandomStream r1(3, {1}), r2(3, {1});
  model.initialise(a, r1, 1.5);
  initialise(model, b, r2, 1.5, {}, &law);
  CHECK(a == b);
}

TEST_CASE("normal weights with zero biases leave every bias at 0 and draw weights of the chosen sigma") {
  const TwoReluModel model(kCentered);
  InitLaw law;
  law.weights = WeightLaw::normal;
  law.weight_sigma = 0.5;
  law.biases = BiasLaw::zero;
  RandomStream rng(11, {2});
  double sum = 0.0, squares = 0.0;
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) {
    TwoReluModel::Vector theta{};
    initialise(model, theta, rng, 1.0, {}, &law);
    CHECK(theta[2] == 0.0);
    CHECK(theta[5] == 0.0);
    for (int k : {0, 1, 3, 4}) {
      sum += theta[k];
      squares += theta[k] * theta[k];
    }
  }
  const double n = 4.0 * draws, mean = sum / n, sd = std::sqrt(squares / n - mean * mean);
  CHECK(std::abs(mean) < 4.0 * 0.5 / std::sqrt(n));
  CHECK(sd == Approx(0.5).epsilon(0.02));
}

TEST_CASE("uniform and normal bias laws keep to their widths; network biases are found by the layout") {
  const NetworkModel model(Architecture{3, Activation::relu, Activation::identity}, kCentered);
  InitLaw law;
  law.biases = BiasLaw::uniform;
  law.bias_width = 0.25;
  RandomStream rng(5, {3});
  NetworkModel::Vector theta(model.dimension());
  int biases = 0;
  for (int i = 0; i < 200; ++i) {
    initialise(model, theta, rng, 2.0, {}, &law);
    for (int k = 0; k < model.dimension(); ++k)
      if (model.is_bias(k)) CHECK(std::abs(theta[k]) <= 0.5);
      else CHECK(std::abs(theta[k]) <= model.fan_in_bound(k, 2.0));
  }
  for (int k = 0; k < model.dimension(); ++k) biases += model.is_bias(k);
  CHECK(biases == 4);  // three hidden biases and the output bias
  CHECK(model.is_bias(ParameterLayout(3).b2()));
}

TEST_CASE("the gate on u opens where the gate on T stays shut, with the same amplitude") {
  const TwoReluModel model(kCentered);
  const TwoReluModel::Vector start = dead_point_state();
  std::array<double, 4> l{}, y{};
  TwoReluModel::Vector g{};
  model.evaluate(start, l.data(), y.data(), g);
  const Temperature t = temperature(l);
  REQUIRE(t.uncertainty > t.temperature);
  CHECK(t.imbalance == Approx(t.uncertainty * t.uncertainty));
  const double threshold = 0.5 * (t.uncertainty + t.temperature);
  const TrainingSettings settings{0.01, 1, 0.01};
  for (GateVariable variable : {GateVariable::temperature, GateVariable::uncertainty}) {
    TwoReluModel::Vector theta = start;
    RandomStream noise(1, {1}), restarts(1, {2});
    const NoiseRule rule{Gate::temperature, threshold, 0.1, 0.0, variable};
    const TrainingResult r = train(model, theta, settings, rule, RestartRule{}, noise, restarts);
    CHECK(r.injections == (variable == GateVariable::uncertainty ? 1 : 0));
    if (r.injections) CHECK(r.noise_amplitude_sum == Approx(t.temperature * 0.1).epsilon(1e-14));
  }
}

TEST_CASE("an output exactly at the cut counts as the high class only under the inclusive cut") {
  TwoReluModel model(kCentered);
  CHECK_FALSE(model.right(0.5, 1.0));
  CHECK(model.right(0.5, 0.0));
  model.set_inclusive_cut(true);
  CHECK(model.right(0.5, 1.0));
  CHECK_FALSE(model.right(0.5, 0.0));
}

// The author's early stops, written again from the rule: the run ends at t+1 for the first t
// whose loss is below the floor or that leaves the loss unimproved for more than `patience` epochs.
int expected_end(const std::vector<double>& loss, int budget, double floor, int patience, double delta) {
  double best = std::numeric_limits<double>::infinity();
  int stale = 0;
  for (int t = 0; t < budget; ++t) {
    if (floor > 0.0 && loss[t] < floor) return t + 1;
    if (patience > 0) {
      if (best - loss[t] > delta) {
        best = loss[t];
        stale = 0;
      } else if (++stale > patience) {
        return t + 1;
      }
    }
    if (loss[t] < best) best = loss[t];
  }
  return budget;
}

TEST_CASE("early stops end a run where the author's rules say, and the rest of its trace is missing") {
  const TwoReluModel model(kCentered);
  InitLaw law;
  law.weights = WeightLaw::normal;
  law.biases = BiasLaw::zero;
  int patience_stops = 0, floor_stops = 0;
  for (int s = 0; s < 40; ++s) {
    TwoReluModel::Vector theta{};
    RandomStream init(9, {static_cast<std::uint64_t>(s)}), noise(9, {1}), restarts(9, {2});
    initialise(model, theta, init, 1.0, {}, &law);
    TrainingSettings settings{0.01, 800, 0.01};
    settings.beta2 = 0.99;
    settings.loss_floor = 1e-7;
    settings.patience = 10;
    TrainingTrace trace;
    trace.resize(800, 6);
    const TrainingResult r = train(model, theta, settings, NoiseRule{}, RestartRule{}, noise, restarts, &trace);
    const int end = expected_end(trace.loss, 800, 1e-7, 10, 1e-24);
    CHECK(r.epochs_run == end);
    CHECK(r.final_loss == trace.loss[end]);
    if (end < 800) {
      CHECK(trace.loss[end + 1] == -1.0);
      (trace.loss[end - 1] < 1e-7 ? floor_stops : patience_stops)++;
    }
  }
  CHECK(patience_stops > 0);
  CHECK(floor_stops > 0);
}

TEST_CASE("per-arm budgets, both convergence times and the stream are stored per run") {
  ExperimentSpec spec = small_spec({Arm::baseline, Arm::eda}, 8, 300);
  spec.arm_epochs[static_cast<int>(Arm::baseline)] = 120;
  spec.traces = 2;
  ExperimentResult result(spec);
  for (int s = 0; s < spec.seeds; ++s) run_unit(spec, 0, s, result);
  CHECK(result.epochs == 300);
  for (int s = 0; s < spec.seeds; ++s) {
    CHECK(result.run(0, 0, s).epochs_run == 120);
    CHECK(result.run(0, 1, s).epochs_run == 300);
  }
  CHECK(result.trace_loss[result.trace_offset(0, 0, 0) + 121] == -1.0);
  CHECK(result.trace_loss[result.trace_offset(0, 0, 0) + 120] >= 0.0);
  const ArmSummary eda = summarize(spec, result, 0, 1);
  CHECK(eda.epochs_run_median == 300.0);
  // Another stream: other initialisations; stream 0 is unchanged by the option.
  ExperimentSpec fresh = spec;
  fresh.stream = 1;
  ExperimentResult other(fresh);
  run_unit(fresh, 0, 0, other);
  CHECK(std::vector<double>(other.initial_parameters.begin(), other.initial_parameters.begin() + 6) !=
        std::vector<double>(result.initial_parameters.begin(), result.initial_parameters.begin() + 6));
}

TEST_CASE("a run whose outputs all sit at the cut is trapped, whatever its accuracy label") {
  // Unit 0 answers 0.5 everywhere and unit 1 is off: a stationary point with uniform losses.
  ExperimentSpec spec = small_spec({Arm::baseline, Arm::eda}, 2, 50);
  spec.init.values = {0.0, 0.0, 0.5, 0.0, 0.0, -1.0, 1.0, 1.0, 0.0, 1.0, -1.0, 0.0};
  spec.init.file = "test";
  ExperimentResult result(spec);
  for (int s = 0; s < spec.seeds; ++s) run_unit(spec, 0, s, result);
  CHECK(result.run(0, 0, 0).trapped);
  CHECK(result.run(0, 0, 0).accuracy == 0.5);  // 0.5 > 0.5 is false: the two low targets are right
  CHECK_FALSE(result.run(0, 0, 1).trapped);
  CHECK(std::vector<double>(result.initial_parameters.begin(), result.initial_parameters.end()) == spec.init.values);
  CHECK(summarize(spec, result, 0, 0).trapped == 1);
  spec.inclusive_cut = true;
  ExperimentResult inclusive(spec);
  run_unit(spec, 0, 0, inclusive);
  CHECK(inclusive.run(0, 0, 0).trapped);
  CHECK(inclusive.run(0, 0, 0).accuracy == 0.5);  // now the two high targets are right
}

TEST_CASE("the constant-noise control matches eda's summed variance under --constant-noise-match variance") {
  for (NoiseMatch match : {NoiseMatch::amplitude, NoiseMatch::variance}) {
    ExperimentSpec spec = small_spec({Arm::eda, Arm::constant_noise}, 4, 800);
    spec.noise_match = match;
    spec.traces = 4;
    ExperimentResult result(spec);
    for (int s = 0; s < spec.seeds; ++s) run_unit(spec, 0, s, result);
    for (int s = 0; s < spec.seeds; ++s) {
      if (result.run(0, 0, s).injections < 20 || result.run(0, 1, s).failure == FailureKind::diverged) continue;
      double eda_sum = 0.0, eda_squares = 0.0, constant_sum = 0.0, constant_squares = 0.0;
      for (int t = 0; t <= spec.epochs; ++t) {
        const double e = result.trace_noise[result.trace_offset(0, 0, s) + t];
        const double c = result.trace_noise[result.trace_offset(0, 1, s) + t];
        eda_sum += e;
        eda_squares += e * e;
        constant_sum += c;
        constant_squares += c * c;
      }
      // |s eps|^2 has mean 6 s^2 and |s eps| mean about 2.35 s: both ratios fluctuate by a few %.
      if (match == NoiseMatch::variance)
        CHECK(constant_squares == Approx(eda_squares).epsilon(0.15));
      else
        CHECK(constant_sum == Approx(eda_sum).epsilon(0.15));
    }
  }
}
