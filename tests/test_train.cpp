// Training: the SIMD kernel against the reference path, determinism, resume, optimisers, fits.
#include <catch2/catch.hpp>
#include <omp.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "xorscape/io/checkpoint.hpp"
#include "xorscape/training/converge.hpp"
#include "xorscape/training/optimize.hpp"
#include "xorscape/core/parameters.hpp"
#include "xorscape/core/rng.hpp"
#include "xorscape/core/run_control.hpp"
#include "xorscape/kernels/train_kernels.hpp"
#include "xorscape/training/training.hpp"
#include "xorscape/training/training_file.hpp"
#include "xorscape/training/training_job.hpp"

using namespace xorscape;

namespace {

double relative_difference(const Params& a, const Params& b) {
  double worst = 0.0;
  for (size_t k = 0; k < a.size(); ++k)
    worst = std::max(worst, std::fabs(a[k] - b[k]) / std::max(1.0, std::fabs(b[k])));
  return worst;
}

// Kernel and reference side by side for `epochs` epochs from `start`; returns the worst
// per-epoch relative difference of the parameters and of the full loss.
double kernel_vs_reference(const Params& start, Optimizer optimizer, double eta, int epochs, kernels::SimdLevel level) {
  const Dataset data = dataset_by_name("xor");
  const XorLoss loss({2}, data);
  OptimizerSettings settings;
  settings.optimizer = optimizer;
  RunState state;
  state.params = start;
  state.eta = eta;
  state.batch_key = 12345;
  kernels::SigmoidTrainBlock block;
  block.active[3] = true;
  for (int k = 0; k < 9; ++k) block.params[k][3] = start[k];
  block.eta[3] = eta;
  block.batch_key[3] = state.batch_key;
  double worst = 0.0;
  double full_sum = 0.0;
  for (int e = 0; e < epochs; ++e) {
    kernels::SigmoidTrainChunk chunk;
    chunk.first_epoch = e;
    chunk.epochs = 1;
    chunk.randomized = optimizer == Optimizer::sgd;
    chunk.full_loss_sum = &full_sum;
    full_sum = 0.0;
    kernels::advance_sigmoid2(block, data, chunk, level);
    const EpochLosses reference = reference_epoch(loss, settings, state);
    Params fast(9);
    for (int k = 0; k < 9; ++k) fast[k] = block.params[k][3];
    worst = std::max(worst, relative_difference(fast, state.params));
    worst = std::max(worst, std::fabs(full_sum - reference.full) / reference.full);
  }
  return worst;
}

}  // namespace

TEST_CASE("the kernel's exponential is within 2 ulp of std::exp and finite for any argument") {
  RandomStream stream(7);
  for (int i = 0; i < 100000; ++i) {
    const double x = -stream.uniform(0.0, 700.0);
    const double exact = std::exp(x);
    INFO("x = " << x);
    REQUIRE(std::fabs(kernels::fast_exp_nonpositive(x) - exact) <= 4.5e-16 * exact);
  }
  for (double x : {-1e300, -1e10, -745.0, -708.0})
    CHECK(std::isfinite(kernels::fast_exp_nonpositive(x)));
  CHECK(kernels::fast_exp_nonpositive(0.0) == 1.0);
}

TEST_CASE("the SIMD kernel follows the reference path within 1e-12 per epoch for gd and sgd") {
  RandomStream stream(3);
  for (kernels::SimdLevel level : kernels::training_simd_levels()) {
    for (Optimizer optimizer : {Optimizer::gd, Optimizer::sgd}) {
      for (int trial = 0; trial < 4; ++trial) {
        Params start(9);
        for (double& v : start) v = trial == 0 ? 0.1 * stream.uniform() : stream.uniform(-8.0, 8.0);
        INFO("level " << kernels::to_string(level) << " optimizer " << to_string(optimizer) << " trial " << trial);
        CHECK(kernel_vs_reference(start, optimizer, trial == 3 ? 5.0 : 0.1, 20000, level) < 1e-12);
      }
    }
  }
}

