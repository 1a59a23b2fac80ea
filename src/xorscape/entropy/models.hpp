#pragma once
// Energy functions for the Wang-Landau sampler (entropy/wanglandau.hpp) and the SamplerModel
// concept that says what the sampler needs of one: a value type holding a state x inside a box
// that answers, for a move of one coordinate, the energy the moved state would have. Models are
// copied (one per walker) and swapped between walkers in replica exchange.
#include <array>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <span>
#include <stdexcept>
#include <vector>

#include "xorscape/core/activation.hpp"
#include "xorscape/entropy/entropy.hpp"
#include "xorscape/core/network.hpp"
#include "xorscape/kernels/simd.hpp"

namespace xorscape::entropy {

template <class M>
concept SamplerModel = std::copyable<M> && requires(M model, const M& fixed, int k, double value,
                                                     std::span<const double> x) {
  { fixed.dimension() } -> std::convertible_to<int>;
  { fixed.lower(k) } -> std::convertible_to<double>;   // the box of coordinate k
  { fixed.upper(k) } -> std::convertible_to<double>;
  { model.set_state(x) } -> std::convertible_to<double>;      // full evaluation; returns the energy
  { model.propose(k, value) } -> std::convertible_to<double>; // energy with x_k = value (tentative)
  model.accept();                                              // the last proposal becomes the state
  { fixed.energy() } -> std::convertible_to<double>;
  { fixed.state() } -> std::convertible_to<const std::vector<double>&>;
  // The quantities a model updates incrementally carry rounding that a fresh evaluation would
  // not reproduce; cache() returns them and restore(state, cache) rebuilds the model bit for bit
  // (a checkpoint taken between two steps continues exactly).
  { fixed.cache() } -> std::convertible_to<std::vector<double>>;
  model.restore(x, x);
};

namespace detail {
// The sampler's exponential is kernels::simd::sampler_exp (scalar, short, inlined): see simd.hpp.
using kernels::simd::sampler_exp;

inline double sampler_activate(Activation activation, double z) {
  switch (activation) {
    case Activation::sigmoid: return 1.0 / (1.0 + sampler_exp(-z));
    case Activation::tanh: return std::tanh(z);  // small |z| needs expm1-like care: use the library's
    case Activation::relu: return z > 0.0 ? z : 0.0;
    case Activation::identity: return z;
  }
  return z;
}
}  // namespace detail

// The XOR network's loss (equation 4, nonrandomized batch) with an O(1) update for a move of
// one parameter: per example m it caches the hidden pre-activations z_im, activations h_im,
// the output pre-activation u_m and the squared error e_m. Moving
//   w1_ij or b1_i changes z_im, h_im for the examples whose input x_j is non-zero (all for b1),
//            and u_m += w2_i (h_im' - h_im);
//   w2_i      changes u_m += (w2_i' - w2_i) h_im;
//   b2        changes u_m += b2' - b2;
// so a step costs at most 4 hidden and 4 output activations, for any n_h. z is recomputed
// from the parameters (no drift); u accumulates rounding, so callers refresh with
// set_state(state()) now and then (the sampler does at every round).
class XorNetworkModel {
 public:
  XorNetworkModel(const XorLoss& loss, const Box& box)
      : n_(loss.architecture().n_hidden), hidden_(loss.architecture().hidden), output_(loss.architecture().output),
        weight_(loss.reduction() == Reduction::mean ? 0.25 : 1.0), box_(box), layout_(n_) {
    if (loss.l2() != 0.0) throw std::invalid_argument("the incremental model has no regulariser");
    if (box.dimension() != loss.dimension()) throw std::invalid_argument("box and network dimensions differ");
    for (int m = 0; m < 4; ++m) {
      const Example& e = loss.dataset().examples[m];
      x1_[m] = e.x1;
      x2_[m] = e.x2;
      y_[m] = e.target;
    }
    x_.assign(loss.dimension(), 0.0);
    z_.assign(4 * n_, 0.0);
    h_.assign(4 * n_, 0.0);
  }

