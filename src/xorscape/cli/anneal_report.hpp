#pragma once
// The summary table xorscape-anneal prints on stdout (one block per sweep point, one row per arm).
#include <cstdio>

#include "xorscape/annealing/annealing.hpp"
#include "xorscape/annealing/experiment_job.hpp"

namespace xorscape::cli {

void print_anneal_summary(std::FILE* out, const annealing::ExperimentSpec& spec,
                          const annealing::ExperimentSummary& summary);
// The best point of a sweep, the number of points searched and its replication on fresh seeds.
void print_anneal_replication(std::FILE* out, const annealing::ExperimentJob& job);

}  // namespace xorscape::cli
