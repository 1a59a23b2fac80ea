#pragma once
// xorscape-slice along any directions (--directions; landscape/direction_slice.hpp): the options,
// their reading into a request, the benchmark (--bench: loss evaluations and Hessians per second)
// and the run. Without --directions the tool cuts axis planes (cli/slice_options.hpp) as before.
#include <optional>

#include "xorscape/cli/cli.hpp"
#include "xorscape/cli/network_options.hpp"
#include "xorscape/landscape/direction_slice.hpp"

namespace xorscape::cli {

struct DirectionRequest {
  slice::DirectionSliceSpec spec;
  slice::CenterOrigin center;
  int deflate_level = 0;
  bool bench = false;
  std::string xdmf;  // written next to the output when not empty
};

void add_direction_options(Tool& tool);
// --xdmf: the XDMF file to write next to the output (empty: none). Refused for a 1-D cut and,
// without --force, when that file exists.
std::string read_xdmf_option(const Tool& tool, bool line);
// Empty when neither --directions nor --basins is given (then every direction-only option is refused);
// throws UsageError naming the option at fault.
// basins: a basin map was asked for (--basins cuts the --pair plane when --directions is not given).
std::optional<DirectionRequest> read_direction_request(const Tool& tool, const NetworkOptions& network,
                                                       bool basins = false);
// Computes, writes and prints the summary; returns the exit status.
int run_direction_slice(const Tool& tool, const DirectionRequest& request);

}  // namespace xorscape::cli
