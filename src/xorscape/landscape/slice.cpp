#include "xorscape/landscape/slice.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <cmath>
#include <stdexcept>

namespace xorscape::slice {

std::vector<double> Axis::values() const {
  if (!(lo < hi) || count < 2) throw std::invalid_argument("an axis needs lo < hi and at least 2 points");
  std::vector<double> v(count);
  for (int i = 0; i < count; ++i) v[i] = lo + (hi - lo) * static_cast<double>(i) / (count - 1);
  v.back() = hi;
  return v;
}

// A constant that keeps slice streams apart from every other tool's streams with the same seed.
constexpr std::uint64_t kSliceStreamTag = 0x736c696365ULL;  // "slice"

RowBatches::RowBatches(std::uint64_t seed, int a, int b, int scan, int row)
    : stream_(seed, {kSliceStreamTag, static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(b),
                     static_cast<std::uint64_t>(scan), static_cast<std::uint64_t>(row)}) {}

Batch RowBatches::next() {
  if (used_ == 8) {
    word_ = stream_.next();
    used_ = 0;
  }
  const unsigned byte = static_cast<unsigned>(word_ >> (8 * used_++)) & 0xffu;
  return Batch{static_cast<int>(byte & 3u), static_cast<int>((byte >> 2) & 3u), static_cast<int>((byte >> 4) & 3u),
               static_cast<int>(byte >> 6)};
}

Batch randomized_batch(std::uint64_t seed, int a, int b, int scan, int row, int column) {
  RowBatches batches(seed, a, b, scan, row);
  for (int i = 0; i < column; ++i) batches.next();
  return batches.next();
}

PlaneComputation::PlaneComputation(const SliceSpec& spec, int plane)
    : spec_(spec), a_(spec.planes.at(plane).first), b_(spec.planes.at(plane).second), x_(spec.x.values()),
      y_(spec.y.values()), evaluator_(spec.loss, spec.center, a_, b_, x_, spec.level) {}

PlaneComputation::Scratch PlaneComputation::make_scratch() const {
  return Scratch{std::vector<double>(4 * evaluator_.case_stride()), std::vector<double>(x_.size()),
                 std::vector<double>(x_.size())};
}

void PlaneComputation::compute_row(int row, PlaneBlock& block, int r, Scratch& scratch) const {
  const std::size_t nx = x_.size();
  const std::size_t offset = static_cast<std::size_t>(r) * nx;
  const double y = y_[row];
  double* loss = block.loss.data() + offset;
  if (!spec_.randomized) {
    evaluator_.row_loss(y, loss, scratch.cases.data());
    return;
  }
  const int scans = spec_.scans;
  double* nonrandomized = block.loss_nonrandomized.data() + offset;
  evaluator_.row_loss(y, nonrandomized, scratch.cases.data());  // also leaves the row's case losses in `cases`
  // Mean and variance accumulated as deviations from the nonrandomized loss (the expected
  // value of the randomized one), which keeps the sums free of cancellation.
  double* shift_sum = scratch.shift_sum.data();
  double* shift_square = scratch.shift_square.data();
  std::fill(shift_sum, shift_sum + nx, 0.0);
  std::fill(shift_square, shift_square + nx, 0.0);
  for (int s = 0; s < scans; ++s) {
    RowBatches batches(spec_.seed, a_, b_, s, row);
    for (std::size_t i = 0; i < nx; ++i) {
      const double value = evaluator_.combine(scratch.cases.data(), i, batches.next(), y);
      if (s == 0) loss[i] = value;
      const double d = value - nonrandomized[i];
      shift_sum[i] += d;
      shift_square[i] += d * d;
    }
  }
  double* mean = block.loss_mean.data() + offset;
  double* deviation = block.loss_std.data() + offset;
  for (std::size_t i = 0; i < nx; ++i) {
    mean[i] = nonrandomized[i] + shift_sum[i] / scans;
    const double variance = scans > 1 ? (shift_square[i] - shift_sum[i] * shift_sum[i] / scans) / (scans - 1) : 0.0;
    deviation[i] = std::sqrt(std::max(variance, 0.0));
  }
}

namespace {
void size_block(PlaneBlock& block, int rows, std::size_t columns, bool randomized) {
  const std::size_t cells = static_cast<std::size_t>(rows) * columns;
  block.loss.resize(cells);
  if (randomized) {
    block.loss_mean.resize(cells);
    block.loss_std.resize(cells);
    block.loss_nonrandomized.resize(cells);
  }
}
}  // namespace

void PlaneComputation::compute(int row0, int count, PlaneBlock& block) const {
  block.row0 = row0;
  block.rows = count;
  size_block(block, count, x_.size(), spec_.randomized);
#pragma omp parallel
  {
    Scratch scratch = make_scratch();
#pragma omp for schedule(dynamic, 1)
    for (int r = 0; r < count; ++r) compute_row(row0 + r, block, r, scratch);
  }
}

void run_slice(const SliceSpec& spec, int block_rows, BlockConsumer& consumer) {
  const int planes = static_cast<int>(spec.planes.size());
  const int ny = spec.y.count;
  const std::size_t nx = static_cast<std::size_t>(spec.x.count);
  if (block_rows < 1) throw std::invalid_argument("block_rows must be at least 1");
  const int blocks_per_plane = (ny + block_rows - 1) / block_rows;
  const long long total_blocks = static_cast<long long>(planes) * blocks_per_plane;
  const long long total_rows = static_cast<long long>(planes) * ny;
  constexpr int kRing = 4;  // blocks in flight

  struct Slot {
    PlaneBlock block;
    std::atomic<int> rows_done{0};
  };
  std::vector<Slot> ring(kRing);
  for (Slot& slot : ring) size_block(slot.block, block_rows, nx, spec.randomized);
  // Plane computations are built by the first thread that needs one and dropped once written.
  std::vector<std::unique_ptr<PlaneComputation>> computations(planes);
  std::unique_ptr<std::once_flag[]> built(new std::once_flag[planes]);
  std::atomic<long long> next_row{0};
  std::atomic<long long> written{0};  // blocks consumed
  std::atomic<bool> abort{false};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto fail = [&](std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(failure_mutex);
    if (!failure) failure = e;
    abort = true;
  };
  auto block_of = [&](long long global_row) {
    const long long plane = global_row / ny;
    return plane * blocks_per_plane + (global_row % ny) / block_rows;
  };
  auto computation = [&](int plane) -> const PlaneComputation& {
    std::call_once(built[plane], [&] { computations[plane] = std::make_unique<PlaneComputation>(spec, plane); });
    return *computations[plane];
  };

#pragma omp parallel
  {
    const bool consumer_thread = omp_get_thread_num() == 0;
    std::unique_ptr<PlaneComputation::Scratch> scratch;
    int scratch_plane = -1;
    // The consumer's duty: hand over every finished block, in order. Returns after one pass.
    auto consume_ready = [&] {
      try {
        for (;;) {
          const long long g = written.load(std::memory_order_acquire);
          if (g >= total_blocks || abort) return;
          const int plane = static_cast<int>(g / blocks_per_plane);
          const int row0 = static_cast<int>(g % blocks_per_plane) * block_rows;
          const int rows = std::min(block_rows, ny - row0);
          Slot& slot = ring[g % kRing];
          if (slot.rows_done.load(std::memory_order_acquire) < rows) return;
          if (consumer.should_stop()) throw std::runtime_error("stopped by a signal; no file was written");
          if (row0 == 0) consumer.begin_plane(plane, computation(plane));
          slot.block.row0 = row0;
          slot.block.rows = rows;
          consumer.consume(plane, slot.block);
          if (row0 + rows == ny) {
            consumer.end_plane(plane);
            computations[plane].reset();
          }
          slot.rows_done.store(0, std::memory_order_relaxed);
          written.store(g + 1, std::memory_order_release);
        }
      } catch (...) {
        fail(std::current_exception());
      }
    };
    while (!abort) {
      const long long global_row = next_row.fetch_add(1);
      if (global_row >= total_rows) break;
      const long long g = block_of(global_row);
      // Wait until this block's ring slot has been consumed.
      while (!abort && written.load(std::memory_order_acquire) <= g - kRing) {
        if (consumer_thread) consume_ready();
        std::this_thread::yield();
      }
      if (abort) break;
      try {
        const int plane = static_cast<int>(global_row / ny);
        const int row = static_cast<int>(global_row % ny);
        const PlaneComputation& c = computation(plane);
        if (scratch_plane != plane) {
          scratch = std::make_unique<PlaneComputation::Scratch>(c.make_scratch());
          scratch_plane = plane;
        }
        Slot& slot = ring[g % kRing];
        c.compute_row(row, slot.block, row % block_rows, *scratch);
        slot.rows_done.fetch_add(1, std::memory_order_acq_rel);
      } catch (...) {
        fail(std::current_exception());
      }
      if (consumer_thread) consume_ready();
    }
    if (consumer_thread) {
      while (!abort && written.load(std::memory_order_acquire) < total_blocks) {
        consume_ready();
        std::this_thread::yield();
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
}

PlaneStatistics::PlaneStatistics(const SliceSpec& spec)
    : histogram(spec.bins, 0), histogram_max(spec.histogram_max), tolerance(spec.plateau_tolerance) {}

void PlaneStatistics::add(std::span<const double> values) {
  const int bins = static_cast<int>(histogram.size());
  for (double v : values) {
    if (count == 0) minimum = maximum = v;
    minimum = std::min(minimum, v);
    maximum = std::max(maximum, v);
    sum += v;
    ++count;
    if (!(v <= histogram_max)) {  // also counts a NaN or inf (possible only with unbounded activations)
      ++above;
    } else {
      const int bin = std::clamp(static_cast<int>(v / histogram_max * bins), 0, bins - 1);
      ++histogram[bin];
    }
    for (int k = 0; k < 5; ++k)
      if (std::abs(v - kPlateauLevels[k]) <= tolerance) ++plateau[k];
  }
}

std::vector<double> PlaneStatistics::edges() const {
  std::vector<double> e(histogram.size() + 1);
  for (size_t i = 0; i < e.size(); ++i) e[i] = histogram_max * static_cast<double>(i) / histogram.size();
  return e;
}

std::vector<double> PlaneStatistics::plateau_fractions() const {
  std::vector<double> f(5);
  for (int k = 0; k < 5; ++k) f[k] = count ? static_cast<double>(plateau[k]) / count : 0.0;
  return f;
}

void Difference::add(std::span<const double> a, std::span<const double> b) {
  for (size_t i = 0; i < a.size(); ++i) {
    const double d = std::abs(a[i] - b[i]);
    max_abs = std::max(max_abs, d);
    sum_abs += d;
    ++count;
  }
}

}  // namespace xorscape::slice
