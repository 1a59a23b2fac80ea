#pragma once
// The layout of xorscape-anneal files (docs/xorscape-anneal.md): write and read side by side.
//
// Every axis is a dimension scale at the root (or, for the checkpoint, in /state), so netCDF
// readers (xarray's h5netcdf engine) resolve it from any group:
//   point         P    sweep point (index into /sweep)
//   arm_names     A    the arms, in the order of --arms (strings)
//   seed_index    S    initialisation index
//   parameter_names D  parameter names (strings)
//   trace, epoch  K, E traced initialisations 0..K-1 and epochs 0..epochs (when K > 0)
//   final_accuracy 5, point_arm P*A, cdf_epoch G   the summary's histogram and CDF axes
#include "xorscape/annealing/annealing.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/io/parameter_point.hpp"

namespace xorscape::annealing {

// The whole output: description, sweep, runs, the summary computed by summarize(), traces and
// the rescue example. Stores; computes nothing.
void write_experiment(const h5::Group& root, const ExperimentSpec& spec, const ExperimentResult& result,
                      const ExperimentSummary& summary);

// The replication of a sweep's best point (group /replication): which point, how many were
// searched, the sweep's rate there and the replication's summary per arm on its fresh seeds.
void write_replication(const h5::Group& root, const ExperimentSpec& spec, const ExperimentResult& sweep,
                       int best_point, const ExperimentSpec& replica_spec, const ExperimentResult& replica);

// The checkpoint state (group /state of OUTPUT.checkpoint.h5): the groups runs/ and traces/ of
// the output layout with their own scales; runs/done says which units are done.
void write_state(const h5::Group& state, const ExperimentSpec& spec, const ExperimentResult& result);
// Reads a state written by write_state into result (made for the same spec); throws
// std::runtime_error when its shapes are not the result's.
void read_state(const h5::Group& state, ExperimentResult& result);

// Parameter points (network model only): seed=S with optional arm=NAME (default: the first arm)
// and point=P (default 0): that run's final parameters; with "initial" its initialisation.
Params read_point(const h5::Group& root, const io::PointSelector& selector);

}  // namespace xorscape::annealing
