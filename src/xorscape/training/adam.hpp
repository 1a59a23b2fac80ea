#pragma once
// Adam (Kingma & Ba 2014) with bias correction, as one small state object so that any
// trainer (the sigmoid network, the two-ReLU model of the annealing papers) can use it.
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace xorscape {

struct AdamSettings {
  double learning_rate = 0.001;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
};

class Adam {
 public:
  Adam(int dimension, AdamSettings settings = {})
      : settings_(settings), first_(dimension, 0.0), second_(dimension, 0.0) {}

  // theta <- theta - lr * mhat / (sqrt(vhat) + eps)
  void step(std::span<double> params, std::span<const double> gradient) {
    ++steps_;
    const double c1 = 1.0 - std::pow(settings_.beta1, static_cast<double>(steps_));
    const double c2 = 1.0 - std::pow(settings_.beta2, static_cast<double>(steps_));
    for (size_t k = 0; k < params.size(); ++k) {
      first_[k] = settings_.beta1 * first_[k] + (1.0 - settings_.beta1) * gradient[k];
      second_[k] = settings_.beta2 * second_[k] + (1.0 - settings_.beta2) * gradient[k] * gradient[k];
      params[k] -= settings_.learning_rate * (first_[k] / c1) / (std::sqrt(second_[k] / c2) + settings_.epsilon);
    }
  }
  void reset() {
    std::fill(first_.begin(), first_.end(), 0.0);
    std::fill(second_.begin(), second_.end(), 0.0);
    steps_ = 0;
  }
  std::int64_t steps() const { return steps_; }
  const AdamSettings& settings() const { return settings_; }
  // Moment estimates, for checkpoints.
  std::vector<double>& first_moment() { return first_; }
  std::vector<double>& second_moment() { return second_; }
  void set_steps(std::int64_t steps) { steps_ = steps; }

 private:
  AdamSettings settings_;
  std::vector<double> first_;
  std::vector<double> second_;
  std::int64_t steps_ = 0;
};

}  // namespace xorscape
