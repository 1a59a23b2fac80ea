#pragma once
// xorscape-trajectory's printing: the benchmark (--bench) and the outcome of every trajectory.
#include "xorscape/cli/cli.hpp"
#include "xorscape/landscape/trajectory_jobs.hpp"

namespace xorscape::cli {

// Runs every start with every integrator of the plan on one thread (2e7 epochs unless
// epochs_given) and prints gradient descent's epochs/s, the flow's evaluations and the rate of the
// full backpropagation; writes nothing. Returns the exit status (130 when stopped by a signal).
int run_trajectory_bench(const Tool& tool, const trajectory::TrajectoryPlan& plan, bool epochs_given);

// One line per trajectory on stderr: plane, integrator, start loss, outcome, epoch, loss, |grad|.
void print_trajectory_outcomes(const trajectory::TrajectoryJob& job);

}  // namespace xorscape::cli
