#include "xorscape/landscape/trajectory_jobs.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace xorscape::trajectory {

namespace {

// Everything about trajectory j that is known before it runs.
TrajectoryRecord prepare(const TrajectoryPlan& plan, std::size_t j) {
  const Start& start = plan.starts.at(j / plan.integrators.size());
  TrajectoryRecord record;
  record.spec = plan.spec;
  record.spec.integrator = plan.integrators.at(j % plan.integrators.size());
  record.moving = start.moving;
  record.start_parameters = start.parameters;
  record.start_loss = plan.loss.value(start.parameters);
  record.plane = plan.plane;
  record.start_source = start.source;
  record.start_note = start.note;
  return record;
}

// FNV-1a over the bytes of the numbers that define the starts (the identity stays one short line
// for any n_h).
std::uint64_t fingerprint(const TrajectoryPlan& plan) {
  std::uint64_t hash = 14695981039346656037ULL;
  auto add = [&](const void* data, std::size_t bytes) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < bytes; ++i) hash = (hash ^ p[i]) * 1099511628211ULL;
  };
  add(plan.center.data(), plan.center.size() * sizeof(double));
  for (const Start& s : plan.starts) {
    add(s.parameters.data(), s.parameters.size() * sizeof(double));
    add(s.moving.data(), s.moving.size() * sizeof(int));
  }
  return hash;
}

}  // namespace

TrajectoryRecord run_trajectory(const TrajectoryPlan& plan, std::size_t j, const RunControl& control) {
  TrajectoryRecord record = prepare(plan, j);
  const RestrictedLoss restricted(plan.loss, record.start_parameters, record.moving);
  record.result = run(restricted, restricted.restrict(record.start_parameters), record.spec, control);
  record.end_parameters = restricted.full(record.result.end);
  record.end_analysis = analyse_end_point(restricted, record.result.end);
  return record;
}

TrajectoryJob::TrajectoryJob(TrajectoryPlan plan)
    : plan_(std::move(plan)), records_(plan_.size()), done_(plan_.size(), 0) {}

std::string TrajectoryJob::identity() const {
  const XorLoss& loss = plan_.loss;
  const TrajectorySpec& s = plan_.spec;
  std::ostringstream id;
  id.precision(17);
  id << "xorscape-trajectory n_h=" << loss.architecture().n_hidden << " hidden=" << to_string(loss.architecture().hidden)
     << " output=" << to_string(loss.architecture().output) << " data=" << loss.dataset().name << " eta=" << s.eta
     << " epochs=" << s.epochs << " threshold=" << s.loss_threshold << " gradient_tolerance=" << s.gradient_tolerance
     << " rtol=" << s.relative_tolerance << " atol=" << s.absolute_tolerance << " max_evaluations=" << s.max_evaluations
     << " thinning=" << s.thinning.per_decade << ',' << s.thinning.arc_step << ',' << s.thinning.loss_step
     << " integrators=";
  for (Integrator i : plan_.integrators) id << to_string(i) << ',';
  if (plan_.plane) id << " plane=" << plan_.plane->first << ',' << plan_.plane->second;
  char hash[24];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fingerprint(plan_)));
  id << " starts=" << plan_.starts.size() << " center_and_starts=" << hash;
  return id.str();
}

bool TrajectoryJob::finished() const { return std::find(done_.begin(), done_.end(), 0) == done_.end(); }

double TrajectoryJob::fraction_done() const {
  return done_.empty() ? 1.0 : static_cast<double>(std::count(done_.begin(), done_.end(), 1)) / done_.size();
}