  int dimension() const { return 4 * n_ + 1; }
  double lower(int k) const { return box_.lower[k]; }
  double upper(int k) const { return box_.upper[k]; }
  const std::vector<double>& state() const { return x_; }
  double energy() const { return energy_; }

  double set_state(std::span<const double> x) {
    if (static_cast<int>(x.size()) != dimension()) throw std::invalid_argument("state has the wrong dimension");
    if (x.data() != x_.data()) x_.assign(x.begin(), x.end());
    for (int m = 0; m < 4; ++m) u_[m] = x_[layout_.b2()];
    for (int i = 0; i < n_; ++i) {
      for (int m = 0; m < 4; ++m) {
        const double z = x_[layout_.w1(i, 0)] * x1_[m] + x_[layout_.w1(i, 1)] * x2_[m] + x_[layout_.b1(i)];
        z_[4 * i + m] = z;
        h_[4 * i + m] = detail::sampler_activate(hidden_, z);
        u_[m] += x_[layout_.w2(i)] * h_[4 * i + m];
      }
    }
    for (int m = 0; m < 4; ++m) e_[m] = squared_error(m, u_[m]);
    energy_ = total(e_);
    return energy_;
  }

  // z and h per hidden unit and example, u and e per example, the energy.
  std::vector<double> cache() const {
    std::vector<double> c(z_);
    c.insert(c.end(), h_.begin(), h_.end());
    c.insert(c.end(), u_, u_ + 4);
    c.insert(c.end(), e_, e_ + 4);
    c.push_back(energy_);
    return c;
  }
  void restore(std::span<const double> x, std::span<const double> cache) {
    if (static_cast<int>(x.size()) != dimension() || cache.size() != 8 * static_cast<std::size_t>(n_) + 9)
      throw std::invalid_argument("the saved model does not fit this network");
    x_.assign(x.begin(), x.end());
    const double* c = cache.data();
    z_.assign(c, c + 4 * n_);
    h_.assign(c + 4 * n_, c + 8 * n_);
    std::copy(c + 8 * n_, c + 8 * n_ + 4, u_);
    std::copy(c + 8 * n_ + 4, c + 8 * n_ + 8, e_);
    energy_ = c[8 * n_ + 8];
  }

  double propose(int k, double value) {
    k_ = k;
    value_ = value;
    for (int m = 0; m < 4; ++m) {
      new_u_[m] = u_[m];
      new_e_[m] = e_[m];
    }
    if (k < 3 * n_) {
      // w1_ij (k < 2n: i = k/2, j = k%2) or b1_i (i = k - 2n): recompute z from the parameters.
      const int i = k < 2 * n_ ? k / 2 : k - 2 * n_;
      double w_a = x_[layout_.w1(i, 0)], w_b = x_[layout_.w1(i, 1)], b = x_[layout_.b1(i)];
      const double* input = nullptr;  // the input the moved weight multiplies (null for a bias)
      if (k < 2 * n_) {
        if (k % 2 == 0) {
          w_a = value;
          input = x1_;
        } else {
          w_b = value;
          input = x2_;
        }
      } else {
        b = value;
      }
      const double w2 = x_[layout_.w2(i)];
      for (int m = 0; m < 4; ++m) {
        if (input && input[m] == 0.0) {
          new_z_[m] = z_[4 * i + m];
          new_h_[m] = h_[4 * i + m];
          continue;
        }
        const double z = w_a * x1_[m] + w_b * x2_[m] + b;
        const double h = detail::sampler_activate(hidden_, z);
        new_z_[m] = z;
        new_h_[m] = h;
        new_u_[m] = u_[m] + w2 * (h - h_[4 * i + m]);
        new_e_[m] = squared_error(m, new_u_[m]);
      }
    } else if (k < 4 * n_) {
      const int i = k - 3 * n_;
      const double delta = value - x_[k];
      for (int m = 0; m < 4; ++m) {
        new_u_[m] = u_[m] + delta * h_[4 * i + m];
        new_e_[m] = squared_error(m, new_u_[m]);
      }
    } else {
      const double delta = value - x_[k];
      for (int m = 0; m < 4; ++m) {
        new_u_[m] = u_[m] + delta;
        new_e_[m] = squared_error(m, new_u_[m]);
      }
    }
    new_energy_ = total(new_e_);
    return new_energy_;
  }

