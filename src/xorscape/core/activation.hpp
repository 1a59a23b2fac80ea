#pragma once
// Activation functions with their first and second derivatives, written so that
// every finite argument (|z| up to 1e300 and beyond) gives a finite result and
// raises no overflow. This is the scalar reference: the one definition of each activation in
// any floating-point type (double everywhere; long double where the census confirms its roots).
// The vector kernels (kernels/simd.hpp) are tested against it.
#include <cmath>
#include <string>
#include <string_view>

namespace xorscape {

enum class Activation { sigmoid, tanh, relu, identity };

std::string to_string(Activation activation);
// Throws std::invalid_argument naming the accepted values.
Activation parse_activation(std::string_view text);

// Logistic function 1/(1+e^{-z}); the branch keeps exp's argument non-positive.
template <class Real>
inline Real sigmoid(Real z) {
  if (z >= Real(0)) return Real(1) / (Real(1) + std::exp(-z));
  const Real e = std::exp(z);
  return e / (Real(1) + e);
}

template <class Real>
struct BasicActivationValue {
  Real value;   // f(z)
  Real first;   // f'(z)
  Real second;  // f''(z)
};
using ActivationValue = BasicActivationValue<double>;

template <class Real>
inline Real activate(Activation activation, Real z) {
  switch (activation) {
    case Activation::sigmoid: return sigmoid(z);
    case Activation::tanh: return std::tanh(z);
    case Activation::relu: return z > Real(0) ? z : Real(0);
    case Activation::identity: return z;
  }
  return z;
}

// Derivatives are expressed through f(z) itself where possible (sigmoid, tanh),
// which keeps them finite and exactly zero far in the tails.
template <class Real>
inline BasicActivationValue<Real> activate_with_derivatives(Activation activation, Real z) {
  using Value = BasicActivationValue<Real>;
  switch (activation) {
    case Activation::sigmoid: {
      const Real s = sigmoid(z);
      const Real d = s * (Real(1) - s);
      return Value{s, d, d * (Real(1) - Real(2) * s)};
    }
    case Activation::tanh: {
      const Real t = std::tanh(z);
      const Real d = Real(1) - t * t;
      return Value{t, d, Real(-2) * t * d};
    }
    case Activation::relu:
      // The kink at 0 takes the derivative of the left side (0), as most frameworks do.
      return z > Real(0) ? Value{z, Real(1), Real(0)} : Value{Real(0), Real(0), Real(0)};
    case Activation::identity: return Value{z, Real(1), Real(0)};
  }
  return Value{z, Real(1), Real(0)};
}

}  // namespace xorscape
