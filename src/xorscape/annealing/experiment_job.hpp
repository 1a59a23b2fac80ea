#pragma once
// The paired trial experiment as a resumable job (io/checkpoint.hpp), driven by cli::run_job:
// its work units are (sweep point, seed index), independent and deterministic, run in parallel
// in any order. A unit interrupted by a signal is dropped and redone after a resume, so a
// resumed experiment ends with exactly the numbers of an uninterrupted one.
#include <cstdint>
#include <string>

#include "xorscape/annealing/annealing.hpp"
#include "xorscape/core/run_control.hpp"
#include "xorscape/io/h5.hpp"

// The best point of a sweep: the first point with the highest success rate of spec.best_arm.
namespace xorscape::annealing {
int best_point(const ExperimentSpec& spec, const ExperimentResult& result);
}

namespace xorscape::annealing {

class ExperimentJob {
 public:
  explicit ExperimentJob(ExperimentSpec spec);
  // Every setting that changes the numbers (never the thread count).
  std::string identity() const;
  bool finished() const;
  double fraction_done() const;
  // Runs the units not done yet (OpenMP, dynamic schedule) until all are done or control asks
  // to stop: no new unit starts after a deadline or a signal; a signal (control.interrupted())
  // also stops the units in flight within a second.
  void advance(const RunControl& control);
  // The checkpoint state: the runs and traces written so far (annealing_file.hpp).
  void save(const h5::Group& group) const;
  void load(const h5::Group& group);

  // A testing aid: advance() requests a stop (as a signal does) once this many units are done in
  // all (0: never), so a test interrupts an experiment at a known place.
  void stop_after(std::int64_t units) { stop_after_ = units; }

  const ExperimentSpec& spec() const { return spec_; }
  const ExperimentResult& result() const { return result_; }
  // The replication of a sweep's best point, once the sweep is done (spec().replicate_seeds > 0).
  bool replicates() const { return spec_.replicate_seeds > 0; }
  int best_point() const { return best_point_; }
  const ExperimentSpec& replica_spec() const { return replica_spec_; }
  const ExperimentResult& replica() const { return replica_; }

 private:
  void start_replication(int best_point);
  ExperimentSpec spec_;
  ExperimentResult result_;
  int best_point_ = -1;
  ExperimentSpec replica_spec_;
  ExperimentResult replica_;
  std::int64_t stop_after_ = 0;
};

}  // namespace xorscape::annealing
