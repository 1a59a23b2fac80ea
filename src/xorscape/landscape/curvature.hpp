#pragma once
// Curvature of the loss at a point of parameter space: the exact (analytic) Hessian of XorLoss,
// its smallest and largest eigenvalue, the number of negative eigenvalues (the index) and the
// gradient norm. For n_h = 2 the Hessian is assembled in a fixed-size 9 x 9 matrix on the stack
// (the formula of XorLoss::hessian, unrolled per case) and its eigenvalues come from Eigen's
// fixed-size self-adjoint solver; other n_h go through XorLoss::hessian.
#include <span>

#include "xorscape/core/network.hpp"

namespace xorscape::slice {

struct Curvature {
  double loss = 0.0;
  double gradient_norm = 0.0;
  double min_eigenvalue = 0.0;
  double max_eigenvalue = 0.0;
  int negative = 0;  // eigenvalues below -kNegativeTolerance * max(1, max |eigenvalue|)
};

// An eigenvalue counts as negative below this share of the largest magnitude (or of 1): the
// round-off of the eigensolver, so that exactly flat directions (plateaus) are not counted.
inline constexpr double kNegativeTolerance = 1e-12;

class CurvatureEvaluator {
 public:
  explicit CurvatureEvaluator(const XorLoss& loss) : loss_(loss) {}
  Curvature at(std::span<const double> params) const;
  // True when the fixed-size n_h = 2 path is taken (sigmoid, tanh, relu, identity all take it).
  bool fixed_size() const { return loss_.architecture().n_hidden == 2; }

 private:
  const XorLoss& loss_;
};

}  // namespace xorscape::slice
