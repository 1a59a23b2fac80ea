#pragma once
// The layouts of xorscape-simplesample and xorscape-wanglandau files
// (docs/xorscape-simplesample.md, docs/xorscape-wanglandau.md): write and read side by side.
// Every axis of every dataset has a dimension scale in its group or an ancestor.
#include "xorscape/entropy/entropy.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/io/parameter_point.hpp"

namespace xorscape::entropy {

class SimpleSamplingJob;     // simple_sampling.hpp
class WangLandauJob;         // wanglandau_job.hpp
struct WangLandauSummary;
struct SimpleSamplingReference;
struct Comparison;

// The problem both tools share: the network (io::write_network, with the /parameter_names
// scale), the box (root attributes box_lower, box_upper, ln_box_volume), the loss range and
// binning (loss_upper_bound, binning; /bins/edges and /bins/centre, scales, with the binning's
// constructor arguments as attributes of /bins so that read_problem rebuilds it exactly).
void write_problem(const h5::Group& root, const EntropyProblem& problem);
// The problem a file describes; throws std::runtime_error when it describes none.
EntropyProblem read_problem(const h5::Group& root);

// xorscape-simplesample: counts per bin (/bins/counts), the sampled entropy (/entropy), the
// smallest loss with its parameters (/min_point) and the run's attributes.
void write_simplesample(const h5::Group& root, const SimpleSamplingJob& job, const SampledEntropy& entropy);

// xorscape-wanglandau: the combined estimate (/entropy), its analysis (/analysis), per run
// (/runs), per window and join (/windows) and the convergence log (/convergence).
void write_wanglandau(const h5::Group& root, const WangLandauJob& job, const WangLandauSummary& summary);

// The histogram of an xorscape-simplesample file, checked against `problem`: the same network
// (architecture, data, reduction) and box; its binning may differ. Throws std::runtime_error.
SimpleSamplingReference read_simplesample_reference(const std::string& path, const EntropyProblem& problem);

// /comparison of a Wang-Landau file: the compared bins, both estimates, their errors, the
// residual and its combined error, and the statistics as attributes.
void write_comparison(const h5::Group& root, const Comparison& comparison, const std::string& reference);

// Parameter points: min (the lowest loss seen; the default), and in a Wang-Landau file run=K
// (the lowest-loss state of run K).
Params read_point(const h5::Group& root, const io::PointSelector& selector);

}  // namespace xorscape::entropy
