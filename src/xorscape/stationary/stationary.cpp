#include "xorscape/stationary/stationary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "xorscape/core/activation.hpp"

namespace xorscape::stationary {

std::string to_string(RegularisedSet set) { return set == RegularisedSet::all ? "all" : "weights"; }

std::string to_string(SolveStatus status) {
  switch (status) {
    case SolveStatus::converged: return "converged";
    case SolveStatus::max_iterations: return "max_iterations";
    case SolveStatus::diverged: return "diverged";
    case SolveStatus::stalled: return "stalled";
    case SolveStatus::interrupted: return "interrupted";
  }
  return "unknown";
}

bool is_odd(Activation activation) {
  return activation == Activation::tanh || activation == Activation::identity;
}

// ---- RegularisedXorLoss ----

RegularisedXorLoss::RegularisedXorLoss(StationaryProblem problem)
    : problem_(std::move(problem)),
      network_(problem_.architecture, dataset_by_name(problem_.data), Reduction::sum, 0.0),
      dimension_(4 * problem_.architecture.n_hidden + (problem_.output_bias ? 1 : 0)) {
  if (!(problem_.error_weight > 0.0) || !std::isfinite(problem_.error_weight))
    throw std::invalid_argument("the error weight must be a finite number above 0");
  if (!(problem_.mu >= 0.0) || !std::isfinite(problem_.mu))
    throw std::invalid_argument("mu must be a finite number >= 0");
}

bool RegularisedXorLoss::regularised(int k) const {
  if (problem_.regularised == RegularisedSet::all) return true;
  const int n = n_hidden();
  return k < 2 * n || (k >= 3 * n && k < 4 * n);  // w1_ij and w2_1i, not b1_i or b2_1
}

std::vector<std::string> RegularisedXorLoss::names() const {
  const auto& all = network_.layout().names();
  return {all.begin(), all.begin() + dimension_};
}

Params RegularisedXorLoss::full(std::span<const double> beta) const {
  Params p(network_.dimension(), 0.0);
  std::copy(beta.begin(), beta.end(), p.begin());
  return p;
}

double RegularisedXorLoss::error(std::span<const double> beta) const {
  return problem_.error_weight * network_.value(full(beta));
}

double RegularisedXorLoss::value(std::span<const double> beta) const {
  double penalty = 0.0;
  for (int k = 0; k < dimension_; ++k)
    if (regularised(k)) penalty += beta[k] * beta[k];
  return error(beta) + problem_.mu * penalty;
}

double RegularisedXorLoss::value_and_gradient(std::span<const double> beta, std::span<double> gradient) const {
  const Params p = full(beta);
  Params g(p.size());
  const double c = problem_.error_weight;
  double loss = c * network_.value_and_gradient(p, g);
  for (int k = 0; k < dimension_; ++k) {
    gradient[k] = c * g[k];
    if (regularised(k)) {
      loss += problem_.mu * beta[k] * beta[k];
      gradient[k] += 2.0 * problem_.mu * beta[k];
    }
  }
  return loss;
}

Eigen::MatrixXd RegularisedXorLoss::hessian(std::span<const double> beta) const {
  Eigen::MatrixXd H = problem_.error_weight * network_.hessian(full(beta)).topLeftCorner(dimension_, dimension_);
  for (int k = 0; k < dimension_; ++k)
    if (regularised(k)) H(k, k) += 2.0 * problem_.mu;
  return H;
}

// The same backpropagation as XorLoss::value_and_gradient, in long double throughout.
std::vector<long double> RegularisedXorLoss::gradient_extended(std::span<const long double> beta) const {
  using Real = long double;
  const int n = n_hidden();
  const auto& L = network_.layout();
  std::vector<Real> p(network_.dimension(), 0.0L), g(network_.dimension(), 0.0L);
  std::copy(beta.begin(), beta.end(), p.begin());
  std::vector<Real> h(n), dh(n);
  const Real c = problem_.error_weight;
  for (const Example& ex : network_.dataset().examples) {
    Real u = p[L.b2()];
    for (int i = 0; i < n; ++i) {
      const Real z = p[L.w1(i, 0)] * Real(ex.x1) + p[L.w1(i, 1)] * Real(ex.x2) + p[L.b1(i)];
      const auto a = activate_with_derivatives<Real>(problem_.architecture.hidden, z);
      h[i] = a.value;
      dh[i] = a.first;
      u += p[L.w2(i)] * a.value;
    }
    const auto out = activate_with_derivatives<Real>(problem_.architecture.output, u);
    const Real delta = c * 2 * (out.value - Real(ex.target)) * out.first;
    g[L.b2()] += delta;
    for (int i = 0; i < n; ++i) {
      g[L.w2(i)] += delta * h[i];
      const Real dz = delta * p[L.w2(i)] * dh[i];
      g[L.b1(i)] += dz;
      g[L.w1(i, 0)] += dz * Real(ex.x1);
      g[L.w1(i, 1)] += dz * Real(ex.x2);
    }
  }
  std::vector<Real> gradient(g.begin(), g.begin() + dimension_);
  for (int k = 0; k < dimension_; ++k)
    if (regularised(k)) gradient[k] += 2 * Real(problem_.mu) * p[k];
  return gradient;
}

double RegularisedXorLoss::classified_fraction(std::span<const double> beta, bool ties_half) const {
  const auto& examples = network_.dataset().examples;
  double lo = examples[0].target, hi = lo;
  for (const auto& e : examples) {
    lo = std::min(lo, e.target);
    hi = std::max(hi, e.target);
  }
  const double middle = 0.5 * (lo + hi);
  const Params p = full(beta);
  int correct = 0, undecided = 0;
  for (const auto& e : examples) {
    // An output within rounding of the midpoint (the origin's outputs are 0 by symmetry, up
    // to 1e-17 of noise) is on neither side: it counts as not classified (half with ties_half).
    const double side = network_.output(p, e.x1, e.x2) - middle;
    if (std::abs(side) <= kUndecided) ++undecided;
    else if (side * (e.target - middle) > 0.0) ++correct;
  }
  return (correct + (ties_half ? 0.5 * undecided : 0.0)) / 4.0;
}

// ---- HiddenUnitSymmetry ----

HiddenUnitSymmetry::HiddenUnitSymmetry(int n_hidden, int dimension, bool sign_flips)
    : n_hidden_(n_hidden), dimension_(dimension), sign_flips_(sign_flips), flip_masks_(sign_flips ? 1 << n_hidden : 1) {
  if (n_hidden < 1 || n_hidden > 8) throw std::invalid_argument("symmetry classes need 1 <= n_h <= 8");
  std::vector<int> order(n_hidden);
  std::iota(order.begin(), order.end(), 0);
  do permutations_.push_back(order);
  while (std::next_permutation(order.begin(), order.end()));
}

namespace {
// The parameters of hidden unit i: w1_i1, w1_i2, b1_i, w2_1i.
std::array<int, 4> unit_indices(int n_hidden, int i) { return {2 * i, 2 * i + 1, 2 * n_hidden + i, 3 * n_hidden + i}; }
}  // namespace

Params HiddenUnitSymmetry::apply(int g, std::span<const double> point) const {
  const auto& permutation = permutations_.at(g / flip_masks_);
  const int mask = g % flip_masks_;
  Params image(point.begin(), point.end());
  for (int i = 0; i < n_hidden_; ++i) {
    const int from = permutation[i];
    const double sign = (mask >> i) & 1 ? -1.0 : 1.0;
    const auto to_idx = unit_indices(n_hidden_, i);
    const auto from_idx = unit_indices(n_hidden_, from);
    for (int r = 0; r < 4; ++r) image[to_idx[r]] = sign * point[from_idx[r]];
  }
  return image;
}

Params HiddenUnitSymmetry::canonical(std::span<const double> point) const {
  using Unit = std::array<double, 4>;  // (w2, b1, w1_1, w1_2): the sort key order
  std::vector<Unit> units(n_hidden_);
  for (int i = 0; i < n_hidden_; ++i) {
    const auto idx = unit_indices(n_hidden_, i);
    Unit u{point[idx[3]], point[idx[2]], point[idx[0]], point[idx[1]]};
    if (sign_flips_) {
      const auto first_nonzero = std::find_if(u.begin(), u.end(), [](double v) { return v != 0.0; });
      if (first_nonzero != u.end() && *first_nonzero < 0.0)
        for (double& v : u) v = -v;
    }
    units[i] = u;
  }
  std::sort(units.begin(), units.end(), std::greater<Unit>());
  Params result(point.begin(), point.end());
  for (int i = 0; i < n_hidden_; ++i) {
    const auto idx = unit_indices(n_hidden_, i);
    result[idx[3]] = units[i][0];
    result[idx[2]] = units[i][1];
    result[idx[0]] = units[i][2];
    result[idx[1]] = units[i][3];
  }
  return result;
}

namespace {
double distance(std::span<const double> a, std::span<const double> b) {
  double s = 0.0;
  for (size_t k = 0; k < a.size(); ++k) s += (a[k] - b[k]) * (a[k] - b[k]);
  return std::sqrt(s);
}
}  // namespace

double HiddenUnitSymmetry::orbit_distance(std::span<const double> a, std::span<const double> b) const {
  double best = std::numeric_limits<double>::infinity();
  for (int g = 0; g < order(); ++g) best = std::min(best, distance(apply(g, a), b));
  return best;
}

int HiddenUnitSymmetry::orbit_size(std::span<const double> point, double tolerance) const {
  std::vector<Params> images;
  for (int g = 0; g < order(); ++g) {
    Params image = apply(g, point);
    const bool seen =
        std::any_of(images.begin(), images.end(), [&](const Params& q) { return distance(q, image) < tolerance; });
    if (!seen) images.push_back(std::move(image));
  }
  return static_cast<int>(images.size());
}

// ---- solver ----

namespace {

// log m(x) and its gradient for m(x) = prod_j (|x - x_j|^-p + shift).
double log_deflation(const Eigen::VectorXd& x, const std::vector<std::vector<double>>& deflated, double power,
                     double shift, Eigen::VectorXd& gradient) {
  gradient.setZero(x.size());
  double log_m = 0.0;
  for (const auto& root : deflated) {
    const Eigen::VectorXd r = x - Eigen::Map<const Eigen::VectorXd>(root.data(), x.size());
    const double r2 = std::max(r.squaredNorm(), 1e-300);
    const double inverse = std::pow(r2, -0.5 * power);
    const double factor = inverse + shift;
    log_m += std::log(factor);
    gradient += (-power * inverse / (r2 * factor)) * r;
  }
  return log_m;
}

struct Evaluation {
  Eigen::VectorXd f;
  Eigen::MatrixXd jacobian;
  Eigen::VectorXd log_m_gradient;
  double log_m = 0.0;
  double log_merit = 0.0;  // log |G| = log |F| + log m
};

Evaluation evaluate_at(const GradientSystem& system, const Eigen::VectorXd& x,
                       const std::vector<std::vector<double>>& deflated, const SolverOptions& options) {
  Evaluation e;
  system.evaluate(std::span<const double>(x.data(), x.size()), e.f, e.jacobian);
  e.log_m = log_deflation(x, deflated, options.deflation_power, options.deflation_shift, e.log_m_gradient);
  e.log_merit = std::log(std::max(e.f.norm(), 1e-300)) + e.log_m;
  return e;
}

}  // namespace

SolveResult find_stationary_point(const GradientSystem& system, std::span<const double> start,
                                  const std::vector<std::vector<double>>& deflated, const SolverOptions& options,
                                  const RunControl& control) {
  const int n = system.dimension;
  SolveResult result;
  Eigen::VectorXd x = Eigen::Map<const Eigen::VectorXd>(start.data(), n);
  Evaluation current = evaluate_at(system, x, deflated, options);
  double lambda = 1e-4;
  auto finish = [&](SolveStatus status, int iterations) {
    result.status = status;
    result.point.assign(x.data(), x.data() + n);
    result.gradient_l1 = current.f.lpNorm<1>();
    result.iterations = iterations;
    return result;
  };
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    if (control.interrupted()) return finish(SolveStatus::interrupted, iteration);
    if (!std::isfinite(current.log_merit)) return finish(SolveStatus::diverged, iteration);
    if (current.f.lpNorm<1>() < options.tolerance) return finish(SolveStatus::converged, iteration);
    // G = m F, dG/dx = m (J + F (grad log m)^T); the common factor m cancels from the
    // Levenberg–Marquardt step once lambda is measured relative to A^T A.
    const Eigen::MatrixXd A = current.jacobian + current.f * current.log_m_gradient.transpose();
    const Eigen::MatrixXd normal = A.transpose() * A;
    const Eigen::VectorXd rhs = -A.transpose() * current.f;
    const double scale = std::max(normal.diagonal().maxCoeff(), 1e-300);
    bool accepted = false;
    while (!accepted) {
      Eigen::MatrixXd damped = normal;
      damped.diagonal().array() += lambda * scale;
      const Eigen::VectorXd step = damped.ldlt().solve(rhs);
      const Eigen::VectorXd trial = x + step;
      if (step.allFinite()) {
        Evaluation next = evaluate_at(system, trial, deflated, options);
        if (std::isfinite(next.log_merit) && next.log_merit < current.log_merit) {
          x = trial;
          current = std::move(next);
          lambda = std::max(lambda / 4.0, 1e-14);
          accepted = true;
          continue;
        }
      }
      lambda *= 8.0;
      if (lambda > 1e10) {
        // No decrease of |G| along any damped step: a local minimum of the merit that is
        // not a root, or a root approached as closely as rounding allows.
        return finish(current.f.lpNorm<1>() < options.tolerance ? SolveStatus::converged : SolveStatus::stalled,
                      iteration);
      }
    }
    if (x.norm() > options.divergence_radius) return finish(SolveStatus::diverged, iteration + 1);
  }
  return finish(current.f.lpNorm<1>() < options.tolerance ? SolveStatus::converged : SolveStatus::max_iterations,
                options.max_iterations);
}