TEST_CASE("the SIMD kernel follows a 200000-epoch reference run through the drop to the basin") {
  // From the default initialisation the loss stays near 0.25, then drops (about 7e4 epochs).
  Params start(9);
  RandomStream stream(1, {1, 0});
  for (double& v : start) v = 0.1 * stream.uniform();
  TrainSpec spec;
  spec.dataset = dataset_by_name("xor");
  spec.optimizer.optimizer = Optimizer::gd;
  spec.max_epochs = 200000;
  spec.threshold = 0.0;
  spec.record = RecordLevel::none;
  std::vector<TrainingRun> fast(1), reference(1);
  fast[0].state.params = reference[0].state.params = start;
  fast[0].state.eta = reference[0].state.eta = 0.5;
  train(spec, fast);
  spec.fast_path = false;
  train(spec, reference);
  const XorLoss loss({2}, spec.dataset);
  CHECK(loss.value(reference[0].state.params) < 0.01);
  CHECK(relative_difference(fast[0].state.params, reference[0].state.params) < 1e-9);
}

TEST_CASE("every SIMD level of the training kernel gives bit-identical results") {
  const auto levels = kernels::training_simd_levels();
  const Dataset data = dataset_by_name("xor");
  std::vector<kernels::SigmoidTrainBlock> blocks(levels.size());
  RandomStream stream(11);
  kernels::SigmoidTrainBlock start;
  for (int j = 0; j < kernels::kTrainLanes; ++j) {
    start.active[j] = true;
    start.eta[j] = 0.05 * (j + 1);
    start.batch_key[j] = stream.next();
    for (int k = 0; k < 9; ++k) start.params[k][j] = stream.uniform(-3.0, 3.0);
  }
  kernels::SigmoidTrainChunk chunk;
  chunk.epochs = 50000;
  chunk.randomized = true;
  chunk.threshold = 0.005;
  for (size_t i = 0; i < levels.size(); ++i) {
    blocks[i] = start;
    kernels::advance_sigmoid2(blocks[i], data, chunk, levels[i]);
  }
  for (size_t i = 1; i < levels.size(); ++i)
    for (int j = 0; j < kernels::kTrainLanes; ++j) {
      CHECK(blocks[i].converged_epoch[j] == blocks[0].converged_epoch[j]);
      for (int k = 0; k < 9; ++k) CHECK(blocks[i].params[k][j] == blocks[0].params[k][j]);
    }
}

TEST_CASE("randomized batches draw every case with probability 1/4, independently per epoch") {
  BatchSequence batches(99);
  std::array<double, 4> frequency{};
  int repeated = 0;
  const int epochs = 200000;
  for (int e = 0; e < epochs; ++e) {
    const auto counts = batches.counts(e);
    for (int m = 0; m < 4; ++m) frequency[m] += counts[m] / (4.0 * epochs);
    repeated += batches.at(e) == batches.at(e + 1);
  }
  for (double f : frequency) CHECK(f == Approx(0.25).margin(0.003));
  // 256 equally likely ordered batches: consecutive epochs repeat with probability 1/256,
  // 781 +- 28 times in 200000 epochs if epochs are independent.
  CHECK(repeated == Approx(epochs / 256.0).margin(150));
}