void TrajectoryJob::advance(const RunControl& control) {
  const auto jobs = static_cast<std::int64_t>(done_.size());
  const double budget = plan_.spec.epochs;
  std::vector<double> reached(done_.size(), 0.0);  // epochs per trajectory (the budget once finished)
  for (std::size_t j = 0; j < done_.size(); ++j)
    if (done_[j]) reached[j] = budget;
  std::mutex mutex;
  auto report = [&](std::size_t j, double epoch) {
    std::lock_guard<std::mutex> lock(mutex);
    reached[j] = epoch;
    control.progress(std::accumulate(reached.begin(), reached.end(), 0.0), budget * static_cast<double>(jobs));
  };
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t j = 0; j < jobs; ++j) {
    if (done_[j] || control.stop_requested() || failed) continue;
    try {
      // The trajectory's own control: its progress goes into the sum, and it stops when the job is
      // interrupted (not at the checkpoint deadline, see trajectory_jobs.hpp).
      RunControl own;
      own.set_progress_sink([&](double epoch, double) {
        report(j, epoch);
        if (control.interrupted()) own.request_stop();
      });
      TrajectoryRecord record = run_trajectory(plan_, j, own);
      if (record.result.outcome == Outcome::stopped) continue;
      records_[j] = std::move(record);
      done_[j] = 1;
      report(j, budget);
    } catch (...) {
#pragma omp critical(trajectory_failure)
      if (!failure) failure = std::current_exception();
      failed = true;
    }
  }
  if (failure) std::rethrow_exception(failure);
}

void TrajectoryJob::save(const h5::Group& group) const {
  std::vector<std::int64_t> done(done_.begin(), done_.end());
  group.write_index_scale("trajectory", done.size(), {"trajectory number j (start j / integrators, integrator j % integrators)"});
  group.write("done", std::span<const std::int64_t>(done), {{"trajectory"}, "1: the trajectory is finished"});
  for (std::size_t j = 0; j < done_.size(); ++j) {
    if (!done_[j]) continue;
    const TrajectoryRecord& r = records_[j];
    const Path& path = r.result.path;
    const h5::Group g = group.create_group(std::to_string(j));
    g.write_scale("epoch", path.epoch);
    g.write_index_scale("coordinate", static_cast<std::size_t>(path.dimension));
    g.write("coordinates", path.coordinates, {{"epoch", "coordinate"}});
    g.write("loss", path.loss, {{"epoch"}});
    g.write("end", r.result.end, {{"coordinate"}});
    g.write("hessian_eigenvalues", r.end_analysis.hessian_eigenvalues, {{"coordinate"}});
    g.set_attribute("outcome", to_string(r.result.outcome));
    g.set_attribute("final_epoch", r.result.final_epoch);
    g.set_attribute("final_loss", r.result.final_loss);
    g.set_attribute("final_gradient_norm", r.result.final_gradient_norm);
    g.set_attribute("evaluations", static_cast<std::int64_t>(r.result.evaluations));
    g.set_attribute("accepted_steps", static_cast<std::int64_t>(r.result.accepted_steps));
    g.set_attribute("rejected_steps", static_cast<std::int64_t>(r.result.rejected_steps));
    g.set_attribute("full_gradient_norm", r.end_analysis.full_gradient_norm);
  }
}

void TrajectoryJob::load(const h5::Group& group) {
  const std::vector<std::int64_t> done = group.read_ints("done");
  if (done.size() != done_.size())
    throw std::runtime_error("the checkpoint holds " + std::to_string(done.size()) + " trajectories, this run " +
                             std::to_string(done_.size()));
  for (std::size_t j = 0; j < done.size(); ++j) {
    done_[j] = done[j] != 0;
    if (!done_[j]) continue;
    const h5::Group g = group.open_group(std::to_string(j));
    TrajectoryRecord record = prepare(plan_, j);
    TrajectoryResult& result = record.result;
    result.path.dimension = static_cast<int>(record.moving.size());
    result.path.epoch = g.read_doubles("epoch");
    result.path.coordinates = g.read_doubles("coordinates");
    result.path.loss = g.read_doubles("loss");
    result.end = g.read_doubles("end");
    result.outcome = parse_outcome(g.attribute_string("outcome"));
    result.final_epoch = g.attribute_double("final_epoch");
    result.final_loss = g.attribute_double("final_loss");
    result.final_gradient_norm = g.attribute_double("final_gradient_norm");
    result.evaluations = g.attribute_int("evaluations");
    result.accepted_steps = g.attribute_int("accepted_steps");
    result.rejected_steps = g.attribute_int("rejected_steps");
    record.end_analysis.full_gradient_norm = g.attribute_double("full_gradient_norm");
    record.end_analysis.hessian_eigenvalues = g.read_doubles("hessian_eigenvalues");
    record.end_parameters = RestrictedLoss(plan_.loss, record.start_parameters, record.moving).full(result.end);
    records_[j] = std::move(record);
  }
}

}  // namespace xorscape::trajectory
