#pragma once
// The XOR loss as a function of a few moving parameters, the rest held at `base` (a plane of
// two parameters as in Fig. 6 of the dissecting paper, or all D for a full-space path). It is a
// Potential (core/potential.hpp), so the integrators and the end-point analysis take it like
// any other potential.
//
// Hidden units whose pre-activation involves no moving parameter are evaluated once and
// cached, so a plane of two parameters costs one output activation per example plus one hidden
// activation per touched hidden unit. Nonrandomized batch only (the trajectories of the paper
// are deterministic).
#include <Eigen/Dense>

#include <cstdint>
#include <span>
#include <vector>

#include "xorscape/core/network.hpp"
#include "xorscape/core/potential.hpp"

namespace xorscape::trajectory {

class RestrictedLoss {
 public:
  // `moving`: distinct 0-based layout indices (in any order); coordinates are in that order.
  // `loss` must outlive this object.
  RestrictedLoss(const XorLoss& loss, Params base, std::vector<int> moving);

  int dimension() const { return static_cast<int>(moving_.size()); }
  const XorLoss& loss() const { return *loss_; }
  const std::vector<int>& moving() const { return moving_; }
  const Params& base() const { return base_; }
  // The full parameter vector for moving coordinates y.
  Params full(std::span<const double> y) const;
  // The moving coordinates of a full parameter vector.
  std::vector<double> restrict(std::span<const double> full) const;

  double value(std::span<const double> y) const;
  // Returns L(y) and writes the partial derivatives dL/dy (dimension() of them) into gradient.
  double value_and_gradient(std::span<const double> y, std::span<double> gradient) const;
  // The moving-subspace block of XorLoss's Hessian at full(y) (dimension x dimension).
  Eigen::MatrixXd hessian(std::span<const double> y) const;

 private:
  enum class Kind : std::uint8_t { w1, b1, w2, b2 };
  struct Moving {
    Kind kind;
    int hidden;  // unit for w1, b1, w2
    int input;   // 0 or 1 for w1
  };
  const XorLoss* loss_;
  Params base_;
  std::vector<int> moving_;
  std::vector<Moving> roles_;
  std::vector<char> unit_moves_;  // per hidden unit: does its pre-activation involve a moving parameter?
  std::vector<double> cached_hidden_;  // [m * n_h + i] for units that do not move
  double fixed_l2_ = 0.0;              // l2 * sum of squares of the fixed parameters
};

static_assert(Potential<RestrictedLoss>);
static_assert(Potential<XorLoss>);

}  // namespace xorscape::trajectory