SolveResult newton_refine(const GradientSystem& system, std::span<const double> start, double tolerance, int steps) {
  const int n = system.dimension;
  Eigen::VectorXd x = Eigen::Map<const Eigen::VectorXd>(start.data(), n);
  Eigen::VectorXd f;
  Eigen::MatrixXd jacobian;
  system.evaluate(std::span<const double>(x.data(), n), f, jacobian);
  SolveResult result;
  result.status = SolveStatus::stalled;
  int s = 0;
  for (; s < steps && f.lpNorm<1>() >= tolerance; ++s) {
    const Eigen::VectorXd step = jacobian.fullPivLu().solve(-f);
    if (!step.allFinite()) break;
    Eigen::VectorXd next = x + step;
    Eigen::VectorXd next_f;
    Eigen::MatrixXd next_jacobian;
    system.evaluate(std::span<const double>(next.data(), n), next_f, next_jacobian);
    // Far from a root a full step may go anywhere; near one, ||F|| halves at least.
    if (!next_f.allFinite() || (s > 3 && next_f.norm() > 0.5 * f.norm())) break;
    x = next;
    f = next_f;
    jacobian = next_jacobian;
  }
  if (f.lpNorm<1>() < tolerance) result.status = SolveStatus::converged;
  result.point.assign(x.data(), x.data() + n);
  result.gradient_l1 = f.lpNorm<1>();
  result.iterations = s;
  return result;
}

