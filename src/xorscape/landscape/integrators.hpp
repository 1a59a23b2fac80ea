#pragma once
// The integrators of landscape/trajectory.hpp for any Potential: gradient descent and the
// gradient flow (Dormand-Prince 5(4)), and the analysis of an end point. Included by
// trajectory.hpp; templates, so a full-space path can run on XorLoss itself as well as on the
// plane-restricted loss.
#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <vector>

#include "xorscape/core/potential.hpp"
#include "xorscape/core/run_control.hpp"
#include "xorscape/landscape/trajectory.hpp"

namespace xorscape::trajectory {

namespace detail {

// Epochs of gradient descent between polls of the RunControl (a stop is honoured within this
// many epochs: well under a second even for n_h = 4096 in full space).
inline constexpr std::int64_t kPollInterval = 1 << 10;

inline double squared_norm(std::span<const double> v) {
  double s = 0.0;
  for (double x : v) s += x * x;
  return s;
}

template <Potential P>
TrajectoryResult run_gradient_descent(const P& f, const std::vector<double>& start, const TrajectorySpec& spec,
                                      const RunControl& control) {
  const int k = f.dimension();
  TrajectoryResult result;
  PathRecorder recorder(k, spec.thinning);
  std::vector<double> y = start, g(k);
  const double eta = spec.eta;
  const auto budget = static_cast<std::int64_t>(std::floor(spec.epochs));
  double loss = f.value_and_gradient(y, g);
  std::int64_t evaluations = 1;
  recorder.keep(0.0, y.data(), loss);
  std::int64_t tau = 0;
  double gradient2 = 0.0;
  for (;;) {
    gradient2 = squared_norm(g);
    if (!std::isfinite(loss) || !all_finite(g)) {
      result.outcome = Outcome::diverged;
      break;
    }
    if (loss < spec.loss_threshold) {
      result.outcome = Outcome::converged;
      break;
    }
    if (norm_below(gradient2, g, spec.gradient_tolerance)) {
      result.outcome = Outcome::trapped;
      break;
    }
    if (tau >= budget) {
      result.outcome = Outcome::budget;
      break;
    }
    if ((tau & (kPollInterval - 1)) == 0 && tau > 0) {
      if (control.stop_requested()) {
        result.outcome = Outcome::stopped;
        break;
      }
      control.progress(static_cast<double>(tau), spec.epochs);
    }
    for (int j = 0; j < k; ++j) y[j] -= eta * g[j];
    ++tau;
    loss = f.value_and_gradient(y, g);
    ++evaluations;
    recorder.offer(static_cast<double>(tau), y.data(), loss);
  }
  recorder.keep(static_cast<double>(tau), y.data(), loss);
  result.path = std::move(recorder.path());
  result.end = y;
  result.final_epoch = static_cast<double>(tau);
  result.final_loss = loss;
  result.final_gradient_norm = norm_of(gradient2, g);
  result.evaluations = evaluations;
  result.accepted_steps = tau;
  return result;
}

// Dormand-Prince 5(4) tableau (Hairer, Norsett, Wanner, Solving ODEs I, table 5.2).
namespace dopri {
inline constexpr double a21 = 1.0 / 5;
inline constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
inline constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
inline constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729;
inline constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                        a65 = -5103.0 / 18656;
inline constexpr double b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784, b6 = 11.0 / 84;
// Error coefficients: b - b_hat (5th minus embedded 4th order).
inline constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                        e6 = 22.0 / 525, e7 = -1.0 / 40;
}  // namespace dopri

// A point of the flow. Its right-hand side is -grad L; g holds +grad L.
struct FlowPoint {
  double t = 0.0;
  std::vector<double> y;
  std::vector<double> g;  // grad L at y
  double loss = 0.0;
};

// Cubic Hermite interpolation on one accepted step (third order, from the end values and
// slopes): enough to place stored points and locate events inside a step.
void interpolate(const FlowPoint& a, const FlowPoint& b, double theta, std::vector<double>& y);

// sqrt(mean((v_j / scale_j)^2)) with scale_j = atol + rtol max(|ya_j|, |yb_j|): Hairer's error
// norm, through safe_norm when the squares overflow.
double scaled_norm(const std::vector<double>& v, const std::vector<double>& ya, const std::vector<double>& yb,
                   double absolute_tolerance, double relative_tolerance);

// The gradient flow of one trajectory, one accepted or rejected step at a time.
template <Potential P>
class GradientFlow {
 public:
  GradientFlow(const P& f, const std::vector<double>& start, const TrajectorySpec& spec)
      : f_(f), spec_(spec), k_(f.dimension()), t_end_(spec.eta * spec.epochs), recorder_(k_, spec.thinning),
        current_{0.0, start, std::vector<double>(k_), 0.0}, next_{0.0, std::vector<double>(k_), std::vector<double>(k_), 0.0},
        ytmp_(k_), error_(k_), yinterp_(k_), ginterp_(k_) {
    for (auto& s : stage_) s.assign(k_, 0.0);
  }

