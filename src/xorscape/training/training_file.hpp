#pragma once
// The layouts of xorscape-train and xorscape-converge files (docs/xorscape-train.md,
// docs/xorscape-converge.md) and of the training checkpoint's /state: write and read side by side.
#include <string>
#include <vector>

#include "xorscape/io/h5.hpp"
#include "xorscape/io/parameter_point.hpp"
#include "xorscape/training/converge.hpp"
#include "xorscape/training/training_job.hpp"

namespace xorscape::training {

// xorscape-train: the network, the plan's settings, /runs (one row per run, with the summary),
// /traces/run_NNNNN (what the observers recorded) and, for a learning-rate sweep, /sweep
// (docs/xorscape-train.md). The job must be finished.
void write_training(const h5::Group& root, const TrainingJob& job);

// The checkpoint state of a training job: each run's parameters, epoch, converged epoch,
// finished flag, Adam moments and accepted Monte Carlo moves, and the traces recorded so far.
void write_training_state(const h5::Group& group, const TrainingPlan& plan, const std::vector<TrainingRun>& runs);
// Reads it into runs made by initial_runs(plan); throws std::runtime_error when the state does
// not fit the plan.
void read_training_state(const h5::Group& group, const TrainingPlan& plan, std::vector<TrainingRun>& runs);

// "run_00003": the trace group of run 3.
std::string run_name(std::size_t run);

// xorscape-converge: the network, the center and its provenance, and per (parameter, Delta)
// tau_conv and the run averages (docs/xorscape-converge.md).
void write_converge(const h5::Group& root, const ConvergeJob& job);

// Parameter points of a train file: run=K (final parameters of run K; with "initial" its start);
// without a selector the only run's final parameters. A converge file: center (the default).
Params read_point(const h5::Group& root, const io::PointSelector& selector);

}  // namespace xorscape::training
