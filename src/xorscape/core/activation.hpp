#pragma once
// Activation functions with their first and second derivatives, written so that
// every finite argument (|z| up to 1e300 and beyond) gives a finite result and
// raises no overflow.
#include <cmath>
#include <string>
#include <string_view>

namespace xorscape {

enum class Activation { sigmoid, tanh, relu, identity };

std::string to_string(Activation activation);
// Throws std::invalid_argument naming the accepted values.
Activation parse_activation(std::string_view text);

// Logistic function 1/(1+e^{-z}); the branch keeps exp's argument non-positive.
inline double sigmoid(double z) {
  if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

struct ActivationValue {
  double value;   // f(z)
  double first;   // f'(z)
  double second;  // f''(z)
};

inline double activate(Activation activation, double z) {
  switch (activation) {
    case Activation::sigmoid: return sigmoid(z);
    case Activation::tanh: return std::tanh(z);
    case Activation::relu: return z > 0.0 ? z : 0.0;
    case Activation::identity: return z;
  }
  return z;
}

// Derivatives are expressed through f(z) itself where possible (sigmoid, tanh),
// which keeps them finite and exactly zero far in the tails.
inline ActivationValue activate_with_derivatives(Activation activation, double z) {
  switch (activation) {
    case Activation::sigmoid: {
      const double s = sigmoid(z);
      const double d = s * (1.0 - s);
      return {s, d, d * (1.0 - 2.0 * s)};
    }
    case Activation::tanh: {
      const double t = std::tanh(z);
      const double d = 1.0 - t * t;
      return {t, d, -2.0 * t * d};
    }
    case Activation::relu:
      // The kink at 0 takes the derivative of the left side (0), as most frameworks do.
      return z > 0.0 ? ActivationValue{z, 1.0, 0.0} : ActivationValue{0.0, 0.0, 0.0};
    case Activation::identity: return {z, 1.0, 0.0};
  }
  return {z, 1.0, 0.0};
}

}  // namespace xorscape