namespace {

// h(beta, tau) and its n x (n+1) Jacobian [(1 - tau) I + tau J, F - (beta - beta_0)].
void homotopy_at(const GradientSystem& system, const Eigen::VectorXd& y, const Eigen::VectorXd& start,
                 Eigen::VectorXd& h, Eigen::MatrixXd& jacobian) {
  const int n = system.dimension;
  const double tau = y[n];
  Eigen::VectorXd f;
  Eigen::MatrixXd J;
  system.evaluate(std::span<const double>(y.data(), n), f, J);
  const Eigen::VectorXd displacement = y.head(n) - start;
  h = (1.0 - tau) * displacement + tau * f;
  jacobian.resize(n, n + 1);
  jacobian.leftCols(n) = tau * J;
  jacobian.leftCols(n).diagonal().array() += 1.0 - tau;
  jacobian.col(n) = f - displacement;
}

// Unit tangent of the path: the null vector of the Jacobian, oriented along `previous`.
Eigen::VectorXd path_tangent(const Eigen::MatrixXd& jacobian, const Eigen::VectorXd& previous) {
  const int n = static_cast<int>(jacobian.rows());
  Eigen::MatrixXd augmented(n + 1, n + 1);
  augmented.topRows(n) = jacobian;
  augmented.row(n) = previous.transpose();
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n + 1);
  rhs[n] = 1.0;
  Eigen::VectorXd t = augmented.fullPivLu().solve(rhs);
  return t / t.norm();
}

