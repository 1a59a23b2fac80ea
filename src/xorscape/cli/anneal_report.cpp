#include "xorscape/cli/anneal_report.hpp"

#include <cmath>
#include <string>

namespace xorscape::cli {

namespace {

std::string format_epoch(double v) {
  if (std::isnan(v)) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.0f", v);
  return b;
}

void print_row(std::FILE* out, const std::string& arm, const annealing::ArmSummary& s) {
  char success[48], wilson[48], conv[112], hist[128], pval[16], fails[80];
  std::snprintf(success, sizeof success, "%lld (%.1f%%)", static_cast<long long>(s.successes), 100.0 * s.success_rate);
  std::snprintf(wilson, sizeof wilson, "[%.1f, %.1f]%%", 100.0 * s.wilson.lo, 100.0 * s.wilson.hi);
  std::snprintf(conv, sizeof conv, "%s/%s/%s", format_epoch(s.convergence_q25).c_str(),
                format_epoch(s.convergence_median).c_str(), format_epoch(s.convergence_q75).c_str());
  std::snprintf(hist, sizeof hist, "%lld/%lld/%lld/%lld/%lld", static_cast<long long>(s.accuracy_histogram[0]),
                static_cast<long long>(s.accuracy_histogram[1]), static_cast<long long>(s.accuracy_histogram[2]),
                static_cast<long long>(s.accuracy_histogram[3]), static_cast<long long>(s.accuracy_histogram[4]));
  if (std::isnan(s.mcnemar_p))
    std::snprintf(pval, sizeof pval, "-");
  else
    std::snprintf(pval, sizeof pval, "%.3g", s.mcnemar_p);
  std::snprintf(fails, sizeof fails, "%lld/%lld/%lld", static_cast<long long>(s.failures_dead_point),
                static_cast<long long>(s.failures_other), static_cast<long long>(s.failures_diverged));
  std::fprintf(out, "%-15s %5lld %13s %15s %20s %8s %24s %6lld %7lld %7lld %9s %10s %9.1f %9.3g %7.1f\n",
               arm.c_str(), static_cast<long long>(s.runs), success, wilson, conv,
               format_epoch(s.epochs_run_median).c_str(), hist, static_cast<long long>(s.trapped),
               static_cast<long long>(s.rescued), static_cast<long long>(s.broken), pval, fails, s.mean_injections,
               s.mean_noise_norm, s.mean_parameter_count);
}

}  // namespace

void print_anneal_summary(std::FILE* out, const annealing::ExperimentSpec& spec,
                          const annealing::ExperimentSummary& summary) {
  for (size_t p = 0; p < spec.points.size(); ++p) {
    const annealing::SweepPoint& sp = spec.points[p];
    std::fprintf(out,
                 "\n# point %zu: eta %g, init scale %g, threshold %g, base noise %g, %d epochs, model %s, protocol %s%s%s\n",
                 p, sp.learning_rate, sp.init_scale, sp.threshold, sp.base_noise, spec.epochs,
                 annealing::to_string(spec.model).c_str(), spec.protocol.c_str(),
                 spec.protocol_overrides.empty() ? "" : " overridden by ", spec.protocol_overrides.c_str());
    std::fprintf(out, "%-15s %5s %13s %15s %20s %8s %24s %6s %7s %7s %9s %10s %9s %9s %7s\n", "arm", "runs", "success",
                 "wilson95", "conv q25/med/q75", "ran med", "acc 0/25/50/75/100%", "trap", "rescue", "broken",
                 "mcnemar_p", "fail d/o/x", "inject", "noise", "params");
    for (size_t a = 0; a < spec.arms.size(); ++a)
      print_row(out, annealing::to_string(spec.arms[a]), summary.at(static_cast<int>(p), static_cast<int>(a)));
  }
}

void print_anneal_replication(std::FILE* out, const annealing::ExperimentJob& job) {
  const annealing::ExperimentSpec& spec = job.spec();
  const int best = job.best_point();
  if (best < 0) return;
  const annealing::SweepPoint& sp = spec.points[best];
  std::fprintf(out,
               "\n# best point %d of %zu searched (by %s; eta %g, init scale %g, threshold %g, base noise %g): the "
               "maximum of a sweep, replicated on %d fresh seeds of stream %llu\n",
               best, spec.points.size(), annealing::to_string(spec.best_arm).c_str(), sp.learning_rate, sp.init_scale,
               sp.threshold, sp.base_noise, job.replica_spec().seeds,
               static_cast<unsigned long long>(job.replica_spec().stream));
  std::fprintf(out, "%-15s %18s %18s %15s\n", "arm", "sweep", "replication", "wilson95");
  for (size_t a = 0; a < spec.arms.size(); ++a) {
    const auto swept = annealing::summarize(spec, job.result(), best, static_cast<int>(a));
    const auto again = annealing::summarize(job.replica_spec(), job.replica(), 0, static_cast<int>(a));
    char sweep_text[48], again_text[48], wilson[48];
    std::snprintf(sweep_text, sizeof sweep_text, "%lld/%lld (%.1f%%)", static_cast<long long>(swept.successes),
                  static_cast<long long>(swept.runs), 100.0 * swept.success_rate);
    std::snprintf(again_text, sizeof again_text, "%lld/%lld (%.1f%%)", static_cast<long long>(again.successes),
                  static_cast<long long>(again.runs), 100.0 * again.success_rate);
    std::snprintf(wilson, sizeof wilson, "[%.1f, %.1f]%%", 100.0 * again.wilson.lo, 100.0 * again.wilson.hi);
    std::fprintf(out, "%-15s %18s %18s %15s\n", annealing::to_string(spec.arms[a]).c_str(), sweep_text, again_text,
                 wilson);
  }
}

}  // namespace xorscape::cli
