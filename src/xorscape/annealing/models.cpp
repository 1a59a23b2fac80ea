#include "xorscape/annealing/models.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace xorscape::annealing {

double class_cut(const Dataset& data) {
  double lo = data.examples[0].target, hi = lo;
  for (const Example& e : data.examples) {
    lo = std::min(lo, e.target);
    hi = std::max(hi, e.target);
  }
  return 0.5 * (lo + hi);
}

namespace {
void check_cases(std::span<const int> cases) {
  if (cases.empty() || cases.size() > 4) throw std::invalid_argument("a trial model trains on 1 to 4 cases");
  for (int c : cases)
    if (c < 0 || c > 3) throw std::invalid_argument("case index " + std::to_string(c) + " is not 0..3");
}
}  // namespace

TwoReluModel::TwoReluModel(const Dataset& data, std::span<const int> cases) : cut_(class_cut(data)) {
  check_cases(cases);
  n_ = static_cast<int>(cases.size());
  for (int c = 0; c < n_; ++c) examples_[c] = data.examples[cases[c]];
}

const std::vector<std::string>& TwoReluModel::parameter_names() {
  static const std::vector<std::string> names{"w0_1", "w0_2", "b0", "w1_1", "w1_2", "b1"};
  return names;
}

void TwoReluModel::initialise(Vector& theta, RandomStream& rng, double scale) const {
  const double bound = scale / std::sqrt(2.0);
  for (double& v : theta) v = rng.uniform(-bound, bound);
}

NetworkModel::NetworkModel(Architecture architecture, const Dataset& data, std::span<const int> cases)
    : loss_(architecture, data), cases_(cases.begin(), cases.end()), cut_(class_cut(data)),
      case_gradient_(architecture.dimension()) {
  check_cases(cases);
}

double NetworkModel::evaluate(const Vector& theta, double* losses, double* outputs, Vector& gradient) const {
  std::fill(gradient.begin(), gradient.end(), 0.0);
  const double weight = 1.0 / static_cast<double>(cases_.size());
  double sum = 0.0;
  for (size_t c = 0; c < cases_.size(); ++c) {
    const int m = cases_[c];
    const Example& e = loss_.dataset().examples[m];
    // A batch of four copies of case m: XorLoss's mean over it is l_m and its gradient.
    const double l = loss_.value_and_gradient(theta, case_gradient_, Batch{m, m, m, m});
    losses[c] = l;
    outputs[c] = loss_.output(theta, e.x1, e.x2);
    sum += l;
    for (size_t k = 0; k < gradient.size(); ++k) gradient[k] += weight * case_gradient_[k];
  }
  return sum * weight;
}

bool NetworkModel::dead(const Vector& theta, double x1, double x2) const {
  // Only a ReLU unit sends exactly no gradient below zero; sigmoid and tanh units never die.
  if (loss_.architecture().hidden != Activation::relu) return false;
  const ParameterLayout& L = loss_.layout();
  for (int i = 0; i < L.n_hidden(); ++i)
    if (theta[L.w1(i, 0)] * x1 + theta[L.w1(i, 1)] * x2 + theta[L.b1(i)] > 0.0) return false;
  return true;
}

void NetworkModel::initialise(Vector& theta, RandomStream& rng, double scale) const {
  const ParameterLayout& L = loss_.layout();
  theta.assign(L.dimension(), 0.0);
  const double hidden_bound = scale / std::sqrt(2.0);
  const double output_bound = scale / std::sqrt(static_cast<double>(L.n_hidden()));
  for (int k = 0; k < L.dimension(); ++k) theta[k] = rng.uniform(-1.0, 1.0) * (k < L.w2(0) ? hidden_bound : output_bound);
}

}  // namespace xorscape::annealing