struct Correction {
  bool corrected = false;
  int iterations = 0;
};

// Newton corrector on [h = 0; tangent . (z - predicted) = 0] from z = predicted; leaves z, h and
// jacobian at the last iterate.
Correction correct_onto_path(const GradientSystem& system, const Eigen::VectorXd& start,
                             const Eigen::VectorXd& predicted, const Eigen::VectorXd& tangent, double ds,
                             Eigen::VectorXd& z, Eigen::VectorXd& h, Eigen::MatrixXd& jacobian) {
  const int n = system.dimension;
  z = predicted;
  Correction c;
  Eigen::MatrixXd augmented(n + 1, n + 1);
  Eigen::VectorXd residual(n + 1);
  for (; c.iterations < 8; ++c.iterations) {
    homotopy_at(system, z, start, h, jacobian);
    residual.head(n) = h;
    residual[n] = tangent.dot(z - predicted);
    if (!residual.allFinite()) break;
    augmented.topRows(n) = jacobian;
    augmented.row(n) = tangent.transpose();
    const Eigen::VectorXd delta = augmented.partialPivLu().solve(-residual);
    if (!delta.allFinite()) break;
    z += delta;
    if (delta.norm() < 1e-11 * (1.0 + z.norm())) {
      homotopy_at(system, z, start, h, jacobian);
      c.corrected = h.norm() < 1e-8;
      break;
    }
    if (delta.norm() > 0.5 * ds + 1e-12) break;  // the corrector is leaving the predicted neighbourhood
  }
  return c;
}

}  // namespace

