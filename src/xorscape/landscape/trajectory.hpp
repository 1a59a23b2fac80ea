#pragma once
// Steepest descent on a potential (core/potential.hpp): the XOR loss restricted to a subspace
// (a plane of two parameters with the others held fixed, as in Fig. 6 of the dissecting paper,
// or all of them: RestrictedLoss), or any other Potential such as XorLoss itself.
//
// Two integrators of the same dynamics (landscape/integrators.hpp):
//   gradient descent   v(tau+1) = v(tau) - eta grad L(v(tau))       (equation 6, tau = epoch)
//   gradient flow      dv/dt = -grad L(v)                            (Dormand-Prince 5(4), FSAL,
//                                                                     PI step-size control)
// Gradient descent is the explicit Euler discretisation of the flow with step eta, so flow
// time t corresponds to epoch tau = t / eta. An epoch budget N is a flow-time budget eta N.
// Wherever eta |lambda_max(Hessian)| << 2 the two reach the same end point; the flow needs
// far fewer gradient evaluations because it takes large steps on plateaus.
//
// Every trajectory ends with an Outcome: converged (loss below the threshold), trapped
// (gradient norm of the potential below the tolerance at a loss above the threshold),
// budget (epoch or evaluation budget spent), diverged (non-finite loss, gradient or parameters;
// cannot happen for sigmoid outputs) or stopped (the RunControl asked to stop).
//
// Norms are never compared through their squares alone: at parameters of size 1e300 the
// gradient is finite but its squared norm overflows (norm_of, norm_below).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "xorscape/core/potential.hpp"
#include "xorscape/core/run_control.hpp"
#include "xorscape/landscape/restricted_loss.hpp"

namespace xorscape::trajectory {

enum class Integrator { gradient_descent, gradient_flow };
enum class Outcome { converged, trapped, budget, diverged, stopped };

// "gd" / "flow" and back; parse throws std::invalid_argument.
std::string to_string(Integrator integrator);
Integrator parse_integrator(std::string_view text);
// "converged", "trapped", "budget", "diverged", "stopped" and back (parse throws std::invalid_argument).
std::string to_string(Outcome outcome);
Outcome parse_outcome(std::string_view text);

// Which points of a long path are kept: the first and the last, every point where the
// epoch passes the next of `per_decade` log-spaced marks, and every point whose distance
// (in the moving coordinates) from the last kept point reaches `arc_step` or whose loss
// differs from the last kept loss by `loss_step`. A 6e7-epoch path keeps a few thousand
// points at most, and every turn and every drop of the loss stays visible.
struct Thinning {
  double per_decade = 100.0;
  double arc_step = 0.02;
  double loss_step = 0.002;
};

struct TrajectorySpec {
  Integrator integrator = Integrator::gradient_descent;
  double eta = 0.1;                    // learning rate; flow time t = eta * epoch
  double epochs = 6e7;                 // budget in epochs (flow: time eta * epochs)
  double loss_threshold = 0.005;       // converged below this loss (section 3.2 of the paper)
  double gradient_tolerance = 1e-6;    // trapped: |grad| below this at a loss >= threshold
  // Gradient flow only.
  double relative_tolerance = 1e-8;    // per-step error control, on the moving coordinates
  double absolute_tolerance = 1e-10;
  std::int64_t max_evaluations = 50'000'000;  // gradient evaluations, budget for the flow
  Thinning thinning;
};

// A stored path: n points, coordinates row-major (n x dimension), in the moving coordinates.
struct Path {
  int dimension = 0;
  std::vector<double> epoch;        // GD: epoch tau; flow: t / eta
  std::vector<double> coordinates;  // (n, dimension)
  std::vector<double> loss;
  std::size_t size() const { return epoch.size(); }
};

struct TrajectoryResult {
  Path path;
  Outcome outcome = Outcome::budget;
  std::vector<double> end;           // final moving coordinates
  double final_epoch = 0.0;
  double final_loss = 0.0;
  double final_gradient_norm = 0.0;  // of the potential (the moving subspace)
  std::int64_t evaluations = 0;      // gradient evaluations of the dynamics
  std::int64_t accepted_steps = 0;   // flow: accepted steps (GD: = epochs run)
  std::int64_t rejected_steps = 0;   // flow only
};

// The Euclidean norm of v, given its sum of squares: sqrt(squared) whenever that is finite
// (bit for bit what the integrators always stored), safe_norm(v) when the squares overflow.
double norm_of(double squared, std::span<const double> v);
double norm_of(std::span<const double> v);
// |v| < limit, given v's sum of squares: the comparison of the squares wherever they are
// representable (so outcomes do not move by an epoch), of safe norms where they are not.
bool norm_below(double squared, std::span<const double> v, double limit);
bool all_finite(std::span<const double> v);

// Keeps the points of a dense path that the thinning rule keeps (used by the integrators,
// exposed for tests). The last point is always kept.
class PathRecorder {
 public:
  PathRecorder(int dimension, Thinning thinning);
  // Offers a point; returns true if it was kept.
  bool offer(double epoch, const double* y, double loss);
  // Keeps the point unconditionally (first and last point).
  void keep(double epoch, const double* y, double loss);
  // True if the thinning rule would keep this point (without keeping it).
  bool wants(double epoch, const double* y, double loss) const;
  Path& path() { return path_; }
  const Path& path() const { return path_; }

 private:
  Thinning thinning_;
  Path path_;
  double next_mark_ = 1.0;
  double mark_factor_;
};

// What the end point of a trajectory is, beyond its loss: the gradient in full space (the
// in-plane end point of a restricted run is generally not stationary in all D directions)
// and the Hessian eigenvalues of the potential (all clearly positive: a local minimum of the
// restricted loss; some near zero: a plateau or a trench running off to infinity).
struct EndPointAnalysis {
  double full_gradient_norm = 0.0;
  std::vector<double> hessian_eigenvalues;  // ascending, the potential's coordinates
};

// Throws std::invalid_argument for a start of the wrong size or a bad eta or budget.
void check_run(int dimension, std::size_t start_size, const TrajectorySpec& spec);

}  // namespace xorscape::trajectory

#include "xorscape/landscape/integrators.hpp"
