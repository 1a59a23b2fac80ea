// xorscape-slice: two-dimensional cross-sections of the loss landscape around a center
// (dissecting paper, section 3.3, Figures 6 and 7), nonrandomized or averaged over randomized
// batches, with per-plane histograms and plateau areas. See docs/xorscape-slice.md.
// --directions: along any directions, with curvature maps (cli/slice_directions.hpp).
// --basins: basin-of-attraction maps (cli/slice_basins.hpp), the one resumable mode.
// The other modes are not resumable (landscape/slice_run.hpp says why): a stopped slice writes nothing.
#include "xorscape/cli/runner.hpp"
#include "xorscape/cli/slice_basins.hpp"
#include "xorscape/cli/slice_bench.hpp"
#include "xorscape/cli/slice_directions.hpp"
#include "xorscape/cli/slice_options.hpp"
#include "xorscape/landscape/xdmf.hpp"

using namespace xorscape;

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-slice",
                 "2-D cross-sections of the XOR loss landscape around a center (paper section 3.3, Figs 6-7)",
                 "slice.h5");
  const cli::NetworkOptions network(tool);
  cli::add_slice_options(tool);
  cli::add_direction_options(tool);
  cli::add_basin_options(tool);
  tool.enable_resume();
  return tool.run(argc, argv, [&] {
    const bool basins = cli::basins_requested(tool);
    if (const auto directions = cli::read_direction_request(tool, network, basins)) {
      if (!basins) return cli::run_direction_slice(tool, *directions);
      return cli::run_basins(tool, *directions, cli::read_basin_spec(tool, *directions));
    }
    const cli::SliceRequest request = cli::read_slice_request(tool, network);
    const std::string xdmf = cli::read_xdmf_option(tool, false);
    tool.control().set_progress_sink(tool.progress().sink());
    std::map<std::string, h5::AttributeValue> bench;
    if (request.bench) bench = cli::print_slice_bench(request.spec, tool.threads(), tool.control());
    if (tool.control().stop_requested()) return cli::stopped(tool);
    const slice::SliceOutput output{tool.output(), tool.force(), request.center, request.storage, tool.provenance()};
    const slice::SliceTiming timing = slice::write_slices(request.spec, output, tool.control(), bench);
    if (timing.stopped) return cli::stopped(tool);
    if (!xdmf.empty()) slice::write_xdmf(tool.output(), xdmf);
    tool.progress().finish();
    cli::print_slice_summary(request.spec, tool.threads(), timing, tool.output());
    return 0;
  });
}
