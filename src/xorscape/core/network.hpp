#pragma once
// The 2 -> n_h -> 1 network of the papers: one flat parameter vector with named views,
// forward pass, per-example and total loss, analytic gradient (backpropagation) and Hessian.
//
// Parameter order (DESIGN.md, Table 2 of the dissecting paper for n_h = 2):
//   w1_11 w1_12 w1_21 w1_22 ... w1_n1 w1_n2   weight into hidden neuron i from input j
//   b1_1 ... b1_n                             hidden biases
//   w2_11 ... w2_1n                           weight into the output from hidden neuron i
//   b2_1                                      output bias
// so D = 4 n_h + 1.
#include <Eigen/Dense>

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "xorscape/core/activation.hpp"
#include "xorscape/core/dataset.hpp"

namespace xorscape {

using Params = std::vector<double>;

struct Architecture {
  int n_hidden = 2;
  Activation hidden = Activation::sigmoid;
  Activation output = Activation::sigmoid;
  int dimension() const { return 4 * n_hidden + 1; }
};

// Offsets and names of the parameters in the flat vector (indices are 0-based here,
// names are 1-based as in the paper).
class ParameterLayout {
 public:
  explicit ParameterLayout(int n_hidden);
  int n_hidden() const { return n_hidden_; }
  int dimension() const { return 4 * n_hidden_ + 1; }
  int w1(int hidden, int input) const { return 2 * hidden + input; }
  int b1(int hidden) const { return 2 * n_hidden_ + hidden; }
  int w2(int hidden) const { return 3 * n_hidden_ + hidden; }
  int b2() const { return 4 * n_hidden_; }
  const std::string& name(int index) const { return names_.at(index); }
  const std::vector<std::string>& names() const { return names_; }
  std::optional<int> find(std::string_view name) const;
  // Like find, but throws std::invalid_argument naming the unknown parameter and the valid range.
  int index(std::string_view name) const;

 private:
  int n_hidden_;
  std::vector<std::string> names_;
};

enum class Reduction { mean, sum };

// The loss of one network on one dataset: the "potential" every optimiser, sampler,
// trajectory and stationary-point search talks to.
//   L = (1/M) sum_m (yhat_m - y_m)^2  (Reduction::mean, equation 4-5; M = 4)
//   L = sum_m (yhat_m - y_m)^2        (Reduction::sum)
// plus l2 * |theta|^2 when l2 > 0 (used by the regularised problem of the 488 paper).
class XorLoss {
 public:
  XorLoss(Architecture architecture, Dataset dataset, Reduction reduction = Reduction::mean, double l2 = 0.0);

  const Architecture& architecture() const { return architecture_; }
  const ParameterLayout& layout() const { return layout_; }
  const Dataset& dataset() const { return dataset_; }
  Reduction reduction() const { return reduction_; }
  double l2() const { return l2_; }
  int dimension() const { return layout_.dimension(); }

  // Network output for one input.
  double output(std::span<const double> params, double x1, double x2) const;
  // Hidden activations (size n_h) and output for one input; returns the output.
  double activations(std::span<const double> params, double x1, double x2, std::span<double> hidden) const;
  // (yhat - y)^2 for each of the four examples of the dataset, in table order.
  std::array<double, 4> example_losses(std::span<const double> params) const;

  double value(std::span<const double> params, const Batch& batch = kNonrandomizedBatch) const;
  // Returns the loss and writes dL/dtheta into gradient (size D).
  double value_and_gradient(std::span<const double> params, std::span<double> gradient,
                            const Batch& batch = kNonrandomizedBatch) const;
  // The D x D matrix of second derivatives, analytic.
  Eigen::MatrixXd hessian(std::span<const double> params, const Batch& batch = kNonrandomizedBatch) const;

 private:
  double batch_weight() const { return reduction_ == Reduction::mean ? 0.25 : 1.0; }
  Architecture architecture_;
  ParameterLayout layout_;
  Dataset dataset_;
  Reduction reduction_;
  double l2_;
};

}  // namespace xorscape
