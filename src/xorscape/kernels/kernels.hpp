#pragma once
// The hot path: the loss of many parameter points at once. Every vectorised path
// (AVX2, AVX-512) is checked against the scalar reference, which is XorLoss::value
// itself. The slice generator and simple sampling share this kernel.
//
// Layout: points are stored structure-of-arrays, parameter k of point j at
// points[k * stride + j] (stride >= count), so a vector kernel loads consecutive
// points into one register.
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "xorscape/core/network.hpp"

namespace xorscape::kernels {

enum class SimdLevel { scalar, avx2, avx512 };

std::string to_string(SimdLevel level);
// "scalar", "avx2", "avx512" or "auto" (detect_simd_level()); throws std::invalid_argument.
SimdLevel parse_simd_level(std::string_view text);
// The widest level this processor supports and this build contains (AVX-512: F, DQ, VL; AVX2:
// AVX2 and FMA). The environment variable XORSCAPE_SIMD=scalar|avx2|avx512 lowers it (never
// raises it above the CPU's; other values are ignored). The one rule for every kernel: the
// training kernel's training_simd_level() is this.
SimdLevel detect_simd_level();
// Every level usable on this machine, scalar first (for tests and benchmarks).
std::vector<SimdLevel> available_simd_levels();

// out[j] = loss.value(point j, batch) for j < count (same reduction and regulariser), any
// n_h and activations; the vector levels do the same operations in the same order.
void batch_loss(const XorLoss& loss, const double* points, std::size_t stride, std::size_t count, double* out,
                const Batch& batch = kNonrandomizedBatch, SimdLevel level = detect_simd_level());

// out[j] = f(z[j]) with the level's own implementation of the activation (simd::loss_activate:
// the vector exp, sigmoid and tanh the kernels use; the reference ones at the scalar level), for
// every j including a tail shorter than a vector; for accuracy tests and benchmarks.
void activate_many(Activation activation, const double* z, std::size_t count, double* out,
                   SimdLevel level = detect_simd_level());

struct PlanePlan;

// The loss on a plane through parameter space: parameter x_index takes the values
// center[x_index] + x_offsets[i] (columns), parameter y_index takes center[y_index] + y_offset
// (one row at a time), all others stay at the center. Rows are independent, so callers
// parallelise over rows (one evaluator, shared read-only by all threads).
//
// The structure of the plane is used: for each of the four cases, every hidden unit's input
// z and every output weight depends on x only, on y only, on both or on neither. Whatever
// depends on x only is computed once per plane (per column), whatever depends on y only once
// per row, constants once; only the rest is evaluated per grid point, SIMD over columns.
// A case whose output depends on x only costs nothing per row.
class PlaneEvaluator {
 public:
  PlaneEvaluator(const XorLoss& loss, std::span<const double> center, int x_index, int y_index,
                 std::span<const double> x_offsets, SimdLevel level = detect_simd_level());
  PlaneEvaluator(PlaneEvaluator&&) noexcept;
  PlaneEvaluator& operator=(PlaneEvaluator&&) noexcept;
  ~PlaneEvaluator();

  std::size_t columns() const;
  // Distance between the four cases' rows in a case-loss buffer (columns rounded up to 8);
  // a buffer for row_case_losses holds 4 * case_stride() doubles.
  std::size_t case_stride() const;
  // case_losses[m * case_stride() + i] = (yhat_m - y_m)^2 for example m (dataset order) at
  // column i of the row with offset y_offset.
  void row_case_losses(double y_offset, double* case_losses) const;
  // The loss of `batch` at column i from that row's case losses, summed as XorLoss::value
  // sums it (batch order, reduction, then the regulariser).
  double combine(const double* case_losses, std::size_t i, const Batch& batch, double y_offset) const;
  // out[i] = loss with the nonrandomized batch along the row; scratch: 4 * case_stride().
  void row_loss(double y_offset, double* out, double* scratch) const;
  // How many of the four cases need work per grid point (the rest cost one evaluation per
  // row or per plane): 0..4. For benchmarks and documentation.
  int cases_per_point() const;

 private:
  std::unique_ptr<PlanePlan> plan_;
};

}  // namespace xorscape::kernels