namespace {
TrainSpec small_spec(Optimizer optimizer, int n_hidden) {
  TrainSpec spec;
  spec.architecture = Architecture{n_hidden};
  spec.dataset = dataset_by_name("xor");
  spec.optimizer.optimizer = optimizer;
  spec.optimizer.batch = BatchMode::randomized;
  spec.max_epochs = 30000;
  spec.points_per_decade = 20;
  return spec;
}
std::vector<TrainingRun> seeded_runs(const TrainSpec& spec, int count) {
  std::vector<TrainingRun> runs(count);
  for (int r = 0; r < count; ++r) {
    RandomStream stream(5, {1, static_cast<std::uint64_t>(r)});
    runs[r].initial.resize(spec.architecture.dimension());
    for (double& v : runs[r].initial) v = stream.uniform(-2.0, 2.0);
    runs[r].state.params = runs[r].initial;
    runs[r].state.eta = 0.1 * (1 + r % 3);
    runs[r].state.batch_key = stream.next();
    runs[r].state.proposal_key = stream.next();
  }
  return runs;
}
void require_same(const std::vector<TrainingRun>& a, const std::vector<TrainingRun>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t r = 0; r < a.size(); ++r) {
    INFO("run " << r);
    CHECK(a[r].state.params == b[r].state.params);
    CHECK(a[r].state.epoch == b[r].state.epoch);
    CHECK(a[r].converged_epoch == b[r].converged_epoch);
    CHECK(a[r].trace.epoch == b[r].trace.epoch);
    CHECK(a[r].trace.loss == b[r].trace.loss);
    CHECK(a[r].trace.parameters == b[r].trace.parameters);
    CHECK(a[r].trace.hidden == b[r].trace.hidden);
  }
}
}  // namespace

TEST_CASE("training results do not depend on the thread count") {
  for (Optimizer optimizer : {Optimizer::gd, Optimizer::sgd, Optimizer::adam, Optimizer::mc0}) {
    INFO("optimizer " << to_string(optimizer));
    const TrainSpec spec = small_spec(optimizer, 2);
    auto one = seeded_runs(spec, 19);
    auto two = one;
    omp_set_num_threads(1);
    train(spec, one);
    omp_set_num_threads(2);
    train(spec, two);
    require_same(one, two);
  }
}

TEST_CASE("a run stopped by a signal and resumed ends exactly as an uninterrupted run") {
  for (Optimizer optimizer : {Optimizer::sgd, Optimizer::adam}) {
    INFO("optimizer " << to_string(optimizer));
    TrainSpec spec = small_spec(optimizer, 2);
    spec.max_epochs = 300000;
    auto whole = seeded_runs(spec, 10);
    auto parts = whole;
    REQUIRE(train(spec, whole));
    // Stop once some epochs are done (the progress sink is the signal handler's stand-in).
    RunControl control;
    control.set_progress_sink([&](double done, double) {
      if (done > 1000) control.request_stop();
    });
    const bool finished = train(spec, parts, control);
    CHECK_FALSE(finished);
    REQUIRE(train(spec, parts));
    require_same(whole, parts);
  }
}

TEST_CASE("zero-temperature Monte Carlo never accepts a move that raises the loss") {
  TrainSpec spec = small_spec(Optimizer::mc0, 2);
  spec.optimizer.batch = BatchMode::nonrandomized;
  spec.points_per_decade = 200;
  spec.threshold = 0.0;
  auto runs = seeded_runs(spec, 3);
  train(spec, runs);
  for (const auto& run : runs) {
    for (size_t i = 1; i < run.trace.size(); ++i) CHECK(run.trace.loss[i] <= run.trace.loss[i - 1]);
    CHECK(run.state.accepted > 0);
    CHECK(run.trace.loss.back() < run.trace.loss.front());
  }
}

TEST_CASE("gd from the default initialisation with n_h = 2 solves XOR like solution 1") {
  TrainSpec spec = small_spec(Optimizer::sgd, 2);
  spec.max_epochs = 400000;
  std::vector<TrainingRun> runs(1);
  RandomStream stream(1, {1, 0});
  runs[0].state.params.resize(9);
  for (double& v : runs[0].state.params) v = 0.1 * stream.uniform();
  runs[0].state.eta = 0.1;
  runs[0].state.batch_key = 77;
  train(spec, runs);
  const Params& p = runs[0].state.params;
  CHECK(runs[0].converged_epoch > 20000);
  CHECK(runs[0].converged_epoch < 200000);
  // Both hidden neurons weigh the two inputs equally (w1_i1 = w1_i2), as in solution 1.
  CHECK(p[0] == Approx(p[1]).margin(0.1));
  CHECK(p[2] == Approx(p[3]).margin(0.1));
}

