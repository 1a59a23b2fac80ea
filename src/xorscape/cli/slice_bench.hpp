#pragma once
// xorscape-slice's printing: the kernel benchmark (--bench) and the line every run ends with.
#include <map>
#include <string>

#include "xorscape/core/run_control.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/landscape/slice_run.hpp"

namespace xorscape::cli {

// Prints the evaluation rates of the reference XorLoss::value, the plane kernel at every SIMD
// level (1 thread and `threads`) and kernels::batch_loss, and returns them as attributes for the
// file's /bench group. Stops early when control asks.
std::map<std::string, h5::AttributeValue> print_slice_bench(const slice::SliceSpec& spec, int threads,
                                                            const RunControl& control);

// "xorscape-slice: 36 plane(s) of 401 x 401, nonrandomized, avx2 kernel, 2 thread(s): ... -> FILE".
void print_slice_summary(const slice::SliceSpec& spec, int threads, const slice::SliceTiming& timing,
                         const std::string& output);

}  // namespace xorscape::cli
