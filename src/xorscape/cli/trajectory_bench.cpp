#include "xorscape/cli/trajectory_bench.hpp"

#include <algorithm>
#include <cstdio>

#include "xorscape/cli/runner.hpp"
#include "xorscape/core/stopwatch.hpp"
#include "xorscape/landscape/slice_file.hpp"

namespace xorscape::cli {

namespace tr = xorscape::trajectory;

namespace {

std::string where(const tr::TrajectoryPlan& plan, const std::vector<int>& moving) {
  return moving.size() == 2 ? slice::plane_name(plan.loss.layout(), {moving[0], moving[1]}) : "full space";
}

// Prints one integrator's run; returns its gradient evaluations.
double print_run(tr::Integrator method, const tr::TrajectoryResult& r, double seconds, double gd_evaluations) {
  if (method == tr::Integrator::gradient_descent) {
    std::printf("  gd   : %-9s after %.6g epochs, L = %.6f, %.3g s, %.3g epochs/s\n", tr::to_string(r.outcome).c_str(),
                r.final_epoch, r.final_loss, seconds, r.final_epoch / std::max(seconds, 1e-9));
  } else {
    std::printf("  flow : %-9s at epoch %.6g, L = %.6f, %lld gradient evaluations (%lld accepted, %lld "
                "rejected steps), %.3g s",
                tr::to_string(r.outcome).c_str(), r.final_epoch, r.final_loss, static_cast<long long>(r.evaluations),
                static_cast<long long>(r.accepted_steps), static_cast<long long>(r.rejected_steps), seconds);
    if (gd_evaluations > 0) std::printf(", %.0fx fewer evaluations than gd", gd_evaluations / r.evaluations);
    std::printf("\n");
  }
  return static_cast<double>(r.evaluations);
}

// The full-space gradient through the general backpropagation, for comparison.
void print_reference(const XorLoss& loss, Params p) {
  std::vector<double> gradient(loss.dimension());
  const long long repeats = 2'000'000;
  const SteadyClock::time_point begin = SteadyClock::now();
  double sink = 0;
  for (long long i = 0; i < repeats; ++i) {
    sink += loss.value_and_gradient(p, gradient);
    p[0] -= 1e-12 * gradient[0];
  }
  std::printf("  reference XorLoss::value_and_gradient (all %d partials): %.3g evaluations/s (checksum %.3g)\n",
              loss.dimension(), repeats / seconds_since(begin), sink);
}

}  // namespace

int run_trajectory_bench(const Tool& tool, const tr::TrajectoryPlan& plan, bool epochs_given) {
  std::printf("xorscape-trajectory --bench (n_h = %d, %d thread(s) unused: one trajectory is sequential)\n",
              plan.loss.architecture().n_hidden, tool.threads());
  for (const tr::Start& s : plan.starts) {
    const tr::RestrictedLoss restricted(plan.loss, s.parameters, s.moving);
    tr::TrajectorySpec spec = plan.spec;
    if (!epochs_given) spec.epochs = 2e7;
    std::printf("start %s, moving %zu parameter(s), budget %.3g epochs\n", where(plan, s.moving).c_str(),
                s.moving.size(), spec.epochs);
    double gd_evaluations = 0;
    for (tr::Integrator method : plan.integrators) {
      spec.integrator = method;
      const SteadyClock::time_point begin = SteadyClock::now();
      const tr::TrajectoryResult r = tr::run(restricted, restricted.restrict(s.parameters), spec, tool.control());
      const double evaluations = print_run(method, r, seconds_since(begin), gd_evaluations);
      if (method == tr::Integrator::gradient_descent) gd_evaluations = evaluations;
      if (tool.control().stop_requested()) return stopped(tool);
    }
    print_reference(plan.loss, s.parameters);
  }
  std::fflush(stdout);
  return 0;
}

void print_trajectory_outcomes(const tr::TrajectoryJob& job) {
  for (const tr::TrajectoryRecord& record : job.records()) {
    const tr::TrajectoryResult& r = record.result;
    std::fprintf(stderr, "%s %s start L=%.4f -> %s at epoch %.6g, L=%.6g, |grad|=%.3g (%lld evaluations)\n",
                 record.plane ? slice::plane_name(job.plan().loss.layout(), *record.plane).c_str() : "full-space",
                 tr::to_string(record.spec.integrator).c_str(), record.start_loss, tr::to_string(r.outcome).c_str(),
                 r.final_epoch, r.final_loss, r.final_gradient_norm, static_cast<long long>(r.evaluations));
  }
}

}  // namespace xorscape::cli
