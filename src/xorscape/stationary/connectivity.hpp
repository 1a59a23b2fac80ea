#pragma once
// The connectivity of a census (Wales, "Energy Landscapes", ch. 6; Becker & Karplus 1997): from
// every index-1 saddle class, the two steepest-descent paths that leave it along +v and -v (v the
// eigenvector of its one negative Hessian eigenvalue) end in the two minima the saddle joins.
// Each path starts at saddle +/- displacement * v, follows the gradient flow (the Dormand-Prince
// integrator of landscape/integrators.hpp) until |grad E| < flow_gradient, and is polished by
// the census's Newton solver (newton_refine) to ||grad E||_1 < tolerance. The end is matched to
// the census's classes up to symmetry (orbit distance below the census's --distinct).
//
// The graph's nodes are the census minima (in class order) followed by every other point a
// descent ended at (a minimum the census missed, or a census saddle the flow stalled on): such
// an end is reported as a node outside the census, never dropped. A descent that did not reach
// a stationary point within its budget has no node (-1).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "xorscape/core/run_control.hpp"
#include "xorscape/stationary/stationary.hpp"

namespace xorscape::stationary {

struct ConnectivityOptions {
  double displacement = 1e-3;        // |step| along +/- the unstable eigenvector, before the flow
  double flow_gradient = 1e-7;       // the flow stops when |grad E| (Euclidean) is below this
  double flow_time = 1e8;            // flow time budget (E decreases as dE/dt = -|grad E|^2)
  std::int64_t max_evaluations = 20'000'000;  // gradient evaluations per descent
  double tolerance = 1e-10;          // Newton polish: ||grad E||_1 below this (the census's --tolerance)
  double distinct_tolerance = 0.01;  // ends closer than this to a class (up to symmetry) are that class
};

struct Descent {
  std::vector<double> end;     // the polished end point (the flow's end when the polish failed)
  double energy = 0.0;         // E at the end
  double gradient_l1 = 0.0;    // ||grad E||_1 at the end
  int index = -1;              // Hessian index at the end
  int end_class = -1;          // census class of the end (-1: none)
  int node = -1;               // node of the graph (-1: the descent did not converge)
  bool converged = false;      // the end is a stationary point (||grad E||_1 < tolerance)
  double flow_time = 0.0;
  std::int64_t evaluations = 0;
};

struct SaddleConnection {
  int saddle_class = 0;
  double energy = 0.0;
  std::array<Descent, 2> sides;  // along +v and -v
  // E(saddle) - E(end) from each side (NaN when that descent has no node).
  std::array<double, 2> barrier{};
};

struct ConnectivityNode {
  int census_class = -1;  // -1: not a class of the census
  int index = 0;
  double energy = 0.0;
  std::vector<double> point;  // canonical form
};

struct ConnectivityGraph {
  std::vector<ConnectivityNode> nodes;  // census minima first, then the other ends
  std::vector<SaddleConnection> saddles;  // every index-1 class, in class order
  std::int64_t census_minima = 0;
  std::int64_t ends_outside_census = 0;  // descents whose node is not a census minimum
  std::int64_t unconverged = 0;          // descents without a node
};

// The unit eigenvector of the most negative Hessian eigenvalue at `saddle`, its sign fixed so
// its largest-magnitude component is positive (so +v and -v are reproducible).
std::vector<double> unstable_direction(const RegularisedXorLoss& loss, std::span<const double> saddle);

// One descent from `start` (a point displaced off a saddle): flow, polish, Hessian index. A
// unit of work (bounded by flow_time and max_evaluations), not stopped part-way.
Descent descend(const RegularisedXorLoss& loss, const std::vector<double>& start, const ConnectivityOptions& options);

// The graph of a census. Polls control.interrupted() between descents (an interrupted build
// returns what it has, with fewer saddles than the census has index-1 classes).
ConnectivityGraph connect_census(const RegularisedXorLoss& loss, const HiddenUnitSymmetry& symmetry,
                                 const Census& census, const ConnectivityOptions& options,
                                 const RunControl& control = RunControl());

}  // namespace xorscape::stationary
