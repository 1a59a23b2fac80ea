#pragma once
// --bench of xorscape-simplesample and xorscape-wanglandau: measured rates on stdout.
#include <cstdio>

#include "xorscape/entropy/wanglandau.hpp"

namespace xorscape::cli {

// Simple sampling (uniform points, kernels::batch_loss, histogram) for n_h = 2 and 18 on the
// current OpenMP threads: evaluations per second, and per thread.
void print_simple_sampling_rates(std::FILE* out, int threads);
// Wang-Landau steps of one walker for n_h = 2 and 18 (per second of processor time and of wall
// clock), two walkers on 1 and 2 threads, then the simple-sampling rates.
void print_wang_landau_rates(std::FILE* out, int threads);
// After a run: its steps per second of wall clock over `seconds`, per busy core, and why the two
// differ (entropy::SamplerTiming: threads descheduled, threads without a walker, time between rounds).
void print_in_run_rate(std::FILE* out, const entropy::SamplerTiming& timing, double seconds);

}  // namespace xorscape::cli