  void accept() {
    const int k = k_;
    if (k < 3 * n_) {
      const int i = k < 2 * n_ ? k / 2 : k - 2 * n_;
      for (int m = 0; m < 4; ++m) {
        z_[4 * i + m] = new_z_[m];
        h_[4 * i + m] = new_h_[m];
      }
    }
    x_[k] = value_;
    for (int m = 0; m < 4; ++m) {
      u_[m] = new_u_[m];
      e_[m] = new_e_[m];
    }
    energy_ = new_energy_;
  }

 private:
  double squared_error(int m, double u) const {
    const double r = detail::sampler_activate(output_, u) - y_[m];
    return r * r;
  }
  // Same summation order as XorLoss::value, so a fresh state gives the identical number.
  double total(const double* e) const { return weight_ * (((e[0] + e[1]) + e[2]) + e[3]); }

  int n_;
  Activation hidden_, output_;
  double weight_;
  Box box_;
  ParameterLayout layout_;
  double x1_[4], x2_[4], y_[4];
  std::vector<double> x_, z_, h_;  // z_, h_: [4 * i + m]
  double u_[4], e_[4];
  double energy_ = 0.0;
  int k_ = 0;
  double value_ = 0.0;
  double new_z_[4], new_h_[4], new_u_[4], new_e_[4];
  double new_energy_ = 0.0;
};

// E(x) = |x|^2 with x in [-1, 1]^d: the test problem with an exactly known density of states.
// For E <= 1 the states with energy below E fill a d-ball of radius sqrt(E), so
// g(E) = d/dE [V_d E^{d/2}] = (d/2) V_d E^{d/2 - 1}, V_d = pi^{d/2} / Gamma(d/2 + 1).
class SquaredNormModel {
 public:
  explicit SquaredNormModel(int d) : x_(d, 0.0) {}
  int dimension() const { return static_cast<int>(x_.size()); }
  double lower(int) const { return -1.0; }
  double upper(int) const { return 1.0; }
  const std::vector<double>& state() const { return x_; }
  double energy() const { return energy_; }
  double set_state(std::span<const double> x) {
    if (x.data() != x_.data()) x_.assign(x.begin(), x.end());
    energy_ = 0.0;
    for (double v : x_) energy_ += v * v;
    return energy_;
  }
  std::vector<double> cache() const { return {energy_}; }  // summed incrementally
  void restore(std::span<const double> x, std::span<const double> cache) {
    if (x.size() != x_.size() || cache.size() != 1) throw std::invalid_argument("the saved model does not fit");
    x_.assign(x.begin(), x.end());
    energy_ = cache[0];
  }
  double propose(int k, double value) {
    k_ = k;
    value_ = value;
    new_energy_ = energy_ + value * value - x_[k] * x_[k];
    return new_energy_;
  }
  void accept() {
    x_[k_] = value_;
    energy_ = new_energy_;
  }
  // ln of the exact mean density over [lo, hi] (both <= 1): ln((V(hi) - V(lo)) / (hi - lo)).
  static double exact_ln_mean_density(int d, double lo, double hi) {
    const double ln_unit_ball = 0.5 * d * std::log(M_PI) - std::lgamma(0.5 * d + 1.0);
    const double volume = std::pow(hi, 0.5 * d) - std::pow(lo, 0.5 * d);
    return ln_unit_ball + std::log(volume / (hi - lo));
  }

 private:
  std::vector<double> x_;
  double energy_ = 0.0;
  int k_ = 0;
  double value_ = 0.0, new_energy_ = 0.0;
};

static_assert(SamplerModel<XorNetworkModel>);
static_assert(SamplerModel<SquaredNormModel>);

}  // namespace xorscape::entropy
