#include "xorscape/landscape/trajectory.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <stdexcept>

namespace xorscape::trajectory {

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

Outcome parse_outcome(std::string_view text) {
  for (Outcome outcome : {Outcome::converged, Outcome::trapped, Outcome::budget, Outcome::diverged, Outcome::stopped})
    if (text == to_string(outcome)) return outcome;
  throw std::invalid_argument("'" + std::string(text) + "' is not an outcome");
}

// ---------------------------------------------------------------------------------------
// Norms

double norm_of(double squared, std::span<const double> v) {
  return std::isfinite(squared) ? std::sqrt(squared) : safe_norm(v);
}

double norm_of(std::span<const double> v) { return norm_of(detail::squared_norm(v), v); }

bool norm_below(double squared, std::span<const double> v, double limit) {
  const double limit2 = limit * limit;
  if (std::isfinite(squared) && std::isfinite(limit2) && (limit2 >= DBL_MIN || limit == 0.0)) return squared < limit2;
  return safe_norm(v) < limit;
}

bool all_finite(std::span<const double> v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

void check_run(int dimension, std::size_t start_size, const TrajectorySpec& spec) {
  if (static_cast<int>(start_size) != dimension)
    throw std::invalid_argument("start has " + std::to_string(start_size) + " coordinates, the potential has " +
                                std::to_string(dimension));
  if (!(spec.eta > 0) || !std::isfinite(spec.eta)) throw std::invalid_argument("eta must be a finite number above 0");
  if (!(spec.epochs >= 0) || !std::isfinite(spec.epochs)) throw std::invalid_argument("epochs must be finite and >= 0");
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
  const double arc2 = thinning_.arc_step * thinning_.arc_step;
  if (std::isfinite(distance2) && std::isfinite(arc2) && arc2 >= DBL_MIN) return distance2 >= arc2;
  // The squares overflow (or the step's square underflows): compare the distances themselves.
  std::vector<double> difference(path_.dimension);
  for (int k = 0; k < path_.dimension; ++k) difference[k] = y[k] - last[k];
  return safe_norm(difference) >= thinning_.arc_step;
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
// Pieces of the flow integrator

namespace detail {

void interpolate(const FlowPoint& a, const FlowPoint& b, double theta, std::vector<double>& y) {
  const double h = b.t - a.t;
  const double t2 = theta * theta, t3 = t2 * theta;
  const double h00 = 2 * t3 - 3 * t2 + 1, h10 = t3 - 2 * t2 + theta, h01 = -2 * t3 + 3 * t2, h11 = t3 - t2;
  for (size_t j = 0; j < y.size(); ++j)
    y[j] = h00 * a.y[j] - h10 * h * a.g[j] + h01 * b.y[j] - h11 * h * b.g[j];
}

double scaled_norm(const std::vector<double>& v, const std::vector<double>& ya, const std::vector<double>& yb,
                   double absolute_tolerance, double relative_tolerance) {
  const std::size_t k = v.size();
  auto scale = [&](std::size_t j) {
    return absolute_tolerance + relative_tolerance * std::max(std::abs(ya[j]), std::abs(yb[j]));
  };
  double s = 0.0;
  for (std::size_t j = 0; j < k; ++j) s += (v[j] / scale(j)) * (v[j] / scale(j));
  if (std::isfinite(s)) return std::sqrt(s / static_cast<double>(k));
  std::vector<double> scaled(k);
  for (std::size_t j = 0; j < k; ++j) scaled[j] = v[j] / scale(j);
  return safe_norm(scaled) / std::sqrt(static_cast<double>(k));
}

}  // namespace detail

}  // namespace xorscape::trajectory
