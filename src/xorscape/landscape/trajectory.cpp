#include "xorscape/landscape/trajectory.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>


namespace xorscape::trajectory {

// ---------------------------------------------------------------------------------------
// RestrictedLoss

RestrictedLoss::RestrictedLoss(const XorLoss& loss, Params base, std::vector<int> moving)
    : loss_(&loss), base_(std::move(base)), moving_(std::move(moving)) {
  const ParameterLayout& layout = loss.layout();
  const int n = layout.n_hidden();
  if (static_cast<int>(base_.size()) != layout.dimension())
    throw std::invalid_argument("base parameter vector has " + std::to_string(base_.size()) + " entries, expected " +
                                std::to_string(layout.dimension()));
  if (moving_.empty()) throw std::invalid_argument("at least one parameter must move");
  std::vector<char> seen(layout.dimension(), 0);
  unit_moves_.assign(n, 0);
  for (int index : moving_) {
    if (index < 0 || index >= layout.dimension())
      throw std::invalid_argument("moving parameter index " + std::to_string(index) + " is out of range");
    if (seen[index]) throw std::invalid_argument("parameter '" + layout.name(index) + "' is listed twice");
    seen[index] = 1;
    Moving role{Kind::b2, 0, 0};
    for (int i = 0; i < n; ++i) {
      if (index == layout.w1(i, 0) || index == layout.w1(i, 1)) {
        role = {Kind::w1, i, index == layout.w1(i, 0) ? 0 : 1};
        unit_moves_[i] = 1;
      } else if (index == layout.b1(i)) {
        role = {Kind::b1, i, 0};
        unit_moves_[i] = 1;
      } else if (index == layout.w2(i)) {
        role = {Kind::w2, i, 0};
      }
    }
    roles_.push_back(role);
  }
  // Hidden units untouched by the moving parameters have the same activation at every step.
  cached_hidden_.assign(4 * n, 0.0);
  const Activation hidden = loss.architecture().hidden;
  for (int m = 0; m < 4; ++m) {
    const Example& ex = loss.dataset().examples[m];
    for (int i = 0; i < n; ++i)
      if (!unit_moves_[i]) {
        const double z = base_[layout.w1(i, 0)] * ex.x1 + base_[layout.w1(i, 1)] * ex.x2 + base_[layout.b1(i)];
        cached_hidden_[m * n + i] = activate(hidden, z);
      }
  }
  for (int k = 0; k < layout.dimension(); ++k)
    if (!seen[k]) fixed_l2_ += loss.l2() * base_[k] * base_[k];
}

Params RestrictedLoss::full(const double* y) const {
  Params p = base_;
  for (size_t k = 0; k < moving_.size(); ++k) p[moving_[k]] = y[k];
  return p;
}

std::vector<double> RestrictedLoss::restrict(const Params& full) const {
  std::vector<double> y(moving_.size());
  for (size_t k = 0; k < moving_.size(); ++k) y[k] = full.at(moving_[k]);
  return y;
}

double RestrictedLoss::value(const double* y) const {
  thread_local std::vector<double> scratch;
  scratch.resize(moving_.size());
  return value_and_gradient(y, scratch.data());
}

// Backpropagation as in XorLoss::value_and_gradient, but only for the moving parameters:
// delta = dl/du = w 2 e g'(u); dl/db2 = delta, dl/dw2_i = delta h_i,
// dl/db1_i = delta w2_i f'(z_i), dl/dw1_ij = delta w2_i f'(z_i) x_j.
double RestrictedLoss::value_and_gradient(const double* y, double* gradient) const {
  const ParameterLayout& L = loss_->layout();
  const int n = L.n_hidden();
  const int k_count = static_cast<int>(moving_.size());
  thread_local std::vector<double> p, h, dh;
  p.assign(base_.begin(), base_.end());
  h.resize(n);
  dh.resize(n);
  for (int k = 0; k < k_count; ++k) {
    p[moving_[k]] = y[k];
    gradient[k] = 0.0;
  }
  const Activation hidden = loss_->architecture().hidden;
  const Activation output = loss_->architecture().output;
  const double weight = loss_->reduction() == Reduction::mean ? 0.25 : 1.0;
  double sum = 0.0;
  for (int m = 0; m < 4; ++m) {
    const Example& ex = loss_->dataset().examples[m];
    double u = p[L.b2()];
    for (int i = 0; i < n; ++i) {
      if (unit_moves_[i]) {
        const double z = p[L.w1(i, 0)] * ex.x1 + p[L.w1(i, 1)] * ex.x2 + p[L.b1(i)];
        const ActivationValue a = activate_with_derivatives(hidden, z);
        h[i] = a.value;
        dh[i] = a.first;
      } else {
        h[i] = cached_hidden_[m * n + i];
      }
      u += p[L.w2(i)] * h[i];
    }
    const ActivationValue out = activate_with_derivatives(output, u);
    const double e = out.value - ex.target;
    sum += e * e;
    const double delta = weight * 2.0 * e * out.first;
    for (int k = 0; k < k_count; ++k) {
      const Moving& r = roles_[k];
      switch (r.kind) {
        case Kind::b2: gradient[k] += delta; break;
        case Kind::w2: gradient[k] += delta * h[r.hidden]; break;
        case Kind::b1: gradient[k] += delta * p[L.w2(r.hidden)] * dh[r.hidden]; break;
        case Kind::w1:
          gradient[k] += delta * p[L.w2(r.hidden)] * dh[r.hidden] * (r.input == 0 ? ex.x1 : ex.x2);
          break;
      }
    }
  }
  double value = weight * sum;
  if (loss_->l2() != 0.0) {
    double moving_squares = 0.0;
    for (int k = 0; k < k_count; ++k) {
      moving_squares += y[k] * y[k];
      gradient[k] += 2.0 * loss_->l2() * y[k];
    }
    value += fixed_l2_ + loss_->l2() * moving_squares;
  }
  return value;
}

// ---------------------------------------------------------------------------------------
// Names

std::string to_string(Integrator integrator) {
  return integrator == Integrator::gradient_descent ? "gd" : "flow";
}

Integrator parse_integrator(std::string_view text) {
  if (text == "gd") return Integrator::gradient_descent;
  if (text == "flow") return Integrator::gradient_flow;
  throw std::invalid_argument("'" + std::string(text) + "' is not an integrator (gd, flow)");
}

std::string to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::converged: return "converged";
    case Outcome::trapped: return "trapped";
    case Outcome::budget: return "budget";
    case Outcome::diverged: return "diverged";
    case Outcome::stopped: return "stopped";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------------
// PathRecorder

PathRecorder::PathRecorder(int dimension, Thinning thinning)
    : thinning_(thinning), mark_factor_(thinning.per_decade > 0 ? std::pow(10.0, 1.0 / thinning.per_decade) : 0.0) {
  path_.dimension = dimension;
}

bool PathRecorder::wants(double epoch, const double* y, double loss) const {
  if (path_.size() == 0) return true;
  if (thinning_.per_decade > 0 && epoch >= next_mark_) return true;
  if (std::abs(loss - path_.loss.back()) >= thinning_.loss_step) return true;
  const double* last = path_.coordinates.data() + (path_.size() - 1) * path_.dimension;
  double distance2 = 0.0;
  for (int k = 0; k < path_.dimension; ++k) distance2 += (y[k] - last[k]) * (y[k] - last[k]);
  return distance2 >= thinning_.arc_step * thinning_.arc_step;
}

bool PathRecorder::offer(double epoch, const double* y, double loss) {
  if (!wants(epoch, y, loss)) return false;
  keep(epoch, y, loss);
  return true;
}

void PathRecorder::keep(double epoch, const double* y, double loss) {
  if (path_.size() > 0 && path_.epoch.back() == epoch) {
    // The same epoch again (the final point after an offered one): replace, never duplicate.
    path_.loss.back() = loss;
    std::copy(y, y + path_.dimension, path_.coordinates.end() - path_.dimension);
  } else {
    path_.epoch.push_back(epoch);
    path_.loss.push_back(loss);
    path_.coordinates.insert(path_.coordinates.end(), y, y + path_.dimension);
  }
  if (mark_factor_ > 0)
    while (next_mark_ <= epoch) next_mark_ = std::max(next_mark_ * mark_factor_, next_mark_ + 1.0);
}

// ---------------------------------------------------------------------------------------
// Integrators

namespace {

double squared_norm(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x * x;
  return s;
}

bool all_finite(const std::vector<double>& v) {
  for (double x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

constexpr std::int64_t kPollInterval = 1 << 16;  // epochs between stop/progress polls

TrajectoryResult run_gradient_descent(const RestrictedLoss& f, const std::vector<double>& start,
                                      const TrajectorySpec& spec, const RunControl& control) {
  const int k = f.dimension();
  TrajectoryResult result;
  PathRecorder recorder(k, spec.thinning);
  std::vector<double> y = start, g(k);
  const double eta = spec.eta;
  const double tolerance2 = spec.gradient_tolerance * spec.gradient_tolerance;
  const auto budget = static_cast<std::int64_t>(std::floor(spec.epochs));
  double loss = f.value_and_gradient(y.data(), g.data());
  std::int64_t evaluations = 1;
  recorder.keep(0.0, y.data(), loss);
  std::int64_t tau = 0;
  double gradient2 = 0.0;
  for (;;) {
    gradient2 = 0.0;
    for (int j = 0; j < k; ++j) gradient2 += g[j] * g[j];
    if (!std::isfinite(loss) || !std::isfinite(gradient2)) {
      result.outcome = Outcome::diverged;
      break;
    }
    if (loss < spec.loss_threshold) {
      result.outcome = Outcome::converged;
      break;
    }
    if (gradient2 < tolerance2) {
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
    loss = f.value_and_gradient(y.data(), g.data());
    ++evaluations;
    recorder.offer(static_cast<double>(tau), y.data(), loss);
  }
  recorder.keep(static_cast<double>(tau), y.data(), loss);
  result.path = std::move(recorder.path());
  result.end = y;
  result.final_epoch = static_cast<double>(tau);
  result.final_loss = loss;
  result.final_gradient_norm = std::sqrt(gradient2);
  result.evaluations = evaluations;
  result.accepted_steps = tau;
  return result;
}

// Dormand-Prince 5(4) tableau (Hairer, Norsett, Wanner, Solving ODEs I, table 5.2).
constexpr double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
constexpr double a21 = 1.0 / 5;
constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729;
constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                 a65 = -5103.0 / 18656;
constexpr double b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784, b6 = 11.0 / 84;
// Error coefficients: b - b_hat (5th minus embedded 4th order).
constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200, e6 = 22.0 / 525,
                 e7 = -1.0 / 40;

// The flow's right-hand side is -grad L; the gradient buffers hold +grad L.
struct FlowPoint {
  double t = 0.0;
  std::vector<double> y;
  std::vector<double> g;  // grad L at y
  double loss = 0.0;
};

// Cubic Hermite interpolation on one accepted step (third order, from the end values and
// slopes): enough to place stored points and locate events inside a step.
void interpolate(const FlowPoint& a, const FlowPoint& b, double theta, std::vector<double>& y) {
  const double h = b.t - a.t;
  const double t2 = theta * theta, t3 = t2 * theta;
  const double h00 = 2 * t3 - 3 * t2 + 1, h10 = t3 - 2 * t2 + theta, h01 = -2 * t3 + 3 * t2, h11 = t3 - t2;
  for (size_t j = 0; j < y.size(); ++j)
    y[j] = h00 * a.y[j] - h10 * h * a.g[j] + h01 * b.y[j] - h11 * h * b.g[j];
}

TrajectoryResult run_gradient_flow(const RestrictedLoss& f, const std::vector<double>& start,
                                   const TrajectorySpec& spec, const RunControl& control) {
  const int k = f.dimension();
  const double eta = spec.eta;
  const double t_end = eta * spec.epochs;
  const double tolerance2 = spec.gradient_tolerance * spec.gradient_tolerance;
  TrajectoryResult result;
  PathRecorder recorder(k, spec.thinning);
  std::int64_t evaluations = 0;
  auto evaluate = [&](const std::vector<double>& y, std::vector<double>& g) {
    ++evaluations;
    return f.value_and_gradient(y.data(), g.data());
  };

  FlowPoint current{0.0, start, std::vector<double>(k), 0.0};
  current.loss = evaluate(current.y, current.g);
  recorder.keep(0.0, current.y.data(), current.loss);

  std::array<std::vector<double>, 7> stage;
  for (auto& s : stage) s.assign(k, 0.0);
  std::vector<double> ytmp(k), error(k), yinterp(k), ginterp(k);
  FlowPoint next{0.0, std::vector<double>(k), std::vector<double>(k), 0.0};

  // Initial step (Hairer's heuristic on the scaled norms of y and y').
  auto scaled_norm = [&](const std::vector<double>& v, const std::vector<double>& ya, const std::vector<double>& yb) {
    double s = 0.0;
    for (int j = 0; j < k; ++j) {
      const double scale = spec.absolute_tolerance + spec.relative_tolerance * std::max(std::abs(ya[j]), std::abs(yb[j]));
      s += (v[j] / scale) * (v[j] / scale);
    }
    return std::sqrt(s / k);
  };
  double h;
  {
    const double d0 = scaled_norm(current.y, current.y, current.y);
    const double d1 = scaled_norm(current.g, current.y, current.y);
    h = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    h = std::min(h, t_end);
  }
  double previous_error = 1e-4;
  std::int64_t accepted = 0, rejected = 0;
  Outcome outcome = Outcome::budget;
  std::int64_t polls = 0;

  // Locates the first point in (a, b] where `holds` becomes true, by bisection on the
  // interpolant, and moves `current` there (with a fresh evaluation).
  auto locate_event = [&](const FlowPoint& a, const FlowPoint& b, const std::function<bool(double, double)>& holds) {
    double lo = 0.0, hi = 1.0;
    for (int iteration = 0; iteration < 40 && (hi - lo) * (b.t - a.t) > 1e-12 * std::max(1.0, b.t); ++iteration) {
      const double mid = 0.5 * (lo + hi);
      interpolate(a, b, mid, yinterp);
      const double l = evaluate(yinterp, ginterp);
      if (holds(l, squared_norm(ginterp))) hi = mid;
      else lo = mid;
    }
    FlowPoint event{a.t + hi * (b.t - a.t), std::vector<double>(k), std::vector<double>(k), 0.0};
    if (hi >= 1.0) {
      event = b;
    } else {
      interpolate(a, b, hi, event.y);
      event.loss = evaluate(event.y, event.g);
    }
    return event;
  };

  auto check_state = [&](const FlowPoint& p) -> std::optional<Outcome> {
    const double g2 = squared_norm(p.g);
    if (!std::isfinite(p.loss) || !std::isfinite(g2) || !all_finite(p.y)) return Outcome::diverged;
    if (p.loss < spec.loss_threshold) return Outcome::converged;
    if (g2 < tolerance2) return Outcome::trapped;
    return std::nullopt;
  };

  if (auto initial = check_state(current)) {
    outcome = *initial;
  } else {
    while (true) {
      if (current.t >= t_end * (1 - 1e-15)) {
        outcome = Outcome::budget;
        break;
      }
      if (evaluations >= spec.max_evaluations) {
        outcome = Outcome::budget;
        break;
      }
      if (++polls % 256 == 0) {
        if (control.stop_requested()) {
          outcome = Outcome::stopped;
          break;
        }
        control.progress(current.t / eta, spec.epochs);
      }
      h = std::min(h, t_end - current.t);
      // Stages: k_i = -grad L(y + h sum a_ij k_j); stage[0] = -current.g (FSAL).
      for (int j = 0; j < k; ++j) stage[0][j] = -current.g[j];
      auto stage_eval = [&](int s, std::initializer_list<double> a) {
        for (int j = 0; j < k; ++j) {
          double increment = 0.0;
          int index = 0;
          for (double coefficient : a) increment += coefficient * stage[index++][j];
          ytmp[j] = current.y[j] + h * increment;
        }
        evaluate(ytmp, stage[s]);
        for (int j = 0; j < k; ++j) stage[s][j] = -stage[s][j];
      };
      stage_eval(1, {a21});
      stage_eval(2, {a31, a32});
      stage_eval(3, {a41, a42, a43});
      stage_eval(4, {a51, a52, a53, a54});
      stage_eval(5, {a61, a62, a63, a64, a65});
      for (int j = 0; j < k; ++j)
        next.y[j] = current.y[j] + h * (b1 * stage[0][j] + b3 * stage[2][j] + b4 * stage[3][j] + b5 * stage[4][j] +
                                        b6 * stage[5][j]);
      next.loss = evaluate(next.y, next.g);
      next.t = current.t + h;
      for (int j = 0; j < k; ++j)
        error[j] = h * (e1 * stage[0][j] + e3 * stage[2][j] + e4 * stage[3][j] + e5 * stage[4][j] +
                        e6 * stage[5][j] + e7 * (-next.g[j]));
      double err = scaled_norm(error, current.y, next.y);
      if (!std::isfinite(err) || !std::isfinite(next.loss)) err = 1e10;
      if (err <= 1.0) {
        ++accepted;
        // PI controller (Hairer & Wanner, alpha = 0.7/5, beta = 0.4/5).
        const double factor =
            std::clamp(0.9 * std::pow(std::max(err, 1e-10), -0.14) * std::pow(previous_error, 0.08), 0.2, 5.0);
        previous_error = std::max(err, 1e-4);
        // An event inside this step ends the trajectory there (located on the interpolant).
        std::optional<Outcome> event = check_state(next);
        FlowPoint end_point;
        if (event && (*event == Outcome::converged || *event == Outcome::trapped)) {
          const double threshold = spec.loss_threshold;
          const bool converged = *event == Outcome::converged;
          end_point = locate_event(current, next, [&](double l, double g2) {
            return converged ? l < threshold : g2 < tolerance2;
          });
        } else {
          end_point = next;
        }
        // Stored points: subdivide the step (up to its end point) where it moved or dropped more
        // than the thinning steps, so that long flow steps keep the path's shape.
        if (recorder.wants(end_point.t / eta, end_point.y.data(), end_point.loss)) {
          const double theta_end = (end_point.t - current.t) / h;
          double chord2 = 0.0;
          for (int j = 0; j < k; ++j) chord2 += (end_point.y[j] - current.y[j]) * (end_point.y[j] - current.y[j]);
          const double pieces =
              std::max(std::sqrt(chord2) / spec.thinning.arc_step,
                       std::abs(end_point.loss - current.loss) / std::max(spec.thinning.loss_step, 1e-300));
          const int n_pieces = static_cast<int>(std::min(64.0, std::ceil(pieces)));
          for (int piece = 1; piece < n_pieces; ++piece) {
            const double theta = theta_end * piece / n_pieces;
            interpolate(current, next, theta, yinterp);
            recorder.offer((current.t + theta * h) / eta, yinterp.data(), f.value(yinterp.data()));
          }
        }
        if (event) {
          outcome = *event;
          current = end_point;
          break;
        }
        recorder.offer(next.t / eta, next.y.data(), next.loss);
        std::swap(current, next);
        h *= factor;
      } else {
        ++rejected;
        h *= std::clamp(0.9 * std::pow(err, -0.2), 0.1, 1.0);
        if (h < 1e-14 * std::max(1.0, current.t)) {
          outcome = Outcome::diverged;  // the step size collapsed: the flow is not integrable here
          break;
        }
      }
    }
  }
  recorder.keep(current.t / eta, current.y.data(), current.loss);
  result.path = std::move(recorder.path());
  result.outcome = outcome;
  result.end = current.y;
  result.final_epoch = current.t / eta;
  result.final_loss = current.loss;
  result.final_gradient_norm = std::sqrt(squared_norm(current.g));
  result.evaluations = evaluations;
  result.accepted_steps = accepted;
  result.rejected_steps = rejected;
  return result;
}

}  // namespace

EndPointAnalysis analyse_end_point(const XorLoss& loss, const RestrictedLoss& restricted, const std::vector<double>& y) {
  const Params p = restricted.full(y.data());
  EndPointAnalysis analysis;
  std::vector<double> gradient(p.size());
  loss.value_and_gradient(p, gradient);
  analysis.full_gradient_norm = std::sqrt(squared_norm(gradient));
  const Eigen::MatrixXd hessian = loss.hessian(p);
  const int k = restricted.dimension();
  Eigen::MatrixXd sub(k, k);
  for (int r = 0; r < k; ++r)
    for (int c = 0; c < k; ++c) sub(r, c) = hessian(restricted.moving()[r], restricted.moving()[c]);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(sub, Eigen::EigenvaluesOnly);
  analysis.hessian_eigenvalues.assign(solver.eigenvalues().data(), solver.eigenvalues().data() + k);
  return analysis;
}

TrajectoryResult run(const RestrictedLoss& loss, const std::vector<double>& start, const TrajectorySpec& spec,
                     const RunControl& control) {
  if (static_cast<int>(start.size()) != loss.dimension())
    throw std::invalid_argument("start has " + std::to_string(start.size()) + " coordinates, the subspace has " +
                                std::to_string(loss.dimension()));
  if (!(spec.eta > 0) || !std::isfinite(spec.eta)) throw std::invalid_argument("eta must be a finite number above 0");
  if (!(spec.epochs >= 0) || !std::isfinite(spec.epochs)) throw std::invalid_argument("epochs must be finite and >= 0");
  return spec.integrator == Integrator::gradient_descent ? run_gradient_descent(loss, start, spec, control)
                                                         : run_gradient_flow(loss, start, spec, control);
}

}  // namespace xorscape::trajectory
