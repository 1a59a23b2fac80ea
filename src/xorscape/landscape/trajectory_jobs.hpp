#pragma once
// The trajectories of one xorscape-trajectory run as a resumable job (io/checkpoint.hpp): every
// (start, integrator) pair is one work unit, independent and deterministic, run in parallel
// (OpenMP, one trajectory per thread). The checkpoint holds the finished trajectories; one that
// was running when the run stopped is dropped and redone from its start on --resume, so a
// resumed run writes exactly what an uninterrupted one writes.
//
// Stops: a signal or a stop request ends the running trajectories within a poll interval of
// their integrator; the runner's checkpoint deadline starts no new trajectory but lets the
// running ones finish (a trajectory cannot be saved half-way, and one longer than the
// checkpoint interval would otherwise never finish).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "xorscape/core/network.hpp"
#include "xorscape/core/run_control.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/landscape/trajectory.hpp"

namespace xorscape::trajectory {

// Where a trajectory starts: the whole parameter vector and the parameters that move.
struct Start {
  Params parameters;
  std::vector<int> moving;  // layout indices; all D for a full-space start
  std::string source;       // how the start was named (provenance)
  std::string note;         // why the values differ from what was named (published rows 3, 4), else empty
};

// What one run computes: every start with every integrator.
struct TrajectoryPlan {
  XorLoss loss{Architecture{}, dataset_by_name("xor")};
  Params center;                             // the point the plane offsets refer to
  std::string center_source;                 // how the center was named
  std::string center_note;                   // why it differs from what was named
  std::optional<std::pair<int, int>> plane;  // --pair: the plane paths are stored in (full-space ones projected)
  std::vector<Start> starts;
  std::vector<Integrator> integrators;
  TrajectorySpec spec;  // everything but the integrator, which each trajectory sets
  // Trajectory j is starts[j / integrators.size()] with integrators[j % integrators.size()].
  std::size_t size() const { return starts.size() * integrators.size(); }
};

// One finished trajectory and how it was made.
struct TrajectoryRecord {
  TrajectorySpec spec;
  TrajectoryResult result;
  EndPointAnalysis end_analysis;
  std::vector<int> moving;                   // layout indices of the moving parameters
  Params start_parameters;                   // the whole vector at the start
  Params end_parameters;                     // the whole vector at the end
  double start_loss = 0.0;
  std::optional<std::pair<int, int>> plane;  // the plane it is stored in (x = first, y = second)
  std::string start_source;
  std::string start_note;
};

// Trajectory j of the plan, from its start to its outcome (Outcome::stopped when control asked).
TrajectoryRecord run_trajectory(const TrajectoryPlan& plan, std::size_t j, const RunControl& control = RunControl());

class TrajectoryJob {
 public:
  explicit TrajectoryJob(TrajectoryPlan plan);
  std::string identity() const;
  bool finished() const;
  double fraction_done() const;
  void advance(const RunControl& control);
  void save(const h5::Group& group) const;
  void load(const h5::Group& group);

  const TrajectoryPlan& plan() const { return plan_; }
  // In plan order (start by start, the integrators of each start in turn); all set once finished().
  const std::vector<TrajectoryRecord>& records() const { return records_; }

 private:
  TrajectoryPlan plan_;
  std::vector<TrajectoryRecord> records_;
  std::vector<std::uint8_t> done_;
};

}  // namespace xorscape::trajectory
