#include "xorscape/stationary/census_job.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <sstream>
#include <stdexcept>

#include "xorscape/core/stopwatch.hpp"
#include "xorscape/stationary/stationary_file.hpp"

namespace xorscape::stationary {

void TrialRecord::append(TrialResult&& trial) {
  for (size_t k = 0; k < trial.points.size(); ++k) {
    hits.push_back({starts_done, static_cast<std::int32_t>(k), std::move(trial.points[k])});
    hit_iterations.push_back(trial.iterations[k]);
    hit_method.push_back(trial.method[k]);
  }
  solves.push_back(trial.solves);
  path_steps.push_back(trial.path_steps);
  failures.push_back(trial.failures);
  ++starts_done;
}

CensusJob::CensusJob(CensusSpec spec)
    : spec_(std::move(spec)),
      loss_(spec_.problem),
      symmetry_(spec_.problem.architecture.n_hidden, loss_.dimension(), is_odd(spec_.problem.architecture.hidden)),
      system_(gradient_system(loss_)) {}

// The settings a checkpoint or a finished file must share to be continued (the "fingerprint" of
// files written before the checkpoint contract, unchanged, so those files can still be extended).
std::string CensusJob::identity() const {
  std::ostringstream f;
  f.precision(17);
  const auto& p = spec_.problem;
  const auto& a = p.architecture;
  const auto& t = spec_.trial;
  f << "n_hidden=" << a.n_hidden << " hidden=" << to_string(a.hidden) << " output=" << to_string(a.output)
    << " data=" << p.data << " error_weight=" << p.error_weight << " mu=" << p.mu << " output_bias=" << p.output_bias
    << " regularised=" << to_string(p.regularised) << " homotopy=" << t.homotopy << " path_steps=" << t.path.max_steps
    << " solves=" << t.solves << " max_iterations=" << t.solver.max_iterations << " tolerance=" << t.solver.tolerance
    << " distinct=" << t.distinct_tolerance << " radius=" << t.radius << " seed=" << spec_.seed;
  return f.str();
}

double CensusJob::fraction_done() const {
  if (finished()) return 1.0;
  // The census itself is the last small piece of work.
  return 0.999 * static_cast<double>(record_.starts_done) / static_cast<double>(spec_.starts);
}

void CensusJob::run_block(const RunControl& control) {
  const std::int64_t first = record_.starts_done;
  const std::int64_t count = std::min(kBlock, spec_.starts - first);
  std::vector<TrialResult> block(count);
  std::vector<std::uint8_t> done(count, 0);
  std::atomic<std::int64_t> trials_done{first};
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t t = 0; t < count; ++t) {
    if (control.stop_requested()) continue;
    RandomStream rng(spec_.seed, {0x5747u, static_cast<std::uint64_t>(first + t)});
    block[t] = run_trial(system_, symmetry_, rng, spec_.trial, control);
    if (block[t].interrupted) continue;
    done[t] = 1;
    const double now = static_cast<double>(++trials_done);
    if (omp_get_thread_num() == 0) control.progress(now, static_cast<double>(spec_.starts));
  }
  // The finished trials up to the first unfinished one; the rest is redone by the next call.
  for (std::int64_t t = 0; t < count && done[t]; ++t) {
    ++session_.trials;
    session_.solves += block[t].solves;
    session_.path_steps += block[t].path_steps;
    record_.append(std::move(block[t]));
  }
}

void CensusJob::advance(const RunControl& control) {
  const auto begin = SteadyClock::now();
  while (record_.starts_done < spec_.starts && !control.stop_requested()) run_block(control);
  session_.seconds += seconds_since(begin);
  control.progress(static_cast<double>(record_.starts_done), static_cast<double>(spec_.starts));
  if (record_.starts_done < spec_.starts || control.interrupted()) return;
  census_ = build_census(loss_, symmetry_, record_.hits, record_.starts_done, spec_.trial.distinct_tolerance, control);
  if (census_) summary_ = summarise(*census_, loss_.dimension());
}

void CensusJob::save(const h5::Group& group) const {
  group.write_scale("parameter_names", loss_.names(), {"parameter names in the order of every parameter axis"});
  write_trial_record(group, record_);
}

void CensusJob::load(const h5::Group& group) {
  TrialRecord record = read_trial_record(group, loss_.dimension());
  if (record.starts_done > spec_.starts)
    throw std::runtime_error("the checkpoint holds " + std::to_string(record.starts_done) + " trials, more than the " +
                             std::to_string(spec_.starts) + " asked for (--starts)");
  record_ = std::move(record);
  census_.reset();
  summary_.reset();
}

bool CensusJob::extend(const h5::Group& finished_output) {
  const std::string made =
      finished_output.has_attribute("fingerprint") ? finished_output.attribute_string("fingerprint") : "none recorded";
  if (made != identity())
    throw std::runtime_error("it was made with other settings (" + made + "); this run has (" + identity() + ")");
  TrialRecord record = read_trial_record(finished_output, loss_.dimension());
  if (record.starts_done > spec_.starts)
    throw std::runtime_error("it already holds " + std::to_string(record.starts_done) + " trials, more than the " +
                             std::to_string(spec_.starts) + " asked for (--starts)");
  if (record.starts_done == spec_.starts) return false;
  record_ = std::move(record);
  census_.reset();
  summary_.reset();
  return true;
}

}  // namespace xorscape::stationary
