#pragma once
// xorscape-slice --basins (landscape/basins.hpp): the flow options, their reading on top of a
// direction request (--basins alone cuts the --pair plane, like --directions pair), and the
// resumable run through cli::run_job.
#include <optional>

#include "xorscape/cli/cli.hpp"
#include "xorscape/cli/slice_directions.hpp"
#include "xorscape/landscape/basins.hpp"

namespace xorscape::cli {

void add_basin_options(Tool& tool);
// True when --basins is given; refuses the basin options without it, and --resume /
// --checkpoint-every without it (the other slices are not resumable).
bool basins_requested(const Tool& tool);
// The basin spec on the direction request's grid; throws UsageError naming the option at fault.
slice::BasinSpec read_basin_spec(const Tool& tool, const DirectionRequest& request);
// Runs (resumably), writes and prints the summary; returns the exit status.
int run_basins(const Tool& tool, const DirectionRequest& request, const slice::BasinSpec& spec);

}  // namespace xorscape::cli