  TrajectoryResult run(const RunControl& control) {
    current_.loss = evaluate(current_.y, current_.g);
    recorder_.keep(0.0, current_.y.data(), current_.loss);
    choose_initial_step();
    Outcome outcome = Outcome::budget;
    if (auto initial = check_state(current_)) {
      outcome = *initial;
    } else {
      outcome = integrate(control);
    }
    recorder_.keep(current_.t / spec_.eta, current_.y.data(), current_.loss);
    TrajectoryResult result;
    result.path = std::move(recorder_.path());
    result.outcome = outcome;
    result.end = current_.y;
    result.final_epoch = current_.t / spec_.eta;
    result.final_loss = current_.loss;
    result.final_gradient_norm = norm_of(current_.g);
    result.evaluations = evaluations_;
    result.accepted_steps = accepted_;
    result.rejected_steps = rejected_;
    return result;
  }

 private:
  double evaluate(const std::vector<double>& y, std::vector<double>& g) {
    ++evaluations_;
    return f_.value_and_gradient(y, g);
  }

  // Hairer's heuristic on the scaled norms of y and y'.
  void choose_initial_step() {
    const double d0 = norm(current_.y, current_.y, current_.y);
    const double d1 = norm(current_.g, current_.y, current_.y);
    h_ = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    if (!(h_ > 0.0)) h_ = 1e-6;  // d1 overflowed: the error control shrinks the step from here
    h_ = std::min(h_, t_end_);
  }

  double norm(const std::vector<double>& v, const std::vector<double>& ya, const std::vector<double>& yb) const {
    return scaled_norm(v, ya, yb, spec_.absolute_tolerance, spec_.relative_tolerance);
  }

  std::optional<Outcome> check_state(const FlowPoint& p) const {
    if (!std::isfinite(p.loss) || !all_finite(p.g) || !all_finite(p.y)) return Outcome::diverged;
    if (p.loss < spec_.loss_threshold) return Outcome::converged;
    if (norm_below(squared_norm(p.g), p.g, spec_.gradient_tolerance)) return Outcome::trapped;
    return std::nullopt;
  }

  Outcome integrate(const RunControl& control) {
    std::int64_t polls = 0;
    while (true) {
      if (current_.t >= t_end_ * (1 - 1e-15)) return Outcome::budget;
      if (evaluations_ >= spec_.max_evaluations) return Outcome::budget;
      if (++polls % 256 == 0) {
        if (control.stop_requested()) return Outcome::stopped;
        control.progress(current_.t / spec_.eta, spec_.epochs);
      }
      h_ = std::min(h_, t_end_ - current_.t);
      const double err = attempt_step();
      if (err <= 1.0) {
        if (const auto event = accept_step(err)) return *event;
      } else {
        ++rejected_;
        h_ *= std::clamp(0.9 * std::pow(err, -0.2), 0.1, 1.0);
        if (h_ < 1e-14 * std::max(1.0, current_.t)) return Outcome::diverged;  // the flow is not integrable here
      }
    }
  }

