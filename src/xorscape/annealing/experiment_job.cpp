#include "xorscape/annealing/experiment_job.hpp"

#include <omp.h>

#include <atomic>
#include <bit>
#include <sstream>

#include "xorscape/annealing/annealing_file.hpp"

namespace xorscape::annealing {

ExperimentJob::ExperimentJob(ExperimentSpec spec) : spec_(std::move(spec)), result_(spec_) {}

std::string ExperimentJob::identity() const {
  const ExperimentSpec& spec = spec_;
  std::ostringstream s;
  s.precision(17);
  s << "xorscape-anneal " << to_string(spec.model) << " n_h=" << spec.architecture.n_hidden
    << " hidden=" << to_string(spec.architecture.hidden) << " output=" << to_string(spec.architecture.output)
    << " data=" << spec.data.name << " epochs=" << spec.epochs << " converged_loss=" << spec.converged_loss
    << " restart=" << spec.restart_window << "/" << spec.restart_tolerance << " seeds=" << spec.seeds
    << " seed=" << spec.seed << " traces=" << spec.traces << " arms=";
  for (Arm a : spec.arms) s << to_string(a) << ",";
  s << " center=";
  for (double c : spec.center) s << c << ",";
  s << " arm_epochs=";
  for (int e : spec.arm_epochs) s << e << ",";
  s << " arm_patience=";
  for (int e : spec.arm_patience) s << e << ",";
  s << " patience=" << spec.patience << "/" << spec.patience_delta << " loss_floor=" << spec.loss_floor
    << " adam=" << spec.beta1 << "/" << spec.beta2 << "/" << spec.epsilon << " gate=" << to_string(spec.gate_variable)
    << " cut=" << (spec.inclusive_cut ? ">=" : ">") << " trap=" << spec.trap_tolerance
    << " match=" << to_string(spec.noise_match) << " init=" << spec.init.describe() << " stream=" << spec.stream;
  // A file's initialisations enter through a digest of their values.
  std::uint64_t digest = 1469598103934665603ull;
  for (double v : spec.init.values) digest = (digest ^ std::bit_cast<std::uint64_t>(v)) * 1099511628211ull;
  s << " init_values=" << spec.init.values.size() << "/" << digest;
  s << " replicate=" << spec.replicate_seeds << "/" << spec.replicate_stream << "/" << to_string(spec.best_arm);
  s << " points=";
  for (const SweepPoint& p : spec.points)
    s << p.learning_rate << "/" << p.init_scale << "/" << p.threshold << "/" << p.base_noise << ";";
  return s.str();
}

namespace {

bool all_done(const ExperimentResult& result) {
  return std::find(result.done.begin(), result.done.end(), 0) == result.done.end();
}

// Runs the units of one experiment not done yet; `finished` counts units over the whole job.
void run_units(const ExperimentSpec& spec, ExperimentResult& result, const RunControl& control,
               std::atomic<std::int64_t>& finished, std::int64_t total, std::int64_t stop_after) {
  const auto units = static_cast<std::int64_t>(result.done.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t u = 0; u < units; ++u) {
    if (result.done[u] || control.stop_requested()) continue;
    if (!run_unit(spec, static_cast<int>(u / spec.seeds), static_cast<int>(u % spec.seeds), result, control)) continue;
    const std::int64_t now = ++finished;
    if (stop_after > 0 && now >= stop_after) control.request_stop();
    if (omp_get_thread_num() == 0) control.progress(static_cast<double>(now), static_cast<double>(total));
  }
}

}  // namespace

int best_point(const ExperimentSpec& spec, const ExperimentResult& result) {
  const auto at = std::find(spec.arms.begin(), spec.arms.end(), spec.best_arm);
  const int arm = at == spec.arms.end() ? 0 : static_cast<int>(at - spec.arms.begin());
  int best = 0;
  double best_rate = -1.0;
  for (int p = 0; p < result.points; ++p) {
    const double rate = summarize(spec, result, p, arm).success_rate;
    if (rate > best_rate) {
      best_rate = rate;
      best = p;
    }
  }
  return best;
}

void ExperimentJob::start_replication(int best) {
  best_point_ = best;
  replica_spec_ = spec_;
  replica_spec_.points = {spec_.points[best]};
  replica_spec_.seeds = spec_.replicate_seeds;
  replica_spec_.stream = spec_.replicate_stream;
  replica_spec_.traces = 0;
  replica_spec_.replicate_seeds = 0;
  replica_spec_.init.values.clear();  // fresh initialisations: the file's rows were the sweep's
  replica_spec_.init.file.clear();
  replica_ = ExperimentResult(replica_spec_);
}

bool ExperimentJob::finished() const { return all_done(result_) && (!replicates() || (best_point_ >= 0 && all_done(replica_))); }

double ExperimentJob::fraction_done() const {
  const double total = static_cast<double>(result_.done.size()) + (replicates() ? spec_.replicate_seeds : 0);
  const double done = static_cast<double>(result_.completed_units() + (best_point_ >= 0 ? replica_.completed_units() : 0));
  return total > 0.0 ? done / total : 1.0;
}

void ExperimentJob::advance(const RunControl& control) {
  const auto total = static_cast<std::int64_t>(result_.done.size()) + (replicates() ? spec_.replicate_seeds : 0);
  std::atomic<std::int64_t> finished{result_.completed_units() + (best_point_ >= 0 ? replica_.completed_units() : 0)};
  run_units(spec_, result_, control, finished, total, stop_after_);
  if (!replicates() || !all_done(result_) || control.stop_requested()) return;
  if (best_point_ < 0) start_replication(annealing::best_point(spec_, result_));
  run_units(replica_spec_, replica_, control, finished, total, stop_after_);
}

void ExperimentJob::save(const h5::Group& group) const {
  write_state(group, spec_, result_);
  if (best_point_ < 0) return;
  const h5::Group replication = group.create_group("replication");
  replication.set_attribute("best_point", static_cast<std::int64_t>(best_point_));
  write_state(replication, replica_spec_, replica_);
}

void ExperimentJob::load(const h5::Group& group) {
  read_state(group, result_);
  if (!group.exists("replication")) return;
  const h5::Group replication = group.open_group("replication");
  start_replication(static_cast<int>(replication.attribute_int("best_point")));
  read_state(replication, replica_);
}

}  // namespace xorscape::annealing
