#pragma once
// The summary table xorscape-anneal prints on stdout (one block per sweep point, one row per arm).
#include <cstdio>

#include "xorscape/annealing/annealing.hpp"

namespace xorscape::cli {

void print_anneal_summary(std::FILE* out, const annealing::ExperimentSpec& spec,
                          const annealing::ExperimentSummary& summary);

}  // namespace xorscape::cli
