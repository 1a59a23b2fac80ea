#include "xorscape/cli/slice_basins.hpp"

#include <cmath>
#include <cstdio>

#include "xorscape/cli/runner.hpp"
#include "xorscape/core/stopwatch.hpp"
#include "xorscape/landscape/xdmf.hpp"

namespace xorscape::cli {

namespace {
const char* const kBasinOptions[] = {"flow-time", "flow-evaluations", "threshold", "gradient-tolerance",
                                     "flow-rtol", "flow-atol", "level-tolerance"};
}

void add_basin_options(Tool& tool) {
  tool.options().add_options()
      ("basins", po::bool_switch(),
       "basin map: full-space gradient flow from every grid point of the slice (--directions, default pair) "
       "to its end, labelled by solution class, trapping level or 'still moving' (resumable)")
      ("flow-time", po::value<double>()->default_value(1e6, "1e6"),
       "--basins: flow-time budget per grid point (t of dtheta/dt = -grad L; gradient descent epochs ~ t / eta)")
      ("flow-evaluations", po::value<double>()->default_value(2e5, "2e5"), "--basins: gradient evaluations per grid point, at most")
      ("threshold", po::value<double>()->default_value(0.005, "0.005"), "--basins: converged when the loss drops below this")
      ("gradient-tolerance", po::value<double>()->default_value(1e-6, "1e-6"),
       "--basins: trapped when |grad L| (all D parameters) drops below this at a loss above --threshold")
      ("flow-rtol", po::value<double>()->default_value(1e-6, "1e-6"), "--basins: relative error tolerance per flow step")
      ("flow-atol", po::value<double>()->default_value(1e-9, "1e-9"), "--basins: absolute error tolerance per flow step")
      ("level-tolerance", po::value<double>()->default_value(0.01, "0.01"),
       "--basins: trapped ends whose end losses are closer than this (loss units, single linkage) share a level label");
}

bool basins_requested(const Tool& tool) {
  const bool basins = tool.get<bool>("basins");
  if (!basins) {
    for (const char* option : kBasinOptions)
      if (tool.given(option)) throw UsageError(std::string("--") + option, "only with --basins");
    if (tool.resume()) throw UsageError("--resume", "only with --basins (the other slices are not resumable)");
    if (tool.given("checkpoint-every")) throw UsageError("--checkpoint-every", "only with --basins");
  }
  if (basins && tool.get<int>("n-hidden") > 8)
    throw UsageError("--basins", "solution classes enumerate the symmetry group: n_h <= 8");
  return basins;
}

slice::BasinSpec read_basin_spec(const Tool& tool, const DirectionRequest& request) {
  slice::BasinSpec spec;
  spec.grid = request.spec;
  if (request.bench) throw UsageError("--bench", "not with --basins (the run prints its own rate)");
  const double time = require_positive("--flow-time", tool.get<double>("flow-time"));
  if (!std::isfinite(time)) throw UsageError("--flow-time", "must be a finite number");
  const double evaluations = tool.get<double>("flow-evaluations");
  if (!(evaluations >= 1 && evaluations <= 1e12)) throw UsageError("--flow-evaluations", "must be 1 to 1e12");
  const double threshold = require_positive("--threshold", tool.get<double>("threshold"));
  const double gradient = require_positive("--gradient-tolerance", tool.get<double>("gradient-tolerance"));
  const double rtol = require_positive("--flow-rtol", tool.get<double>("flow-rtol"));
  if (rtol >= 1) throw UsageError("--flow-rtol", "must be below 1");
  const double atol = require_positive("--flow-atol", tool.get<double>("flow-atol"));
  spec.level_tolerance = require_positive("--level-tolerance", tool.get<double>("level-tolerance"));
  for (const auto& [option, value] : {std::pair{"--threshold", threshold}, std::pair{"--gradient-tolerance", gradient},
                                      std::pair{"--flow-atol", atol}, std::pair{"--level-tolerance", spec.level_tolerance}})
    if (!std::isfinite(value)) throw UsageError(option, "must be a finite number");
  spec.flow = slice::basin_flow_spec(time, static_cast<std::int64_t>(evaluations), threshold, gradient, rtol, atol);
  const double points = static_cast<double>(spec.grid.x.count) * (spec.grid.directions.line() ? 1 : spec.grid.y.count);
  require_memory("--resolution", points * (8.0 * spec.grid.loss.dimension() + 160.0), "a basin map of this resolution");
  return spec;
}

int run_basins(const Tool& tool, const DirectionRequest& request, const slice::BasinSpec& spec) {
  slice::BasinJob job(spec);
  const SteadyClock::time_point start = SteadyClock::now();
  const int status = run_job(tool, job, [&](const h5::Group& root) {
    slice::write_basins(root, job.spec(), job.points(), request.center, request.deflate_level);
  });
  if (status != 0 || !job.finished()) return status;
  if (!request.xdmf.empty()) slice::write_xdmf(tool.output(), request.xdmf);
  const double seconds = seconds_since(start);
  std::int64_t converged = 0, trapped = 0, moving = 0, evaluations = 0;
  for (const slice::BasinPoint& p : job.points()) {
    converged += p.outcome == trajectory::Outcome::converged;
    trapped += p.outcome == trajectory::Outcome::trapped;
    moving += p.outcome == trajectory::Outcome::budget;
    evaluations += p.evaluations;
  }
  std::printf("xorscape-slice --basins: %s %s of %zu points, %d thread(s): %lld converged, %lld trapped, %lld still "
              "moving; %.3g gradient evaluations in %.3f s (this run: %.3g points/s) -> %s\n",
              spec.grid.directions.method.c_str(), spec.grid.directions.line() ? "line" : "plane", job.points().size(),
              tool.threads(), static_cast<long long>(converged), static_cast<long long>(trapped),
              static_cast<long long>(moving), static_cast<double>(evaluations), seconds,
              job.points().size() / seconds, tool.output().c_str());
  return 0;
}

}  // namespace xorscape::cli
