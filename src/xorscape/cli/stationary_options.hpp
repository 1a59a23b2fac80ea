#pragma once
// The options of xorscape-stationary and their reading into a census spec
// (docs/xorscape-stationary.md).
#include "xorscape/cli/cli.hpp"
#include "xorscape/cli/network_options.hpp"
#include "xorscape/stationary/census_job.hpp"

namespace xorscape::cli {

// tanh/tanh on xor-pm (the paper's network), n_h at most 6: the census enumerates the hidden-unit
// symmetry group, n_h! 2^n_h elements (46 080 at n_h = 6), for every point it deflates and classifies.
NetworkChoices stationary_network_choices();
void add_stationary_options(Tool& tool);
// Throws UsageError naming the option at fault.
stationary::CensusSpec read_census_spec(const Tool& tool, const NetworkOptions& network);

}  // namespace xorscape::cli
