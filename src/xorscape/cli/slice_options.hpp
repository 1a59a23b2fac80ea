#pragma once
// The options of xorscape-slice and their reading into a slice request (docs/xorscape-slice.md).
#include "xorscape/cli/cli.hpp"
#include "xorscape/cli/network_options.hpp"
#include "xorscape/landscape/slice_file.hpp"

namespace xorscape::cli {

// Everything a run of xorscape-slice needs, validated.
struct SliceRequest {
  slice::SliceSpec spec;
  slice::CenterOrigin center;
  slice::Storage storage;
  bool bench = false;
};

void add_slice_options(Tool& tool);
// Throws UsageError naming the option at fault; checks the memory the run needs.
SliceRequest read_slice_request(const Tool& tool, const NetworkOptions& network);

}  // namespace xorscape::cli