HomotopyResult follow_homotopy_path(const GradientSystem& system, std::span<const double> start_span,
                                    const HomotopyOptions& options, const RunControl& control) {
  const int n = system.dimension;
  const Eigen::VectorXd start = Eigen::Map<const Eigen::VectorXd>(start_span.data(), n);
  HomotopyResult result;
  Eigen::VectorXd y(n + 1);
  y.head(n) = start;
  y[n] = 0.0;
  Eigen::VectorXd h;
  Eigen::MatrixXd jacobian;
  homotopy_at(system, y, start, h, jacobian);
  Eigen::VectorXd tangent = Eigen::VectorXd::Zero(n + 1);
  tangent[n] = options.direction >= 0.0 ? 1.0 : -1.0;
  tangent = path_tangent(jacobian, tangent);
  double ds = options.initial_step;
  result.end = "steps";
  for (int step = 0; step < options.max_steps; ++step) {
    if (control.interrupted()) {
      result.end = "interrupted";
      break;
    }
    result.steps = step + 1;
    // Predictor and corrector.
    const Eigen::VectorXd predicted = y + ds * tangent;
    Eigen::VectorXd z;
    const Correction correction = correct_onto_path(system, start, predicted, tangent, ds, z, h, jacobian);
    bool corrected = correction.corrected;
    Eigen::VectorXd next_tangent;
    if (corrected) {
      next_tangent = path_tangent(jacobian, tangent);
      // A sharp turn between tangents means the step jumped between path branches.
      if (next_tangent.dot(tangent) < 0.9) corrected = false;
    }
    if (!corrected) {
      ds *= 0.5;
      if (ds < options.min_step) {
        result.end = "step_size";
        break;
      }
      continue;
    }
    // tau = 1 crossed between y and z: refine the root of F from the interpolated point.
    const double tau0 = y[n] - 1.0, tau1 = z[n] - 1.0;
    if (tau0 * tau1 <= 0.0 && tau0 != tau1) {
      const double s = tau0 / (tau0 - tau1);
      const Eigen::VectorXd guess = y.head(n) + s * (z.head(n) - y.head(n));
      SolveResult refined = newton_refine(system, std::span<const double>(guess.data(), n), options.tolerance);
      if (refined.status == SolveStatus::converged) {
        result.roots.push_back(std::move(refined.point));
        result.steps_at.push_back(step + 1);
      } else {
        ++result.refinement_failures;
      }
    }
    y = z;
    tangent = next_tangent;
    if (correction.iterations <= 2) ds = std::min(options.max_step, 1.5 * ds);
    if (y.head(n).norm() > options.radius_limit) {
      result.end = "radius";
      break;
    }
    if (y[n] < options.tau_min || y[n] > options.tau_max) {
      result.end = "tau";
      break;
    }
  }
  return result;
}

std::vector<double> random_start(int dimension, double radius, RandomStream& rng) {
  std::vector<double> x(dimension);
  double norm = 0.0;
  do {
    norm = 0.0;
    for (double& v : x) {
      v = rng.normal();
      norm += v * v;
    }
  } while (norm < 1e-20);
  norm = std::sqrt(norm);
  for (double& v : x) v *= radius / norm;
  return x;
}

