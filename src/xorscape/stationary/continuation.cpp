#include "xorscape/stationary/continuation.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace xorscape::stationary {

namespace {

RegularisedXorLoss at_mu(const RegularisedXorLoss& loss, double mu) {
  StationaryProblem p = loss.problem();
  p.mu = mu;
  return RegularisedXorLoss(p);
}

// dbeta/dmu = -H^-1 dF/dmu; dF/dmu is the derivative of 2 mu beta_k (regularised k) in mu.
Eigen::VectorXd tangent(const RegularisedXorLoss& loss, const Eigen::VectorXd& beta) {
  const int n = loss.dimension();
  Eigen::VectorXd dfdmu(n);
  const RegularisedXorLoss unregularised = at_mu(loss, 0.0);
  // The regulariser's gradient at mu = 1 minus at mu = 0 is exactly 2 beta_k on the regularised set.
  const RegularisedXorLoss unit = at_mu(loss, 1.0);
  std::vector<double> g1(n), g0(n);
  unit.value_and_gradient(std::span<const double>(beta.data(), n), g1);
  unregularised.value_and_gradient(std::span<const double>(beta.data(), n), g0);
  for (int k = 0; k < n; ++k) dfdmu(k) = g1[k] - g0[k];
  return loss.hessian(std::span<const double>(beta.data(), n)).fullPivLu().solve(-dfdmu);
}

struct Walker {
  Eigen::VectorXd beta;
  double mu;
  int index;
};

// One corrected step from w towards mu + h; false when the corrector failed.
bool step(const RegularisedXorLoss& base, Walker& w, double h, const ContinuationOptions& options) {
  const RegularisedXorLoss here = at_mu(base, w.mu);
  const Eigen::VectorXd predicted = w.beta + h * tangent(here, w.beta);
  if (!predicted.allFinite()) return false;
  const RegularisedXorLoss there = at_mu(base, w.mu + h);
  const SolveResult r = newton_refine(gradient_system(there), std::span<const double>(predicted.data(), predicted.size()),
                                      options.tolerance, 12);
  if (r.status != SolveStatus::converged) return false;
  const Eigen::VectorXd next = Eigen::Map<const Eigen::VectorXd>(r.point.data(), static_cast<Eigen::Index>(r.point.size()));
  if ((next - w.beta).norm() > options.max_jump) return false;  // jumped to another branch
  w.beta = next;
  w.mu += h;
  return true;
}

// Follows w to mu_target; false (w at the last good point) when the step fell below the minimum.
bool walk_to(const RegularisedXorLoss& base, Walker& w, double target, double& step_size, const ContinuationOptions& options,
             Branch& branch) {
  while (w.mu != target) {
    const double remaining = target - w.mu;
    const double h = std::copysign(std::min(step_size, std::abs(remaining)), remaining);
    Walker trial = w;
    if (step(base, trial, h, options)) {
      if (std::abs(h) == std::abs(remaining)) trial.mu = target;  // no rounding drift at the grid
      const int index = hessian_spectrum(at_mu(base, trial.mu).hessian(std::span<const double>(trial.beta.data(), trial.beta.size()))).index;
      if (index != w.index) ++branch.index_changes;
      trial.index = index;
      w = trial;
      ++branch.steps;
      step_size *= 1.5;
    } else {
      step_size *= 0.5;
      if (step_size < options.relative_min_step * w.mu) return false;
    }
  }
  return true;
}

void record(const RegularisedXorLoss& base, const Walker& w, size_t g, Branch& b) {
  b.alive[g] = 1;
  b.points[g].assign(w.beta.data(), w.beta.data() + w.beta.size());
  b.energy[g] = at_mu(base, w.mu).value(b.points[g]);
  b.index[g] = w.index;
}

double smallest_abs(const RegularisedXorLoss& base, const Walker& w) {
  return hessian_spectrum(at_mu(base, w.mu).hessian(std::span<const double>(w.beta.data(), w.beta.size()))).smallest_abs;
}

}  // namespace

Branch follow_branch(const RegularisedXorLoss& loss, const std::vector<double>& start, const std::vector<double>& grid,
                     const ContinuationOptions& options) {
  const size_t G = grid.size();
  Branch b;
  b.alive.assign(G, 0);
  b.points.assign(G, {});
  b.energy.assign(G, std::nan(""));
  b.index.assign(G, -1);
  const double mu0 = loss.problem().mu;
  const Walker origin{Eigen::Map<const Eigen::VectorXd>(start.data(), static_cast<Eigen::Index>(start.size())), mu0,
                      hessian_spectrum(loss.hessian(start)).index};
  const auto first_above = static_cast<size_t>(std::lower_bound(grid.begin(), grid.end(), mu0) - grid.begin());
  // Down: grid points below mu0, nearest first.
  Walker w = origin;
  double h = 0.01 * mu0;
  b.end_below = grid.front();
  for (size_t g = first_above; g-- > 0;) {
    if (!walk_to(loss, w, grid[g], h, options, b)) {
      b.fold_below = true;
      b.end_below = w.mu;
      break;
    }
    record(loss, w, g, b);
  }
  b.smallest_abs_below = smallest_abs(loss, w);
  w = origin;
  h = 0.01 * mu0;
  b.end_above = grid.back();
  for (size_t g = first_above; g < G; ++g) {
    if (!walk_to(loss, w, grid[g], h, options, b)) {
      b.fold_above = true;
      b.end_above = w.mu;
      break;
    }
    record(loss, w, g, b);
  }
  b.smallest_abs_above = smallest_abs(loss, w);
  return b;
}

std::optional<ContinuationResult> continue_census(const RegularisedXorLoss& loss, const HiddenUnitSymmetry& symmetry,
                                                  const Census& census, const ContinuationOptions& options,
                                                  const RunControl& control) {
  ContinuationResult result;
  const int G = options.grid_points;
  for (int g = 0; g < G; ++g)
    result.mu.push_back(G == 1 ? options.mu_min
                               : options.mu_min * std::pow(options.mu_max / options.mu_min, static_cast<double>(g) / (G - 1)));
  for (const StationaryClass& c : census.classes) {
    if (control.interrupted()) return std::nullopt;
    result.branches.push_back(follow_branch(loss, c.representative, result.mu, options));
    result.branches.back().census_class = static_cast<int>(result.branches.size()) - 1;
    const Branch& b = result.branches.back();
    result.folds += b.fold_below + b.fold_above;
  }
  // Distinct classes at each grid point: branches that met (a fold's two partners just before it,
  // or two classes merging at a branch point) are one class there.
  result.counts.assign(static_cast<size_t>(G), std::vector<std::int64_t>(static_cast<size_t>(loss.dimension()) + 1, 0));
  for (int g = 0; g < G; ++g) {
    std::vector<const std::vector<double>*> seen;
    for (const Branch& b : result.branches) {
      if (!b.alive[g]) continue;
      const bool repeat = std::any_of(seen.begin(), seen.end(), [&](const std::vector<double>* p) {
        return symmetry.orbit_distance(*p, b.points[g]) < options.distinct_tolerance;
      });
      if (repeat) continue;
      seen.push_back(&b.points[g]);
      ++result.counts[g][b.index[g]];
    }
  }
  return result;
}

}  // namespace xorscape::stationary
