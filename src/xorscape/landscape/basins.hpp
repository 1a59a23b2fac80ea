#pragma once
// Basins of attraction on a slice (xorscape-slice --basins): from every grid point of a direction
// slice (landscape/direction_slice.hpp: any plane or line the slice tool makes) the full-space
// gradient flow dtheta/dt = -grad L(theta) runs with the trajectory tool's adaptive integrator
// (landscape/integrators.hpp, Dormand-Prince 5(4)) to its end, and the end is labelled:
//   solution  the loss fell below the threshold; the class is the Boolean function each hidden
//             unit computes on the four inputs (the sign of its pre-activation) and the sign of
//             its outgoing weight, up to the network's symmetry (stationary::HiddenUnitSymmetry:
//             hidden-unit permutations, and sign flips for odd hidden activations)
//   level     the gradient norm fell below the tolerance at a loss above the threshold (a plateau
//             or trench: L = 0.25-type levels); trapped ends are grouped into levels by their end
//             loss (single linkage: sorted end losses closer than level_tolerance share a level)
//   budget    still moving when the flow-time or evaluation budget was spent (grouped by end loss
//             like the levels: a slow trench such as L = 1/6 shows as one budget label)
//   diverged  a non-finite loss, gradient or parameter, or an unintegrable flow
// Labels are numbered solutions first (by class key), then levels and budget groups (each by
// loss), then diverged,
// each with a row of the label table (kind, description, count, end losses, representative start
// and end). Labelling runs once every point is done, in row-major order, so labels do not depend
// on the number of threads or on a resume.
//
// The job (io/checkpoint.hpp) takes rows of the grid as its units; a row interrupted by a signal
// is redone on --resume, so a resumed map equals an uninterrupted one bit for bit.
#include <cstdint>
#include <string>
#include <vector>

#include "xorscape/core/run_control.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/landscape/direction_slice.hpp"
#include "xorscape/landscape/trajectory.hpp"

namespace xorscape::slice {

struct BasinSpec {
  DirectionSliceSpec grid;       // the slice: loss, directions, axes (and curvature, path for the file)
  trajectory::TrajectorySpec flow;  // gradient flow with eta = 1: epochs = flow time
  double level_tolerance = 0.01;  // loss units: trapped ends closer than this share a level
};

// The flow settings of a basin map (thinning off: no path is kept), from the budget in flow time.
trajectory::TrajectorySpec basin_flow_spec(double flow_time, std::int64_t max_evaluations, double threshold,
                                           double gradient_tolerance, double relative_tolerance,
                                           double absolute_tolerance);

// The end of the flow from one grid point.
struct BasinPoint {
  trajectory::Outcome outcome = trajectory::Outcome::budget;
  double end_loss = 0.0;
  double arrival_time = 0.0;  // flow time at the end (the event located inside the last step)
  double end_gradient_norm = 0.0;
  std::int64_t evaluations = 0;
  Params end;
};

// The flow from `start` to its end (Outcome::stopped when control asked).
BasinPoint flow_to_end(const XorLoss& loss, const Params& start, const trajectory::TrajectorySpec& flow,
                       const RunControl& control = RunControl());

// The solution class of a network: per hidden unit 5 bits (bit m: pre-activation > 0 on example m
// of the dataset, bit 4: outgoing weight > 0), unit i at bits 5i.., minimised over the symmetry
// group. Needs n_h <= 8 (the group is enumerated).
std::uint64_t solution_key(const XorLoss& loss, const Params& parameters);
// "h: 0111 OR (w2 > 0), 0001 AND (w2 < 0)": each unit's pattern on the examples in table order.
std::string describe_solution(std::uint64_t key, int n_hidden);

enum class BasinKind { solution, level, budget, diverged };
std::string to_string(BasinKind kind);

struct BasinLabel {
  BasinKind kind = BasinKind::budget;
  std::string description;
  std::uint64_t key = 0;             // solution: the class key
  std::int64_t count = 0;            // grid points with this label
  double end_loss_mean = 0.0, end_loss_min = 0.0, end_loss_max = 0.0;
  std::size_t representative = 0;    // the first grid point (row-major) with this label
};

struct BasinMap {
  std::vector<std::int32_t> label;  // per grid point, row-major (y, x)
  std::vector<BasinLabel> table;
};

BasinMap label_basins(const BasinSpec& spec, const std::vector<BasinPoint>& points);

class BasinJob {
 public:
  explicit BasinJob(BasinSpec spec);
  std::string identity() const;
  bool finished() const;
  double fraction_done() const;
  void advance(const RunControl& control);
  void save(const h5::Group& group) const;
  void load(const h5::Group& group);

  const BasinSpec& spec() const { return spec_; }
  std::size_t rows() const { return done_.size(); }
  std::size_t columns() const { return static_cast<std::size_t>(spec_.grid.x.count); }
  const std::vector<BasinPoint>& points() const { return points_; }

 private:
  BasinSpec spec_;
  std::vector<BasinPoint> points_;
  std::vector<std::uint8_t> done_;  // per row
};

// The direction slice of spec.grid (loss and, when asked, curvature) plus the basin maps in
// /plane (or /line) and the label table in /basins (docs/xorscape-slice.md, "Basin maps").
// Which symmetry the solution classes are taken up to (one line for the file).
std::string stationary_symmetry_note(const XorLoss& loss);
void write_basins(const h5::Group& root, const BasinSpec& spec, const std::vector<BasinPoint>& points,
                  const CenterOrigin& center, int deflate_level);

}  // namespace xorscape::slice