  // k_i = -grad L(y + h sum_j a_ij k_j) into stage[s]; stage[0] = -current.g (FSAL).
  void stage(int s, std::initializer_list<double> a) {
    for (int j = 0; j < k_; ++j) {
      double increment = 0.0;
      int index = 0;
      for (double coefficient : a) increment += coefficient * stage_[index++][j];
      ytmp_[j] = current_.y[j] + h_ * increment;
    }
    evaluate(ytmp_, stage_[s]);
    for (int j = 0; j < k_; ++j) stage_[s][j] = -stage_[s][j];
  }

  // One Dormand-Prince step of size h from current into next; returns the scaled error.
  double attempt_step() {
    using namespace dopri;
    const double h = h_;
    for (int j = 0; j < k_; ++j) stage_[0][j] = -current_.g[j];
    stage(1, {a21});
    stage(2, {a31, a32});
    stage(3, {a41, a42, a43});
    stage(4, {a51, a52, a53, a54});
    stage(5, {a61, a62, a63, a64, a65});
    for (int j = 0; j < k_; ++j)
      next_.y[j] = current_.y[j] + h * (b1 * stage_[0][j] + b3 * stage_[2][j] + b4 * stage_[3][j] +
                                        b5 * stage_[4][j] + b6 * stage_[5][j]);
    next_.loss = evaluate(next_.y, next_.g);
    next_.t = current_.t + h;
    for (int j = 0; j < k_; ++j)
      error_[j] = h * (e1 * stage_[0][j] + e3 * stage_[2][j] + e4 * stage_[3][j] + e5 * stage_[4][j] +
                       e6 * stage_[5][j] + e7 * (-next_.g[j]));
    double err = norm(error_, current_.y, next_.y);
    if (!std::isfinite(err) || !std::isfinite(next_.loss)) err = 1e10;
    return err;
  }

  // Takes the step to next (or to an event inside it); returns the outcome when the path ends.
  std::optional<Outcome> accept_step(double err) {
    ++accepted_;
    // PI controller (Hairer & Wanner, alpha = 0.7/5, beta = 0.4/5).
    const double factor =
        std::clamp(0.9 * std::pow(std::max(err, 1e-10), -0.14) * std::pow(previous_error_, 0.08), 0.2, 5.0);
    previous_error_ = std::max(err, 1e-4);
    // An event inside this step ends the trajectory there (located on the interpolant).
    const std::optional<Outcome> event = check_state(next_);
    FlowPoint end_point;
    if (event && (*event == Outcome::converged || *event == Outcome::trapped))
      end_point = locate_event(*event == Outcome::converged);
    else
      end_point = next_;
    store_inside_step(end_point);
    if (event) {
      current_ = end_point;
      return event;
    }
    recorder_.offer(next_.t / spec_.eta, next_.y.data(), next_.loss);
    std::swap(current_, next_);
    h_ *= factor;
    return std::nullopt;
  }

  // The first point in (current, next] where the loss is below the threshold (converged) or the
  // gradient norm below the tolerance, by bisection on the interpolant, with a fresh evaluation.
  FlowPoint locate_event(bool converged) {
    const FlowPoint& a = current_;
    const FlowPoint& b = next_;
    auto holds = [&](double l, const std::vector<double>& g) {
      return converged ? l < spec_.loss_threshold : norm_below(squared_norm(g), g, spec_.gradient_tolerance);
    };
    double lo = 0.0, hi = 1.0;
    for (int iteration = 0; iteration < 40 && (hi - lo) * (b.t - a.t) > 1e-12 * std::max(1.0, b.t); ++iteration) {
      const double mid = 0.5 * (lo + hi);
      interpolate(a, b, mid, yinterp_);
      const double l = evaluate(yinterp_, ginterp_);
      if (holds(l, ginterp_)) hi = mid;
      else lo = mid;
    }
    FlowPoint event{a.t + hi * (b.t - a.t), std::vector<double>(k_), std::vector<double>(k_), 0.0};
    if (hi >= 1.0) {
      event = b;
    } else {
      interpolate(a, b, hi, event.y);
      event.loss = evaluate(event.y, event.g);
    }
    return event;
  }