TEST_CASE("the power-law fit recovers the exponent of a clean power law") {
  std::vector<std::int64_t> epochs = record_schedule(20, 10000000);
  std::vector<double> losses;
  for (auto e : epochs) losses.push_back(3.0 * std::pow(std::max<std::int64_t>(e, 1), -1.2));
  const PowerLawFit fit = fit_power_law(epochs, losses, 1000, 10000000);
  REQUIRE(fit.ok);
  CHECK(fit.gamma == Approx(1.2).margin(1e-9));
  CHECK(fit.amplitude == Approx(3.0).epsilon(1e-9));
  CHECK(fit.gamma_error < 1e-9);
  CHECK_FALSE(fit_power_law(epochs, losses, 1000, 1001).ok);
}

TEST_CASE("the record schedule is log-spaced, starts at 0 and never repeats an epoch") {
  const auto s = record_schedule(10, 1000000);
  CHECK(s.front() == 0);
  CHECK(s.back() == 1000000);
  for (size_t i = 1; i < s.size(); ++i) CHECK(s[i] > s[i - 1]);
  CHECK(s.size() < 70);
}

TEST_CASE("tau_conv is 0 at an unshifted solution and the SIMD and reference paths agree") {
  ConvergeSpec spec;
  spec.dataset = dataset_by_name("xor");
  spec.center = published_solution(1).parameters;
  spec.runs = 5;
  spec.max_epochs = 20000;
  CHECK(converge_from(spec, 0, 0.0).tau_conv == 0);
  const ConvergeOutcome fast = converge_from(spec, 4, -4.0);
  spec.fast_path = false;
  const ConvergeOutcome reference = converge_from(spec, 4, -4.0);
  CHECK(fast.tau_conv > 0);
  CHECK(fast.tau_conv == reference.tau_conv);
  CHECK(fast.converged_runs == reference.converged_runs);
}

namespace {
training::TrainingPlan small_plan(Optimizer optimizer) {
  training::TrainingPlan plan;
  plan.spec = small_spec(optimizer, 2);
  plan.spec.optimizer.batch = optimizer == Optimizer::mc0 ? BatchMode::nonrandomized : BatchMode::randomized;
  plan.spec.max_epochs = 120000;
  plan.etas = {0.1, 0.5};
  plan.seeds = 3;
  plan.sweep = true;
  plan.seed = 31;
  return plan;
}
std::filesystem::path scratch(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("xorscape-train-" + name + "-" + std::to_string(::getpid()) + ".h5");
}
}  // namespace

TEST_CASE("a training job saved at every stop and loaded into a fresh job ends as an uninterrupted job") {
  for (Optimizer optimizer : {Optimizer::sgd, Optimizer::adam, Optimizer::mc0}) {
    for (bool fast : {true, false}) {
      if (!fast && optimizer != Optimizer::sgd) continue;
      INFO("optimizer " << to_string(optimizer) << (fast ? "" : " (reference path)"));
      training::TrainingPlan plan = small_plan(optimizer);
      plan.spec.fast_path = fast;
      omp_set_num_threads(2);
      training::TrainingJob whole(plan);
      whole.advance(RunControl());
      REQUIRE(whole.finished());
      // Stop after every few thousand epochs, checkpoint, continue in a new job from the file.
      // One thread: progress is reported by thread 0, which then runs every block.
      omp_set_num_threads(1);
      const auto path = scratch("resume");
      auto job = std::make_unique<training::TrainingJob>(plan);
      int stops = 0;
      while (!job->finished()) {
        RunControl control;
        double first = -1.0;
        control.set_progress_sink([&](double done, double) {
          if (first < 0.0) first = done;
          if (done > first + 5000.0) control.request_stop();
        });
        job->advance(control);
        if (job->finished()) break;
        ++stops;
        io::save_checkpoint(path, *job, h5::Provenance{"test", "", 31, 1, {}});
        job = std::make_unique<training::TrainingJob>(plan);
        io::load_checkpoint(path, *job);
      }
      std::filesystem::remove(path);
      CHECK(stops > 3);
      require_same(whole.runs(), job->runs());
      CHECK(whole.summary().final_loss == job->summary().final_loss);
      CHECK(whole.summary().converged_fraction == job->summary().converged_fraction);
    }
  }
}

