#pragma once
// Following the stationary points of a census as mu changes (a bifurcation diagram), by natural-
// parameter predictor-corrector continuation on F(beta; mu) = grad E(beta; mu) = 0:
//   tangent   dbeta/dmu = -H^-1 dF/dmu, with dF/dmu = 2 beta_k on the regularised parameters
//   predictor beta + h dbeta/dmu at mu + h
//   corrector the census's Newton solver (newton_refine) to ||F||_1 < tolerance
//   step      grown by 1.5 after an easy correction, halved after a failed one
// A branch cannot pass a fold (a turning point in mu, where the Hessian is singular and two
// classes meet and annihilate): there the step shrinks below min_step and the branch ends; the
// end is recorded with the smallest |Hessian eigenvalue| at the last point (near 0 at a fold).
// An index change between accepted steps (an eigenvalue crossing zero without a fold: a
// symmetry-breaking branch point) is counted as an event of the branch.
//
// Every class of one census (at mu0) is followed down to mu_min and up to mu_max and sampled on a
// log-spaced grid of mu; classes that do not exist at mu0 are not seen (born at a fold away from
// mu0 in a region no census covered): the counts away from mu0 are those of the census's branches.
#include <cstdint>
#include <vector>

#include "xorscape/core/run_control.hpp"
#include "xorscape/stationary/stationary.hpp"

namespace xorscape::stationary {

struct ContinuationOptions {
  double mu_min = 0.001;
  double mu_max = 0.2;
  int grid_points = 40;             // log-spaced from mu_min to mu_max
  double tolerance = 1e-10;         // ||grad E||_1 of accepted points
  double distinct_tolerance = 0.01; // branches closer than this (up to symmetry) are one class
  double relative_min_step = 1e-9;  // a branch ends when its step falls below this * mu
  double max_jump = 0.1;            // a correction may move the point at most this far (Euclidean)
};

struct Branch {
  int census_class = 0;
  // Per grid point: whether the branch exists there, its point, E, index (-1 when not alive).
  std::vector<std::uint8_t> alive;
  std::vector<std::vector<double>> points;
  std::vector<double> energy;
  std::vector<int> index;
  // Where the branch ends below and above mu0 (mu_min / mu_max when it reaches the range end).
  double end_below = 0.0, end_above = 0.0;
  bool fold_below = false, fold_above = false;  // ended before the range end (a fold or a failure)
  double smallest_abs_below = 0.0, smallest_abs_above = 0.0;  // smallest |eigenvalue| at each end
  int index_changes = 0;  // accepted steps across which the index changed
  std::int64_t steps = 0;
};

struct ContinuationResult {
  std::vector<double> mu;        // the grid
  std::vector<Branch> branches;  // one per census class, in class order
  // [grid point][index 0..D]: distinct classes (branches merged when they meet) by Hessian index.
  std::vector<std::vector<std::int64_t>> counts;
  std::int64_t folds = 0;  // branch ends inside (mu_min, mu_max)
};

// mu0 is the census's mu (loss.problem().mu). Polls control.interrupted() between branches
// (returns nothing when interrupted).
std::optional<ContinuationResult> continue_census(const RegularisedXorLoss& loss, const HiddenUnitSymmetry& symmetry,
                                                  const Census& census, const ContinuationOptions& options,
                                                  const RunControl& control = RunControl());

// One branch from `start` (a stationary point at loss.problem().mu), sampled on `grid`.
Branch follow_branch(const RegularisedXorLoss& loss, const std::vector<double>& start, const std::vector<double>& grid,
                     const ContinuationOptions& options);

}  // namespace xorscape::stationary