TrialResult run_trial(const GradientSystem& system, const HiddenUnitSymmetry& symmetry, RandomStream& rng,
                      const TrialOptions& options, const RunControl& control) {
  std::vector<double> start = random_start(system.dimension, options.radius, rng);
  TrialResult trial;
  std::vector<std::vector<double>> deflated;
  // Keeps `point` unless the trial already has it; returns whether it was new.
  auto keep = [&](std::vector<double> point, int method, int iterations) {
    const bool repeated = std::any_of(deflated.begin(), deflated.end(), [&](const std::vector<double>& q) {
      return distance(q, point) < options.distinct_tolerance;
    });
    if (repeated) return false;
    for (int g = 0; g < symmetry.order(); ++g) deflated.push_back(symmetry.apply(g, point));
    trial.points.push_back(std::move(point));
    trial.method.push_back(method);
    trial.iterations.push_back(iterations);
    return true;
  };
  if (options.homotopy) {
    for (double direction : {1.0, -1.0}) {
      HomotopyOptions path = options.path;
      path.direction = direction;
      HomotopyResult followed = follow_homotopy_path(system, start, path, control);
      if (followed.end == "interrupted") {
        trial.interrupted = true;
        return trial;
      }
      for (size_t r = 0; r < followed.roots.size(); ++r)
        keep(std::move(followed.roots[r]), 0, followed.steps_at[r]);
      trial.path_steps += followed.steps;
    }
  }
  for (int attempt = 0; attempt < options.solves; ++attempt) {
    SolveResult solved = find_stationary_point(system, start, deflated, options.solver, control);
    if (solved.status == SolveStatus::interrupted) {
      trial.interrupted = true;
      return trial;
    }
    ++trial.solves;
    // A failure, or a root the deflation should have removed (rounding can land on one):
    // the same solve would repeat it, so the next one starts afresh.
    const bool found = solved.status == SolveStatus::converged && keep(std::move(solved.point), 1, solved.iterations);
    if (!found) {
      ++trial.failures;
      start = random_start(system.dimension, options.radius, rng);
    }
  }
  return trial;
}

// ---- census ----

HessianSpectrum hessian_spectrum(const Eigen::MatrixXd& hessian) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(hessian, Eigen::EigenvaluesOnly);
  HessianSpectrum s;
  s.eigenvalues.assign(eigen.eigenvalues().data(), eigen.eigenvalues().data() + eigen.eigenvalues().size());
  s.index = static_cast<int>(std::count_if(s.eigenvalues.begin(), s.eigenvalues.end(), [](double v) { return v < 0; }));
  s.smallest_abs = std::numeric_limits<double>::infinity();
  for (double v : s.eigenvalues) s.smallest_abs = std::min(s.smallest_abs, std::abs(v));
  return s;
}

std::vector<long double> polish_extended(const RegularisedXorLoss& loss, std::span<const double> point, int steps) {
  std::vector<long double> x(point.begin(), point.end());
  const int n = loss.dimension();
  for (int s = 0; s < steps; ++s) {
    const std::vector<long double> g = loss.gradient_extended(x);
    std::vector<double> rounded(x.begin(), x.end());
    const Eigen::MatrixXd H = loss.hessian(rounded);
    Eigen::VectorXd gd(n);
    for (int k = 0; k < n; ++k) gd[k] = static_cast<double>(g[k]);
    const Eigen::VectorXd step = H.fullPivLu().solve(gd);
    if (!step.allFinite()) break;
    for (int k = 0; k < n; ++k) x[k] -= static_cast<long double>(step[k]);
  }
  return x;
}

