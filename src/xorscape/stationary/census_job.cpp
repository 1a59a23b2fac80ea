#include "xorscape/stationary/census_job.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <sstream>
#include <stdexcept>

#include "xorscape/core/ranks.hpp"
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
      system_(gradient_system(loss_)),
      tracker_(loss_, symmetry_, spec_.trial.distinct_tolerance, spec_.degenerate_below) {}

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
  // Only when used, so that files written before the option keep their fingerprint.
  if (spec_.inner_radius > 0.0) f << " inner_radius=" << spec_.inner_radius;
  return f.str();
}

double CensusJob::fraction_done() const {
  if (finished()) return 1.0;
  // The census itself is the last small piece of work.
  return 0.999 * static_cast<double>(record_.starts_done) / static_cast<double>(spec_.starts);
}

namespace {

// The trials of a block this rank computed, for the other ranks (core/ranks.hpp).
std::vector<std::byte> pack_trials(const std::vector<TrialResult>& block, const std::vector<std::uint8_t>& done,
                                   std::int64_t first) {
  ranks::Packer out;
  for (std::int64_t t = 0; t < static_cast<std::int64_t>(block.size()); ++t) {
    if (!ranks::owns(first + t)) continue;
    const TrialResult& r = block[t];
    out.put(t);
    out.put(done[t]);
    out.put(static_cast<std::uint64_t>(r.points.size()));
    for (const auto& point : r.points) out.put(point);
    out.put(r.method);
    out.put(r.iterations);
    out.put(r.path_steps);
    out.put(r.solves);
    out.put(r.failures);
  }
  return out.bytes();
}

void unpack_trials(const std::vector<std::byte>& bytes, std::vector<TrialResult>& block,
                   std::vector<std::uint8_t>& done) {
  ranks::Unpacker in(bytes);
  while (!in.done()) {
    const auto t = static_cast<std::size_t>(in.get<std::int64_t>());
    if (t >= block.size()) throw std::runtime_error("census: a rank sent a trial outside the block");
    done[t] = in.get<std::uint8_t>();
    TrialResult& r = block[t];
    r.points.resize(static_cast<std::size_t>(in.get<std::uint64_t>()));
    for (auto& point : r.points) point = in.get_vector<double>();
    r.method = in.get_vector<int>();
    r.iterations = in.get_vector<int>();
    r.path_steps = in.get<int>();
    r.solves = in.get<int>();
    r.failures = in.get<int>();
    r.interrupted = !done[t];
  }
}

}  // namespace

void CensusJob::run_block(const RunControl& control) {
  const std::int64_t first = record_.starts_done;
  // Up to the next multiple of kBlock, so the stopping rule sees the same prefixes however a run
  // was stopped and resumed.
  const std::int64_t count = std::min(kBlock - first % kBlock, spec_.starts - first);
  std::vector<TrialResult> block(count);
  std::vector<std::uint8_t> done(count, 0);
  std::atomic<std::int64_t> trials_done{first};
  // Under MPI, trial u is computed by rank u mod ranks; its numbers depend only on u.
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t t = 0; t < count; ++t) {
    if (!ranks::owns(first + t) || control.stop_requested()) continue;
    RandomStream rng(spec_.seed, {0x5747u, static_cast<std::uint64_t>(first + t)});
    TrialOptions options = spec_.trial;
    if (spec_.inner_radius > 0.0 && (first + t) % 2 == 1) options.radius = spec_.inner_radius;
    block[t] = run_trial(system_, symmetry_, rng, options, control);
    if (block[t].interrupted) continue;
    done[t] = 1;
    const double now = static_cast<double>(first + (++trials_done - first) * ranks::size());
    if (omp_get_thread_num() == 0) control.progress(std::min(now, static_cast<double>(first + count)),
                                                    static_cast<double>(spec_.starts));
  }
  if (ranks::size() > 1) {
    const auto gathered = ranks::all_gather(pack_trials(block, done, first));
    for (int r = 0; r < ranks::size(); ++r)
      if (r != ranks::rank()) unpack_trials(gathered[static_cast<std::size_t>(r)], block, done);
  }
  // The finished trials up to the first unfinished one; the rest is redone by the next call.
  for (std::int64_t t = 0; t < count && done[t]; ++t) {
    ++session_.trials;
    session_.solves += block[t].solves;
    session_.path_steps += block[t].path_steps;
    record_.append(std::move(block[t]));
  }
}

bool CensusJob::rule_met() {
  const std::int64_t done = record_.starts_done;
  if (spec_.complete_after <= 0 || done == 0 || done % kBlock != 0) return false;
  for (size_t h = tracker_.hits_added(); h < record_.hits.size(); ++h) tracker_.add(record_.hits[h]);
  const std::string verdict = completeness_of(tracker_.morse_sum(), tracker_.degenerate(), tracker_.classes(),
                                              done - tracker_.last_new_trial(), spec_.complete_after);
  return verdict == "complete" || (verdict == "ill-posed" && done >= spec_.complete_after);
}

void CensusJob::advance(const RunControl& control) {
  const auto begin = SteadyClock::now();
  bool stopped_by_rule = false;
  // Under MPI every rank holds the same record, so the rule agrees; the clock and signals are
  // agreed with ranks::any (the same calls in the same order on every rank).
  while (record_.starts_done < spec_.starts && !ranks::any(control.stop_requested()) &&
         !(stopped_by_rule = rule_met()))
    run_block(control);
  session_.seconds += seconds_since(begin);
  control.progress(static_cast<double>(record_.starts_done), static_cast<double>(spec_.starts));
  const bool interrupted = ranks::any(control.interrupted());
  if ((record_.starts_done < spec_.starts && !stopped_by_rule) || interrupted) return;
  census_ = build_census(loss_, symmetry_, record_.hits, record_.starts_done, spec_.trial.distinct_tolerance, control,
                         spec_.degenerate_below);
  if (ranks::any(!census_.has_value())) census_.reset();  // stopped on some rank: all build it again
  if (census_) summary_ = summarise(*census_, loss_.dimension(), spec_.complete_after);
  if (census_ && !analyse(control)) {  // a partial analysis is no result: the census and it are redone
    census_.reset();
    summary_.reset();
    graph_.reset();
    continuation_.reset();
  }
}

bool CensusJob::analyse(const RunControl& control) {
  if (spec_.connect) {
    ConnectivityOptions options = spec_.connectivity;
    options.tolerance = spec_.trial.solver.tolerance;
    options.distinct_tolerance = spec_.trial.distinct_tolerance;
    graph_ = connect_census(loss_, symmetry_, *census_, options, control);
    if (control.interrupted()) return false;
  }
  if (spec_.continue_mu) {
    ContinuationOptions options = spec_.continuation;
    options.tolerance = spec_.trial.solver.tolerance;
    options.distinct_tolerance = spec_.trial.distinct_tolerance;
    continuation_ = continue_census(loss_, symmetry_, *census_, options, control);
    if (!continuation_) return false;
  }
  return true;
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
  tracker_ = ClassTracker(loss_, symmetry_, spec_.trial.distinct_tolerance, spec_.degenerate_below);
  census_.reset();
  summary_.reset();
  graph_.reset();
  continuation_.reset();
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
  tracker_ = ClassTracker(loss_, symmetry_, spec_.trial.distinct_tolerance, spec_.degenerate_below);
  census_.reset();
  summary_.reset();
  graph_.reset();
  continuation_.reset();
  return true;
}

}  // namespace xorscape::stationary
