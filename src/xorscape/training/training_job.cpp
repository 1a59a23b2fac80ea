#include "xorscape/training/training_job.hpp"

#include <algorithm>
#include <sstream>

#include "xorscape/core/rng.hpp"
#include "xorscape/training/training_file.hpp"

namespace xorscape::training {

namespace {

// Stream keys: every run's random numbers are keyed by its seed index.
enum StreamKey : std::uint64_t { kInitKey = 1, kBatchKey = 2, kProposalKey = 3 };

}  // namespace

std::vector<TrainingRun> initial_runs(const TrainingPlan& plan) {
  const int D = plan.spec.architecture.dimension();
  std::vector<TrainingRun> runs;
  runs.reserve(plan.run_count());
  for (double eta : plan.etas)
    for (int s = 0; s < plan.seeds; ++s) {
      const auto index = static_cast<std::uint64_t>(s);
      TrainingRun run;
      if (plan.init.uniform) {
        RandomStream stream(plan.seed, {kInitKey, index});
        run.initial.resize(D);
        for (double& v : run.initial) v = stream.uniform(plan.init.lo, plan.init.hi);
      } else {
        run.initial = plan.init.point;
      }
      run.state.params = run.initial;
      run.state.eta = eta;
      run.state.batch_key = RandomStream(plan.seed, {kBatchKey, index}).next();
      run.state.proposal_key = RandomStream(plan.seed, {kProposalKey, index}).next();
      runs.push_back(std::move(run));
    }
  return runs;
}

double estimated_memory(const TrainingPlan& plan) {
  const TrainSpec& spec = plan.spec;
  const double D = spec.architecture.dimension();
  const double n_h = spec.architecture.n_hidden;
  const double points = spec.record == RecordLevel::none
                            ? 0.0
                            : static_cast<double>(record_schedule(spec.points_per_decade, spec.max_epochs).size());
  // epoch, loss, batch loss; with full records also D parameters, 4 n_h hidden and 4 output activations.
  const double per_point = spec.record == RecordLevel::full ? D + 4.0 * n_h + 7.0 : 3.0;
  // initial and current parameters (and Adam's two moments), the output's rows, fixed parts.
  const double state = (spec.optimizer.optimizer == Optimizer::adam ? 6.0 : 4.0) * D + 32.0;
  return static_cast<double>(plan.run_count()) * 8.0 * (points * per_point + state) + 512.0;
}

TrainingSummary summarise(const TrainingPlan& plan, const std::vector<TrainingRun>& runs) {
  TrainingSummary summary;
  const XorLoss loss(plan.spec.architecture, plan.spec.dataset);
  for (const TrainingRun& run : runs) {
    summary.final_loss.push_back(loss.value(run.state.params));
    const auto window = plan.fit_window ? *plan.fit_window : default_fit_window(run.trace);
    summary.fits.push_back(fit_power_law(run.trace.epoch, run.trace.loss, window.first, window.second));
  }
  const std::size_t S = static_cast<std::size_t>(plan.seeds);
  summary.converged_fraction.assign(plan.etas.size(), 0.0);
  for (std::size_t e = 0; e < plan.etas.size(); ++e)
    for (std::size_t s = 0; s < S && e * S + s < runs.size(); ++s)
      summary.converged_fraction[e] += runs[e * S + s].converged_epoch >= 0 ? 1.0 / static_cast<double>(S) : 0.0;
  return summary;
}

TrainingJob::TrainingJob(TrainingPlan plan) : plan_(std::move(plan)), runs_(initial_runs(plan_)) {}

std::string TrainingJob::identity() const {
  const TrainSpec& s = plan_.spec;
  const OptimizerSettings& o = s.optimizer;
  std::ostringstream id;
  id.precision(17);
  id << "xorscape-train n_h=" << s.architecture.n_hidden << " hidden=" << to_string(s.architecture.hidden)
     << " output=" << to_string(s.architecture.output) << " data=" << s.dataset.name
     << " optimizer=" << to_string(o.optimizer) << " batch=" << (uses_randomized_batches(o) ? "randomized" : "nonrandomized")
     << " adam=" << o.adam.beta1 << ',' << o.adam.beta2 << ',' << o.adam.epsilon << " mc_step=" << o.mc_step
     << " etas=";
  for (double eta : plan_.etas) id << eta << ',';
  id << " seeds=" << plan_.seeds << " init=";
  if (plan_.init.uniform) {
    id << "uniform[" << plan_.init.lo << ',' << plan_.init.hi << ')';
  } else {
    for (double v : plan_.init.point) id << v << ',';
  }
  id << " epochs=" << s.max_epochs << " threshold=" << s.threshold << " record=" << to_string(s.record)
     << " points_per_decade=" << s.points_per_decade << " fast_path=" << fast_path_applies(s) << " seed=" << plan_.seed;
  return id.str();
}

bool TrainingJob::finished() const {
  return std::all_of(runs_.begin(), runs_.end(), [](const TrainingRun& run) { return run.finished; });
}

double TrainingJob::fraction_done() const {
  const double budget = static_cast<double>(plan_.spec.max_epochs);
  if (runs_.empty()) return 1.0;
  double done = 0.0;
  for (const TrainingRun& run : runs_)
    done += run.finished ? budget : std::min(budget, static_cast<double>(run.state.epoch));
  return done / (budget * static_cast<double>(runs_.size()));
}

void TrainingJob::advance(const RunControl& control) {
  if (train(plan_.spec, runs_, control)) summary_ = summarise(plan_, runs_);
}

void TrainingJob::save(const h5::Group& group) const { write_training_state(group, plan_, runs_); }

void TrainingJob::load(const h5::Group& group) {
  read_training_state(group, plan_, runs_);
  if (finished()) summary_ = summarise(plan_, runs_);
}

}  // namespace xorscape::training
