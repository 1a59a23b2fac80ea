#include "xorscape/annealing/experiment_job.hpp"

#include <omp.h>

#include <atomic>
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
  s << " points=";
  for (const SweepPoint& p : spec.points)
    s << p.learning_rate << "/" << p.init_scale << "/" << p.threshold << "/" << p.base_noise << ";";
  return s.str();
}

bool ExperimentJob::finished() const {
  return std::find(result_.done.begin(), result_.done.end(), 0) == result_.done.end();
}

double ExperimentJob::fraction_done() const {
  return result_.done.empty() ? 1.0
                              : static_cast<double>(result_.completed_units()) / static_cast<double>(result_.done.size());
}

void ExperimentJob::advance(const RunControl& control) {
  const auto units = static_cast<std::int64_t>(result_.done.size());
  std::atomic<std::int64_t> finished{result_.completed_units()};
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t u = 0; u < units; ++u) {
    if (result_.done[u] || control.stop_requested()) continue;
    if (!run_unit(spec_, static_cast<int>(u / spec_.seeds), static_cast<int>(u % spec_.seeds), result_, control))
      continue;
    const std::int64_t now = ++finished;
    if (stop_after_ > 0 && now >= stop_after_) control.request_stop();
    if (omp_get_thread_num() == 0) control.progress(static_cast<double>(now), static_cast<double>(units));
  }
}

void ExperimentJob::save(const h5::Group& group) const { write_state(group, spec_, result_); }

void ExperimentJob::load(const h5::Group& group) { read_state(group, result_); }

}  // namespace xorscape::annealing