namespace {

// Assigns each hit to a distinct point (a new one when none is within the tolerance) and each new
// point to a class (a new one, stored canonically, when no class's orbit comes within it); counts
// hits and reaching trials per class. False when interrupted.
bool group_hits(const HiddenUnitSymmetry& symmetry, const std::vector<Hit>& hits, double distinct_tolerance,
                const RunControl& control, Census& census) {
  std::vector<std::int64_t> last_trial_counted;
  for (const Hit& hit : hits) {
    if (control.interrupted()) return false;
    int point = -1;
    for (size_t q = 0; q < census.points.size(); ++q)
      if (distance(census.points[q], hit.point) < distinct_tolerance) {
        point = static_cast<int>(q);
        break;
      }
    if (point < 0) {
      int cls = -1;
      for (size_t c = 0; c < census.classes.size(); ++c)
        if (symmetry.orbit_distance(hit.point, census.classes[c].representative) < distinct_tolerance) {
          cls = static_cast<int>(c);
          break;
        }
      if (cls < 0) {
        StationaryClass fresh;
        fresh.representative = symmetry.canonical(hit.point);
        fresh.first_trial = hit.start;
        census.classes.push_back(std::move(fresh));
        last_trial_counted.push_back(-1);
        cls = static_cast<int>(census.classes.size()) - 1;
      }
      census.points.push_back(hit.point);
      census.point_class.push_back(cls);
      point = static_cast<int>(census.points.size()) - 1;
    }
    const int cls = census.point_class[point];
    census.hit_point.push_back(point);
    census.hit_class.push_back(cls);
    StationaryClass& c = census.classes[cls];
    ++c.hits;
    if (last_trial_counted[cls] != hit.start) {
      ++c.trials_reaching;
      last_trial_counted[cls] = hit.start;
    }
  }
  return true;
}

// Discovery curve: classes known after each trial (hits come in trial order).
std::vector<std::int64_t> discovery_curve(const std::vector<Hit>& hits, const Census& census, std::int64_t trials) {
  std::vector<std::int64_t> discovery(trials, 0);
  size_t h = 0;
  std::int64_t known = 0;
  std::vector<bool> seen(census.classes.size(), false);
  for (std::int64_t s = 0; s < trials; ++s) {
    for (; h < hits.size() && hits[h].start == s; ++h)
      if (!seen[census.hit_class[h]]) {
        seen[census.hit_class[h]] = true;
        ++known;
      }
    discovery[s] = known;
  }
  return discovery;
}

// Loss, error, classification, Hessian spectrum, orbit, long-double confirmation and reach
// probability of a class from its representative.
void characterise(const RegularisedXorLoss& loss, const HiddenUnitSymmetry& symmetry, double distinct_tolerance,
                  double degenerate_below, std::int64_t trials, StationaryClass& c) {
  const auto& r = c.representative;
  Eigen::VectorXd gradient(loss.dimension());
  c.loss = loss.value_and_gradient(r, std::span<double>(gradient.data(), static_cast<size_t>(gradient.size())));
  c.gradient_l1 = gradient.lpNorm<1>();
  c.error = loss.error(r);
  c.classified = loss.classified_fraction(r);
  HessianSpectrum spectrum = hessian_spectrum(loss.hessian(r));
  c.eigenvalues = std::move(spectrum.eigenvalues);
  c.index = spectrum.index;
  c.smallest_abs_eigenvalue = spectrum.smallest_abs;
  c.degenerate = spectrum.smallest_abs < degenerate_below;
  c.classified_ties_half = loss.classified_fraction(r, true);
  c.orbit_size = symmetry.orbit_size(r, distinct_tolerance);
  const std::vector<long double> polished = polish_extended(loss, r);
  long double l1 = 0.0L, shift = 0.0L;
  for (long double v : loss.gradient_extended(polished)) l1 += std::fabs(v);
  for (size_t k = 0; k < r.size(); ++k) shift += (polished[k] - r[k]) * (polished[k] - r[k]);
  c.gradient_l1_extended = static_cast<double>(l1);
  c.extended_shift = static_cast<double>(std::sqrt(shift));
  c.probability = static_cast<double>(c.trials_reaching) / static_cast<double>(trials);
  c.probability_error = std::sqrt(c.probability * (1.0 - c.probability) / static_cast<double>(trials));
}

std::vector<std::int64_t> figure_order_of(const std::vector<StationaryClass>& classes) {
  std::vector<std::int64_t> order(classes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
    const StationaryClass& x = classes[a];
    const StationaryClass& y = classes[b];
    if (x.classified != y.classified) return x.classified < y.classified;
    if ((x.index == 0) != (y.index == 0)) return x.index == 0;
    return x.probability > y.probability;
  });
  return order;
}

}  // namespace

