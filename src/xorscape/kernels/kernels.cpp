// The loss kernels: batch_loss (many points at once) and PlaneEvaluator (a plane through parameter
// space, SIMD over its columns). Their vector bodies are templates on the width W, compiled for
// each level by simd::dispatch (the scalar level at W = 1, with the reference activations).
// Contraction into FMA stays on here (see simd.hpp): the wide levels agree with the scalar
// reference to a few ulp.
#include "xorscape/kernels/kernels.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "xorscape/kernels/simd.hpp"

#pragma GCC diagnostic ignored "-Wpsabi"  // wide vectors never cross a call that is not inlined

namespace xorscape::kernels {

// The plan of a plane (see PlaneEvaluator). For example m the output's input is split as
//   u = u_column[c] + u_row(y) + sum_k w_k h_k
// where u_column collects b2 and every term w2_i h_i that does not depend on y (computed
// once per plane), u_row every term that does not depend on x (once per row), and the
// mixed terms depend on both: w2_i or h_i varies with x and the other with y, or h_i
// itself depends on both (HiddenSource::point, the only activations evaluated per point).
enum class HiddenSource { row, column, point };

struct MixedTerm {
  HiddenSource source;
  bool w2_is_x;              // the output weight is the x parameter (else fixed or the y parameter)
  bool w2_is_y;
  double w2;                 // the output weight when fixed
  double z_fixed;            // hidden input without the varying parameters' contributions
  double x_input;            // dz/dx (the case's input, or 1 for a bias)
  double y_input;            // dz/dy
  std::vector<double> h_column;  // HiddenSource::column: the activation per column
};

struct RowTerm {
  bool w2_is_y;
  double w2;
  double z_fixed;
  double y_input;
};

enum class CaseKind { column, row, mixed };

struct PlaneCase {
  int example;
  double target;
  CaseKind kind;
  std::vector<double> u_column;     // padded
  std::vector<double> loss_column;  // CaseKind::column: the case's loss per column, padded
  bool b2_is_y = false;
  std::vector<RowTerm> row_terms;
  std::vector<MixedTerm> terms;
};

struct PlanePlan {
  SimdLevel level;
  Activation hidden;
  Activation output;
  double weight;
  double l2;
  double fixed_norm;  // sum of squares of the parameters that stay at the center
  double y_center;
  std::size_t columns;
  std::size_t padded;
  std::vector<double> x_values;  // center[x] + x_offsets[i], padded with the last value
  std::array<PlaneCase, 4> cases;
};

namespace {

using simd::load;
using simd::splat;
using simd::store;

// out[j] = loss.value(point j, batch): the same operations in the same order as XorLoss::value,
// W points at a time; the remainder goes through XorLoss::value.
template <int W>
XORSCAPE_SIMD_INLINE void batch_loss_body(const XorLoss& loss, const double* points, std::size_t stride,
                                          std::size_t count, double* out, const Batch& batch) {
  using V = simd::Vec<W>;
  const ParameterLayout& L = loss.layout();
  const Architecture& arch = loss.architecture();
  const int n = L.n_hidden();
  const int dimension = L.dimension();
  const double weight = loss.reduction() == Reduction::mean ? 0.25 : 1.0;
  const double l2 = loss.l2();
  std::size_t j = 0;
  for (; j + W <= count; j += W) {
    auto at = [&](int k) XORSCAPE_SIMD_LAMBDA { return load<V>(points + static_cast<std::size_t>(k) * stride + j); };
    V sum = splat<V>(0.0);
    for (int m : batch) {
      const Example& e = loss.dataset().examples[m];
      V u = at(L.b2());
      for (int i = 0; i < n; ++i) {
        const V z = at(L.w1(i, 0)) * e.x1 + at(L.w1(i, 1)) * e.x2 + at(L.b1(i));
        u += at(L.w2(i)) * simd::loss_activate(arch.hidden, z);
      }
      const V r = simd::loss_activate(arch.output, u) - e.target;
      sum += r * r;
    }
    V value = weight * sum;
    if (l2 != 0.0) {
      V norm = splat<V>(0.0);
      for (int k = 0; k < dimension; ++k) norm += at(k) * at(k);
      value += l2 * norm;
    }
    store(out + j, value);
  }
  if (j < count) {
    std::vector<double> point(dimension);
    for (; j < count; ++j) {
      for (int k = 0; k < dimension; ++k) point[k] = points[static_cast<std::size_t>(k) * stride + j];
      out[j] = loss.value(point, batch);
    }
  }
}

// One row of one case of a plane that depends on both varying parameters (see PlanePlan):
// out[c] = (yhat - y)^2 at column c, for every c < plan.padded (arrays are padded to a multiple
// of 8 lanes). u_row is the part of the output's input fixed in this row; per term, w_row /
// h_row / z_row are the row's values of what does not vary along it.
template <int W>
XORSCAPE_SIMD_INLINE void plane_case_row_body(const PlanePlan& plan, const PlaneCase& pc, double u_row,
                                              const double* w_row, const double* h_row, const double* z_row,
                                              double* out) {
  using V = simd::Vec<W>;
  const std::size_t terms = pc.terms.size();
  for (std::size_t c = 0; c < plan.padded; c += W) {
    V u = load<V>(pc.u_column.data() + c) + u_row;
    const V px = load<V>(plan.x_values.data() + c);
    for (std::size_t k = 0; k < terms; ++k) {
      const MixedTerm& t = pc.terms[k];
      const V w = t.w2_is_x ? px : splat<V>(w_row[k]);
      V h;
      if (t.source == HiddenSource::point)
        h = simd::loss_activate(plan.hidden, splat<V>(z_row[k]) + t.x_input * px);
      else if (t.source == HiddenSource::column)
        h = load<V>(t.h_column.data() + c);
      else
        h = splat<V>(h_row[k]);
      u += w * h;
    }
    const V r = simd::loss_activate(plan.output, u) - pc.target;
    store(out + c, r * r);
  }
}

}  // namespace

void batch_loss(const XorLoss& loss, const double* points, std::size_t stride, std::size_t count, double* out,
                const Batch& batch, SimdLevel level) {
  simd::dispatch<1>(level, [&]<int W>() XORSCAPE_SIMD_LAMBDA {
    if constexpr (W > 1) {
      batch_loss_body<W>(loss, points, stride, count, out, batch);
    } else {
      // Scalar reference: gather each point and evaluate it with the network itself.
      const int dimension = loss.dimension();
      std::vector<double> point(dimension);
      for (std::size_t j = 0; j < count; ++j) {
        for (int k = 0; k < dimension; ++k) point[k] = points[k * stride + j];
        out[j] = loss.value(point, batch);
      }
    }
  });
}

void activate_many(Activation activation, const double* z, std::size_t count, double* out, SimdLevel level) {
  simd::dispatch<1>(level, [&]<int W>() XORSCAPE_SIMD_LAMBDA {
    simd::map_many<W>([activation](auto v) XORSCAPE_SIMD_LAMBDA { return simd::loss_activate(activation, v); }, z,
                      count, out);
  });
}

void loss_exp_many(const double* x, std::size_t count, double* out, SimdLevel level) {
  simd::dispatch<1>(level, [&]<int W>() XORSCAPE_SIMD_LAMBDA {
    simd::map_many<W>([](auto v) XORSCAPE_SIMD_LAMBDA { return simd::loss_exp(v); }, x, count, out);
  });
}

// ---- PlaneEvaluator ----

namespace {

// Case m of the plane's plan: each hidden unit's term goes where it varies (per column, per row or
// per point), and the case is classified by what its output depends on.
void plan_case(PlanePlan& P, const XorLoss& loss, std::span<const double> center, int x_index, int y_index,
               int m) {
  const ParameterLayout& L = loss.layout();
  // The value of parameter k at column i when it is x, else its center value.
  auto value_at = [&](int k, std::size_t i) { return k == x_index ? P.x_values[i] : center[k]; };
  const Example& e = loss.dataset().examples[m];
  PlaneCase& pc = P.cases[m];
  pc.example = m;
  pc.target = e.target;
  pc.u_column.assign(P.padded, 0.0);
  for (std::size_t i = 0; i < P.padded; ++i) pc.u_column[i] = value_at(L.b2(), i);
  if (L.b2() == y_index) {
    pc.b2_is_y = true;
    std::fill(pc.u_column.begin(), pc.u_column.end(), 0.0);
  }
  bool depends_x = L.b2() == x_index;
  bool depends_y = L.b2() == y_index;
  for (int i = 0; i < L.n_hidden(); ++i) {
    const int inputs[3] = {L.w1(i, 0), L.w1(i, 1), L.b1(i)};
    const double input_values[3] = {e.x1, e.x2, 1.0};
    double z_fixed = 0.0, x_input = 0.0, y_input = 0.0;
    for (int r = 0; r < 3; ++r) {
      if (inputs[r] == x_index) x_input = input_values[r];
      else if (inputs[r] == y_index) y_input = input_values[r];
      else z_fixed += center[inputs[r]] * input_values[r];
    }
    const bool h_x = x_input != 0.0, h_y = y_input != 0.0;
    const bool w_x = L.w2(i) == x_index, w_y = L.w2(i) == y_index;
    const double w2 = center[L.w2(i)];
    depends_x = depends_x || h_x || w_x;
    depends_y = depends_y || h_y || w_y;
    if (!h_y && !w_y) {
      // Varies with x or not at all: once per column.
      for (std::size_t c = 0; c < P.padded; ++c) {
        const double h = activate(P.hidden, z_fixed + x_input * P.x_values[c]);
        pc.u_column[c] += (w_x ? P.x_values[c] : w2) * h;
      }
    } else if (!h_x && !w_x) {
      pc.row_terms.push_back({w_y, w2, z_fixed, y_input});
    } else {
      MixedTerm t{h_x && h_y ? HiddenSource::point : (h_x ? HiddenSource::column : HiddenSource::row),
                  w_x, w_y, w2, z_fixed, x_input, y_input, {}};
      if (t.source == HiddenSource::column) {
        t.h_column.resize(P.padded);
        for (std::size_t c = 0; c < P.padded; ++c) t.h_column[c] = activate(P.hidden, z_fixed + x_input * P.x_values[c]);
      }
      pc.terms.push_back(std::move(t));
    }
  }
  if (depends_y && depends_x) {
    pc.kind = CaseKind::mixed;
  } else if (depends_y) {
    pc.kind = CaseKind::row;
  } else {
    pc.kind = CaseKind::column;
    pc.loss_column.resize(P.padded);
    for (std::size_t c = 0; c < P.padded; ++c) {
      const double r = activate(P.output, pc.u_column[c]) - e.target;
      pc.loss_column[c] = r * r;
    }
  }
}

}  // namespace

PlaneEvaluator::PlaneEvaluator(const XorLoss& loss, std::span<const double> center, int x_index, int y_index,
                               std::span<const double> x_offsets, SimdLevel level)
    : plan_(std::make_unique<PlanePlan>()) {
  const ParameterLayout& L = loss.layout();
  const int D = L.dimension();
  if (static_cast<int>(center.size()) != D) throw std::invalid_argument("plane center has the wrong dimension");
  if (x_index < 0 || x_index >= D || y_index < 0 || y_index >= D || x_index == y_index)
    throw std::invalid_argument("a plane needs two different parameters of the layout");
  if (x_offsets.empty()) throw std::invalid_argument("a plane needs at least one column");
  PlanePlan& P = *plan_;
  P.level = usable_simd_level(level);
  P.hidden = loss.architecture().hidden;
  P.output = loss.architecture().output;
  P.weight = loss.reduction() == Reduction::mean ? 0.25 : 1.0;
  P.l2 = loss.l2();
  P.fixed_norm = 0.0;
  for (int k = 0; k < D; ++k)
    if (k != x_index && k != y_index) P.fixed_norm += center[k] * center[k];
  P.y_center = center[y_index];
  P.columns = x_offsets.size();
  P.padded = (P.columns + 7) / 8 * 8;
  P.x_values.resize(P.padded);
  for (std::size_t i = 0; i < P.padded; ++i) P.x_values[i] = center[x_index] + x_offsets[std::min(i, P.columns - 1)];

  for (int m = 0; m < 4; ++m) plan_case(P, loss, center, x_index, y_index, m);
}

PlaneEvaluator::PlaneEvaluator(PlaneEvaluator&&) noexcept = default;
PlaneEvaluator& PlaneEvaluator::operator=(PlaneEvaluator&&) noexcept = default;
PlaneEvaluator::~PlaneEvaluator() = default;

std::size_t PlaneEvaluator::columns() const { return plan_->columns; }
std::size_t PlaneEvaluator::case_stride() const { return plan_->padded; }

int PlaneEvaluator::cases_per_point() const {
  int count = 0;
  for (const PlaneCase& pc : plan_->cases) count += pc.kind == CaseKind::mixed;
  return count;
}

void PlaneEvaluator::row_case_losses(double y_offset, double* case_losses) const {
  const PlanePlan& P = *plan_;
  const double y = P.y_center + y_offset;
  for (const PlaneCase& pc : P.cases) {
    double* out = case_losses + static_cast<std::size_t>(pc.example) * P.padded;
    if (pc.kind == CaseKind::column) {
      std::memcpy(out, pc.loss_column.data(), P.padded * sizeof(double));
      continue;
    }
    double u_row = pc.b2_is_y ? y : 0.0;
    for (const RowTerm& t : pc.row_terms) u_row += (t.w2_is_y ? y : t.w2) * activate(P.hidden, t.z_fixed + t.y_input * y);
    if (pc.kind == CaseKind::row) {
      const double r = activate(P.output, pc.u_column[0] + u_row) - pc.target;
      std::fill(out, out + P.padded, r * r);
      continue;
    }
    // Per term, what is fixed along the row: the weight, the activation or its input.
    const std::size_t n = pc.terms.size();
    double scratch[3 * 64];
    std::vector<double> heap;
    double* w_row = scratch;
    if (n > 64) {
      heap.resize(3 * n);
      w_row = heap.data();
    }
    double* h_row = w_row + n;
    double* z_row = h_row + n;
    for (std::size_t k = 0; k < n; ++k) {
      const MixedTerm& t = pc.terms[k];
      w_row[k] = t.w2_is_y ? y : t.w2;
      z_row[k] = t.z_fixed + t.y_input * y;
      h_row[k] = t.source == HiddenSource::row ? activate(P.hidden, z_row[k]) : 0.0;
    }
    simd::dispatch<1>(P.level, [&]<int W>() XORSCAPE_SIMD_LAMBDA {
      plane_case_row_body<W>(P, pc, u_row, w_row, h_row, z_row, out);
    });
  }
}

double PlaneEvaluator::combine(const double* case_losses, std::size_t i, const Batch& batch, double y_offset) const {
  const PlanePlan& P = *plan_;
  double sum = 0.0;
  for (int m : batch) sum += case_losses[static_cast<std::size_t>(m) * P.padded + i];
  double loss = P.weight * sum;
  if (P.l2 != 0.0) {
    const double x = P.x_values[i], y = P.y_center + y_offset;
    loss += P.l2 * (P.fixed_norm + x * x + y * y);
  }
  return loss;
}

void PlaneEvaluator::row_loss(double y_offset, double* out, double* scratch) const {
  const PlanePlan& P = *plan_;
  row_case_losses(y_offset, scratch);
  const double* l0 = scratch;
  const double* l1 = scratch + P.padded;
  const double* l2 = scratch + 2 * P.padded;
  const double* l3 = scratch + 3 * P.padded;
  if (P.l2 == 0.0) {
    for (std::size_t i = 0; i < P.columns; ++i) out[i] = P.weight * (((l0[i] + l1[i]) + l2[i]) + l3[i]);
  } else {
    for (std::size_t i = 0; i < P.columns; ++i) out[i] = combine(scratch, i, kNonrandomizedBatch, y_offset);
  }
}

}  // namespace xorscape::kernels
