#pragma once
// The options of xorscape-trajectory and their reading into a plan of trajectories
// (docs/xorscape-trajectory.md). The tool declares -o/--force itself: with --into the result goes
// into an existing slice file and -o is not used.
#include <optional>
#include <string>

#include "xorscape/cli/cli.hpp"
#include "xorscape/cli/network_options.hpp"
#include "xorscape/landscape/trajectory_jobs.hpp"

namespace xorscape::cli {

// Everything a run of xorscape-trajectory needs, validated.
struct TrajectoryRequest {
  trajectory::TrajectoryPlan plan;
  std::optional<std::string> into;  // --into: the slice file the trajectories are added to
  std::string output;               // -o, without --into
  bool bench = false;
  bool epochs_given = false;  // --bench runs 2e7 epochs unless --epochs is given
};

void add_trajectory_options(Tool& tool);
// Throws UsageError naming the option at fault, before any work: a bad network, plane, start
// (a start must be finite after the offsets are added), an --into file that is missing, not
// HDF5, of another network or without the plane, an output that cannot be written.
TrajectoryRequest read_trajectory_request(const Tool& tool, const NetworkOptions& network);

}  // namespace xorscape::cli