std::optional<Census> build_census(const RegularisedXorLoss& loss, const HiddenUnitSymmetry& symmetry,
                                   const std::vector<Hit>& hits, std::int64_t trials, double distinct_tolerance,
                                   const RunControl& control, double degenerate_below) {
  Census census;
  census.trials = trials;
  if (!group_hits(symmetry, hits, distinct_tolerance, control, census)) return std::nullopt;
  census.discovery = discovery_curve(hits, census, trials);
  for (StationaryClass& c : census.classes) {
    if (control.interrupted()) return std::nullopt;
    characterise(loss, symmetry, distinct_tolerance, degenerate_below, trials, c);
  }
  for (const auto& point : census.points) {
    census.point_loss.push_back(loss.value(point));
    census.point_classified.push_back(loss.classified_fraction(point));
  }
  census.figure_order = figure_order_of(census.classes);
  return census;
}

std::string kind_of(int index, int dimension) {
  if (index == 0) return "minimum";
  if (index == dimension) return "maximum";
  return "saddle";
}

int kind_row(int index, int dimension) { return index == 0 ? 0 : (index == dimension ? 2 : 1); }

namespace {

// Table 2's row of one class: classes of the kind classifying at least / exactly level * 25 %.
void count_level(double classified, int row, std::array<std::array<std::int64_t, CensusSummary::kLevels>, CensusSummary::kKinds>& at_least,
                 std::array<std::array<std::int64_t, CensusSummary::kLevels>, CensusSummary::kKinds>& exactly) {
  const double quarters = 4.0 * classified;
  const int level = static_cast<int>(std::floor(quarters + 1e-9));
  if (std::abs(quarters - std::round(quarters)) < 1e-9) exactly[row][level] += 1;
  for (int l = 0; l <= level; ++l) at_least[row][l] += 1;
}

}  // namespace

std::string completeness_of(std::int64_t morse_sum, std::int64_t degenerate, std::int64_t classes,
                            std::int64_t trials_since_new_class, std::int64_t complete_after) {
  if (classes > 0 && 2 * degenerate >= classes) return "ill-posed";
  if (morse_sum == 1 && degenerate == 0 && trials_since_new_class >= complete_after) return "complete";
  return "incomplete";
}

CensusSummary summarise(const Census& census, int dimension, std::int64_t complete_after) {
  CensusSummary s;
  s.trials = census.trials;
  s.classes = static_cast<std::int64_t>(census.classes.size());
  s.distinct_points = static_cast<std::int64_t>(census.points.size());
  for (const StationaryClass& c : census.classes) {
    const int row = kind_row(c.index, dimension);
    (row == 0 ? s.minima : row == 1 ? s.saddles : s.maxima) += 1;
    s.solutions += c.orbit_size;
    s.morse_sum += (c.index % 2 == 0 ? 1 : -1) * static_cast<std::int64_t>(c.orbit_size);
    if (c.degenerate) ++s.degenerate_classes;
    if (row == 0) s.minimum_solutions += c.orbit_size;
    count_level(c.classified, row, s.at_least, s.exactly);
    count_level(c.classified_ties_half, row, s.at_least_ties_half, s.exactly_ties_half);
  }
  for (std::int64_t t = 0; t < census.trials; ++t)
    if (census.discovery[t] == s.classes) {
      s.last_new_class = t + 1;
      break;
    }
  s.completeness = completeness_of(s.morse_sum, s.degenerate_classes, s.classes, s.trials - s.last_new_class,
                                   complete_after);
  return s;
}

ClassTracker::ClassTracker(const RegularisedXorLoss& loss, const HiddenUnitSymmetry& symmetry,
                           double distinct_tolerance, double degenerate_below)
    : loss_(&loss), symmetry_(&symmetry), distinct_(distinct_tolerance), degenerate_below_(degenerate_below) {}

void ClassTracker::add(const Hit& hit) {
  ++hits_added_;
  for (const auto& r : representatives_)
    if (symmetry_->orbit_distance(hit.point, r) < distinct_) return;
  representatives_.push_back(symmetry_->canonical(hit.point));
  const auto& r = representatives_.back();
  const HessianSpectrum spectrum = hessian_spectrum(loss_->hessian(r));
  morse_sum_ += (spectrum.index % 2 == 0 ? 1 : -1) * static_cast<std::int64_t>(symmetry_->orbit_size(r, distinct_));
  if (spectrum.smallest_abs < degenerate_below_) ++degenerate_;
  last_new_trial_ = hit.start + 1;
}

}  // namespace xorscape::stationary