TEST_CASE("a checkpoint of another plan is refused") {
  const training::TrainingPlan plan = small_plan(Optimizer::sgd);
  training::TrainingPlan other = plan;
  other.etas[1] = 0.6;
  CHECK(training::TrainingJob(plan).identity() != training::TrainingJob(other).identity());
  other = plan;
  other.init.uniform = false;
  other.init.point = published_solution(1).parameters;
  CHECK(training::TrainingJob(plan).identity() != training::TrainingJob(other).identity());
}

TEST_CASE("the summary holds each run's final loss, its fit and the converged fraction per learning rate") {
  training::TrainingPlan plan = small_plan(Optimizer::sgd);
  plan.etas = {0.001, 0.1};
  plan.spec.max_epochs = 100000;
  training::TrainingJob job(plan);
  job.advance(RunControl());
  const training::TrainingSummary& summary = job.summary();
  REQUIRE(summary.final_loss.size() == 6);
  REQUIRE(summary.fits.size() == 6);
  const XorLoss loss(plan.spec.architecture, plan.spec.dataset);
  for (std::size_t r = 0; r < 6; ++r) CHECK(summary.final_loss[r] == loss.value(job.runs()[r].state.params));
  // From 0.1 r, eta = 0.001 cannot converge in 1e5 epochs; eta = 0.1 needs about 7e4.
  CHECK(summary.converged_fraction[0] == 0.0);
  int converged = 0;
  for (std::size_t s = 3; s < 6; ++s) converged += job.runs()[s].converged_epoch >= 0;
  CHECK(summary.converged_fraction[1] == Approx(converged / 3.0).margin(1e-15));
}

TEST_CASE("the memory estimate grows with runs, records and network size") {
  training::TrainingPlan plan;
  plan.spec.record = RecordLevel::full;
  plan.etas = {0.1};
  plan.seeds = 10000000;
  // 1e7 runs x about 260 recorded epochs x (9 + 8 + 7) values x 8 bytes: hundreds of GB.
  CHECK(training::estimated_memory(plan) > 2e11);
  plan.spec.record = RecordLevel::none;
  CHECK(training::estimated_memory(plan) < 1e10);
  plan.seeds = 1;
  plan.spec.record = RecordLevel::full;
  CHECK(training::estimated_memory(plan) < 1e6);
}

TEST_CASE("a train file is read back: runs, traces, sweep and its parameter points") {
  training::TrainingPlan plan = small_plan(Optimizer::sgd);
  plan.spec.max_epochs = 3000;
  plan.spec.record = RecordLevel::full;
  training::TrainingJob job(plan);
  job.advance(RunControl());
  const auto path = scratch("file");
  {
    h5::OutputFile file(path, true);
    training::write_training(file.root(), job);
    file.commit();
  }
  h5::InputFile file(path);
  const h5::Group& root = file.root();
  CHECK(root.read_doubles("runs/final_loss") == job.summary().final_loss);
  CHECK(root.read_ints("sweep/converged_epoch").size() == 6);
  CHECK(root.scale_path("runs/final_parameters", 1) == "/parameter_names");
  CHECK(root.scale_path("traces/run_00004/hidden", 1) == "/case_neuron");
  CHECK(root.scale_path("traces/run_00004/output", 1) == "/case");
  CHECK(root.read_strings("case_neuron").at(1) == "case1:a1_2");
  CHECK(root.read_doubles("traces/run_00004/parameters").size() == job.runs()[4].trace.parameters.size());
  CHECK(training::read_point(root, io::parse_selector("run=4")) == job.runs()[4].state.params);
  CHECK(training::read_point(root, io::parse_selector("run=4,initial")) == job.runs()[4].initial);
  CHECK_THROWS_WITH(training::read_point(root, io::parse_selector("")), Catch::Contains("run=0"));
  CHECK_THROWS_WITH(training::read_point(root, io::parse_selector("run=6")), Catch::Contains("does not exist"));
  std::filesystem::remove(path);
}