  // Stored points: subdivides the step (up to its end point) where it moved or dropped more than
  // the thinning steps, so that long flow steps keep the path's shape.
  void store_inside_step(const FlowPoint& end_point) {
    if (!recorder_.wants(end_point.t / spec_.eta, end_point.y.data(), end_point.loss)) return;
    const double theta_end = (end_point.t - current_.t) / h_;
    double chord2 = 0.0;
    for (int j = 0; j < k_; ++j) {
      ytmp_[j] = end_point.y[j] - current_.y[j];
      chord2 += ytmp_[j] * ytmp_[j];
    }
    const double pieces = std::max(norm_of(chord2, ytmp_) / spec_.thinning.arc_step,
                                   std::abs(end_point.loss - current_.loss) / std::max(spec_.thinning.loss_step, 1e-300));
    const int n_pieces = static_cast<int>(std::min(64.0, std::ceil(pieces)));
    for (int piece = 1; piece < n_pieces; ++piece) {
      const double theta = theta_end * piece / n_pieces;
      interpolate(current_, next_, theta, yinterp_);
      recorder_.offer((current_.t + theta * h_) / spec_.eta, yinterp_.data(), f_.value(yinterp_));
    }
  }

  const P& f_;
  const TrajectorySpec& spec_;
  const int k_;
  const double t_end_;
  PathRecorder recorder_;
  std::int64_t evaluations_ = 0;
  std::int64_t accepted_ = 0;
  std::int64_t rejected_ = 0;
  FlowPoint current_;
  FlowPoint next_;
  std::array<std::vector<double>, 7> stage_;
  std::vector<double> ytmp_, error_, yinterp_, ginterp_;
  double h_ = 0.0;
  double previous_error_ = 1e-4;
};

}  // namespace detail

// Runs one trajectory on `potential` from coordinates `start`. Polls control.stop_requested()
// and returns Outcome::stopped when asked to stop; reports control.progress(epoch, budget).
template <Potential P>
TrajectoryResult run(const P& potential, const std::vector<double>& start, const TrajectorySpec& spec,
                     const RunControl& control = RunControl()) {
  check_run(potential.dimension(), start.size(), spec);
  if (spec.integrator == Integrator::gradient_descent)
    return detail::run_gradient_descent(potential, start, spec, control);
  return detail::GradientFlow<P>(potential, start, spec).run(control);
}

// The end point y of a path on `potential`. A restricted loss is analysed in the full space of
// its XOR loss (full gradient norm at full(y)); any other potential is its own full space.
template <Potential P>
EndPointAnalysis analyse_end_point(const P& potential, std::span<const double> y) {
  EndPointAnalysis analysis;
  std::vector<double> gradient;
  if constexpr (requires { potential.loss(); potential.full(y); }) {
    const Params p = potential.full(y);
    gradient.resize(p.size());
    potential.loss().value_and_gradient(p, gradient);
  } else {
    gradient.resize(y.size());
    potential.value_and_gradient(y, gradient);
  }
  analysis.full_gradient_norm = norm_of(gradient);
  const Eigen::MatrixXd hessian = potential.hessian(y);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(hessian, Eigen::EigenvaluesOnly);
  analysis.hessian_eigenvalues.assign(solver.eigenvalues().data(), solver.eigenvalues().data() + hessian.rows());
  return analysis;
}

}  // namespace xorscape::trajectory
