#pragma once
// What xorscape-stationary prints on stdout: the census summary (the paper's Table 2, one line
// per class) and the rates of this run; and --bench, which runs the census without a file.
#include <cstdio>

#include "xorscape/cli/cli.hpp"
#include "xorscape/stationary/census_job.hpp"

namespace xorscape::cli {

// The summary of a finished census job.
void print_census_summary(std::FILE* out, const stationary::CensusJob& job);

// --bench: runs every trial and the census in this process, prints the summary with the rates,
// writes no file. Status 0, or 130 (nothing printed) after SIGINT/SIGTERM.
int bench_census(const Tool& tool, stationary::CensusJob& job);

}  // namespace xorscape::cli
