#include "xorscape/cli/stationary_report.hpp"

#include "xorscape/cli/runner.hpp"

#include <string>

namespace xorscape::cli {

namespace {

void print_problem(std::FILE* out, const stationary::CensusJob& job) {
  const stationary::CensusSpec& s = job.spec();
  const auto& a = s.problem.architecture;
  std::fprintf(out, "problem: 2-%d-1 %s/%s on %s, %s error, mu = %g on %s parameters, %d parameters%s\n", a.n_hidden,
               to_string(a.hidden).c_str(), to_string(a.output).c_str(), s.problem.data.c_str(), s.reduction.c_str(),
               s.problem.mu, to_string(s.problem.regularised).c_str(), job.loss().dimension(),
               s.problem.output_bias ? " (output bias)" : " (no output bias)");
  std::fprintf(out, "trials: %lld starts on the sphere of radius %.4g; homotopy paths %s, %d deflated solves each; %.1f s\n",
               static_cast<long long>(job.census().trials), s.trial.radius, s.trial.homotopy ? "yes" : "no",
               s.trial.solves, job.session().seconds);
}

void print_classes(std::FILE* out, const stationary::CensusJob& job) {
  const stationary::Census& census = job.census();
  const int D = job.loss().dimension();
  std::fprintf(out, "  class kind    index   loss        error       class%%  |lambda|min  |grad|_1(ld)  orbit  P(reach)  (D: degenerate)\n");
  for (size_t c = 0; c < census.classes.size(); ++c) {
    const auto& k = census.classes[c];
    std::fprintf(out, "  %5zu %-8s %5d  %-10.6f  %-10.6f  %5.0f   %-10.3g   %-10.2g    %3d    %.4f%s\n", c,
                 stationary::kind_of(k.index, D).c_str(), k.index, k.loss, k.error, 100.0 * k.classified,
                 k.smallest_abs_eigenvalue, k.gradient_l1_extended, k.orbit_size, k.probability, k.degenerate ? "  D" : "");
  }
}

void print_table2(std::FILE* out, const char* title,
                  const std::array<std::array<std::int64_t, stationary::CensusSummary::kLevels>,
                                   stationary::CensusSummary::kKinds>& table) {
  std::fprintf(out, "%-34s   0%%  25%%  50%%  75%% 100%%\n", title);
  const char* rows[stationary::CensusSummary::kKinds] = {"minimum", "saddle ", "maximum"};
  for (int r = 0; r < stationary::CensusSummary::kKinds; ++r) {
    std::fprintf(out, "  %s                          ", rows[r]);
    for (std::int64_t n : table[r]) std::fprintf(out, " %4lld", static_cast<long long>(n));
    std::fprintf(out, "\n");
  }
}

// The verdict first: a census is a count only when complete; an ill-posed reading has no census.
void print_completeness(std::FILE* out, const stationary::CensusJob& job) {
  const stationary::CensusSummary& s = job.summary();
  const long long trials = s.trials, quiet = s.trials - s.last_new_class;
  if (s.completeness == "complete")
    std::fprintf(out, "completeness: complete: Morse sum sum(orbit * (-1)^index) = %lld, no degenerate class, no new class in the last %lld trials\n",
                 static_cast<long long>(s.morse_sum), quiet);
  else if (s.completeness == "ill-posed")
    std::fprintf(out, "completeness: ILL-POSED: %lld of %lld classes are degenerate (|lambda|min < %g): no Morse identity holds, the counts below are not a census\n",
                 static_cast<long long>(s.degenerate_classes), static_cast<long long>(s.classes),
                 job.spec().degenerate_below);
  else
    std::fprintf(out, "completeness: INCOMPLETE after %lld trials: Morse sum %lld (1 when complete), %lld degenerate classes, no new class in the last %lld trials\n",
                 trials, static_cast<long long>(s.morse_sum), static_cast<long long>(s.degenerate_classes), quiet);
}

// The connectivity graph in one line per saddle class (--connect yes).
void print_connectivity(std::FILE* out, const stationary::ConnectivityGraph& g) {
  std::fprintf(out, "connectivity: %zu index-1 saddle classes, %zu descents: %lld ended at a census minimum, %lld at another point (not a census minimum), %lld did not converge\n",
               g.saddles.size(), 2 * g.saddles.size(),
               static_cast<long long>(2 * static_cast<std::int64_t>(g.saddles.size()) - g.ends_outside_census - g.unconverged),
               static_cast<long long>(g.ends_outside_census), static_cast<long long>(g.unconverged));
  std::fprintf(out, "  saddle  E(saddle)   +v: node class  barrier     -v: node class  barrier\n");
  for (const stationary::SaddleConnection& s : g.saddles)
    std::fprintf(out, "  %6d  %-10.6f      %4d %5d  %-10.6f      %4d %5d  %-10.6f\n", s.saddle_class, s.energy,
                 s.sides[0].node, s.sides[0].end_class, s.barrier[0], s.sides[1].node, s.sides[1].end_class,
                 s.barrier[1]);
}

// The bifurcation diagram in a few lines (--continue-mu).
void print_continuation(std::FILE* out, const stationary::ContinuationResult& r) {
  std::fprintf(out, "continuation in mu: %zu branches followed over mu = %g..%g, %lld ends inside the range (folds)\n",
               r.branches.size(), r.mu.front(), r.mu.back(), static_cast<long long>(r.folds));
  std::fprintf(out, "  mu          classes  by index 0, 1, 2, ...\n");
  for (size_t g = 0; g < r.mu.size(); ++g) {
    long long total = 0;
    std::string by_index;
    for (std::int64_t n : r.counts[g]) {
      total += n;
      by_index += (by_index.empty() ? "" : " ") + std::to_string(n);
    }
    std::fprintf(out, "  %-10.4g  %7lld  %s\n", r.mu[g], total, by_index.c_str());
  }
}

}  // namespace

void print_census_summary(std::FILE* out, const stationary::CensusJob& job) {
  const stationary::CensusSummary& s = job.summary();
  print_problem(out, job);
  print_completeness(out, job);
  // An ill-posed reading has continua of stationary points: what was found is not a count.
  const bool ill_posed = s.completeness == "ill-posed";
  std::fprintf(out, "%s %lld (%lld minima, %lld saddles, %lld maxima); solutions (orbit sizes summed): %lld, of them minima %lld\n",
               ill_posed ? "points found, not a census: classes" : "classes:", static_cast<long long>(s.classes),
               static_cast<long long>(s.minima), static_cast<long long>(s.saddles), static_cast<long long>(s.maxima),
               static_cast<long long>(s.solutions), static_cast<long long>(s.minimum_solutions));
  std::fprintf(out, "last new class found at trial %lld of %lld\n", static_cast<long long>(s.last_new_class),
               static_cast<long long>(s.trials));
  if (!ill_posed) {
    print_table2(out, "classes classifying at least", s.at_least);
    print_table2(out, "the same, undecided cases half", s.at_least_ties_half);
  }
  print_classes(out, job);
  if (job.graph()) print_connectivity(out, *job.graph());
  if (job.continuation()) print_continuation(out, *job.continuation());
  const stationary::CensusSession& run = job.session();
  if (run.seconds > 0 && run.trials > 0)
    std::fprintf(out, "rates (this run's %lld new trials): %.1f trials/s, %.1f deflated solves/s, %.0f path steps/s\n",
                 static_cast<long long>(run.trials), run.trials / run.seconds, run.solves / run.seconds,
                 run.path_steps / run.seconds);
}

int bench_census(const Tool& tool, stationary::CensusJob& job) {
  tool.control().set_progress_sink(tool.progress().sink());
  while (!job.finished()) {
    job.advance(tool.control());
    if (tool.control().interrupted()) return stopped(tool);
  }
  tool.progress().finish();
  print_census_summary(stdout, job);
  return 0;
}

}  // namespace xorscape::cli
