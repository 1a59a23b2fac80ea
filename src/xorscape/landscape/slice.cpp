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
      y_(spec.y.values()) {
  const std::size_t width = static_cast<std::size_t>(std::max(spec.column_chunk, 1));
  std::size_t cases = 0;
  for (std::size_t first = 0; first < x_.size(); first += width) {
    const std::size_t count = std::min(width, x_.size() - first);
    kernels::PlaneEvaluator evaluator(spec.loss, spec.center, a_, b_, std::span<const double>(x_.data() + first, count),
                                      spec.level);
    const std::size_t stride = evaluator.case_stride();
    chunks_.push_back(Chunk{first, count, cases, std::move(evaluator)});
    cases += 4 * stride;
  }
}

PlaneComputation::Scratch PlaneComputation::make_scratch() const {
  const Chunk& last = chunks_.back();
  return Scratch{std::vector<double>(last.cases + 4 * last.evaluator.case_stride()), std::vector<double>(x_.size()),
                 std::vector<double>(x_.size())};
}

bool PlaneComputation::compute_row(int row, PlaneBlock& block, int r, Scratch& scratch,
                                   const RunControl& control) const {
  const std::size_t offset = static_cast<std::size_t>(r) * x_.size();
  const double y = y_[row];
  double* loss = block.loss.data() + offset;
  // Nonrandomized: the loss. Randomized: the nonrandomized loss, which also leaves the row's case
  // losses in scratch.cases for the scans to combine.
  double* nonrandomized = spec_.randomized ? block.loss_nonrandomized.data() + offset : loss;
  for (const Chunk& chunk : chunks_) {
    if (control.stop_requested()) return false;
    chunk.evaluator.row_loss(y, nonrandomized + chunk.first, scratch.cases.data() + chunk.cases);
  }
  if (!spec_.randomized) return true;
  return randomized_row(row, loss, nonrandomized, block.loss_mean.data() + offset, block.loss_std.data() + offset,
                        scratch, control);
}

bool PlaneComputation::randomized_row(int row, double* loss, const double* nonrandomized, double* mean,
                                      double* deviation, Scratch& scratch, const RunControl& control) const {
  const std::size_t nx = x_.size();
  const double y = y_[row];
  const int scans = spec_.scans;
  // Mean and variance accumulated as deviations from the nonrandomized loss (the expected
  // value of the randomized one), which keeps the sums free of cancellation.
  double* shift_sum = scratch.shift_sum.data();
  double* shift_square = scratch.shift_square.data();
  std::fill(shift_sum, shift_sum + nx, 0.0);
  std::fill(shift_square, shift_square + nx, 0.0);
  for (int s = 0; s < scans; ++s) {
    RowBatches batches(spec_.seed, a_, b_, s, row);
    for (const Chunk& chunk : chunks_) {
      if (control.stop_requested()) return false;
      const double* cases = scratch.cases.data() + chunk.cases;
      for (std::size_t i = 0; i < chunk.count; ++i) {
        const std::size_t column = chunk.first + i;
        const double value = chunk.evaluator.combine(cases, i, batches.next(), y);
        if (s == 0) loss[column] = value;
        const double d = value - nonrandomized[column];
        shift_sum[column] += d;
        shift_square[column] += d * d;
      }
    }
  }
  for (std::size_t i = 0; i < nx; ++i) {
    mean[i] = nonrandomized[i] + shift_sum[i] / scans;
    const double variance = scans > 1 ? (shift_square[i] - shift_sum[i] * shift_sum[i] / scans) / (scans - 1) : 0.0;
    deviation[i] = std::sqrt(std::max(variance, 0.0));
  }
  return true;
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

namespace {

// run_slice's machinery: one OpenMP team claims rows one at a time across block and plane
// boundaries into a ring of kRing blocks; thread 0 also hands finished blocks to the consumer in
// order. A thread waits only for its own ring slot to be free.
class SlicePipeline {
 public:
  SlicePipeline(const SliceSpec& spec, int block_rows, BlockConsumer& consumer, const RunControl& control)
      : spec_(spec), consumer_(consumer), control_(control), block_rows_(block_rows), ny_(spec.y.count),
        blocks_per_plane_((ny_ + block_rows - 1) / block_rows),
        total_blocks_(static_cast<long long>(spec.planes.size()) * blocks_per_plane_),
        total_rows_(static_cast<long long>(spec.planes.size()) * ny_), ring_(kRing),
        computations_(spec.planes.size()), built_(new std::once_flag[spec.planes.size()]) {
    for (Slot& slot : ring_) size_block(slot.block, block_rows, static_cast<std::size_t>(spec.x.count), spec.randomized);
  }

  // Returns false when stopped by the control; rethrows the first failure of any thread.
  bool run() {
#pragma omp parallel
    work(omp_get_thread_num() == 0);
    if (failure_) std::rethrow_exception(failure_);
    return !stopped_;
  }

 private:
  static constexpr int kRing = 4;  // blocks in flight
  struct Slot {
    PlaneBlock block;
    std::atomic<int> rows_done{0};
  };
  // What each thread keeps between its rows.
  struct Worker {
    std::unique_ptr<PlaneComputation::Scratch> scratch;
    int plane = -1;
  };

  void fail(std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(failure_mutex_);
    if (!failure_) failure_ = e;
    abort_ = true;
  }
  void stop() {
    stopped_ = true;
    abort_ = true;
  }
  long long block_of(long long global_row) const {
    return (global_row / ny_) * blocks_per_plane_ + (global_row % ny_) / block_rows_;
  }
  // Plane computations are built by the first thread that needs one and dropped once written.
  const PlaneComputation& computation(int plane) {
    std::call_once(built_[plane], [&] { computations_[plane] = std::make_unique<PlaneComputation>(spec_, plane); });
    return *computations_[plane];
  }

  void work(bool consumer_thread) {
    Worker worker;
    while (!abort_) {
      if (control_.stop_requested()) {
        stop();
        break;
      }
      const long long global_row = next_row_.fetch_add(1);
      if (global_row >= total_rows_) break;
      const long long g = block_of(global_row);
      // Wait until this block's ring slot has been consumed.
      while (!abort_ && written_.load(std::memory_order_acquire) <= g - kRing) {
        if (consumer_thread) consume_ready();
        std::this_thread::yield();
      }
      if (abort_) break;
      compute(global_row, g, worker);
      if (consumer_thread) consume_ready();
    }
    if (!consumer_thread) return;
    while (!abort_ && written_.load(std::memory_order_acquire) < total_blocks_) {
      if (control_.stop_requested()) stop();
      consume_ready();
      std::this_thread::yield();
    }
  }

  void compute(long long global_row, long long g, Worker& worker) {
    try {
      const int plane = static_cast<int>(global_row / ny_);
      const int row = static_cast<int>(global_row % ny_);
      const PlaneComputation& c = computation(plane);
      if (worker.plane != plane) {
        worker.scratch = std::make_unique<PlaneComputation::Scratch>(c.make_scratch());
        worker.plane = plane;
      }
      Slot& slot = ring_[g % kRing];
      if (!c.compute_row(row, slot.block, row % block_rows_, *worker.scratch, control_)) {
        stop();
        return;
      }
      slot.rows_done.fetch_add(1, std::memory_order_acq_rel);
    } catch (...) {
      fail(std::current_exception());
    }
  }

  // The consumer's duty: hand over every finished block, in order. Returns after one pass.
  void consume_ready() {
    try {
      for (;;) {
        const long long g = written_.load(std::memory_order_acquire);
        if (g >= total_blocks_ || abort_) return;
        const int plane = static_cast<int>(g / blocks_per_plane_);
        const int row0 = static_cast<int>(g % blocks_per_plane_) * block_rows_;
        const int rows = std::min(block_rows_, ny_ - row0);
        Slot& slot = ring_[g % kRing];
        if (slot.rows_done.load(std::memory_order_acquire) < rows) return;
        if (row0 == 0) consumer_.begin_plane(plane, computation(plane));
        slot.block.row0 = row0;
        slot.block.rows = rows;
        consumer_.consume(plane, slot.block);
        if (row0 + rows == ny_) {
          consumer_.end_plane(plane);
          computations_[plane].reset();
        }
        slot.rows_done.store(0, std::memory_order_relaxed);
        written_.store(g + 1, std::memory_order_release);
      }
    } catch (...) {
      fail(std::current_exception());
    }
  }

  const SliceSpec& spec_;
  BlockConsumer& consumer_;
  const RunControl& control_;
  const int block_rows_;
  const int ny_;
  const int blocks_per_plane_;
  const long long total_blocks_;
  const long long total_rows_;
  std::vector<Slot> ring_;
  std::vector<std::unique_ptr<PlaneComputation>> computations_;
  std::unique_ptr<std::once_flag[]> built_;
  std::atomic<long long> next_row_{0};
  std::atomic<long long> written_{0};  // blocks consumed
  std::atomic<bool> abort_{false};
  std::atomic<bool> stopped_{false};
  std::exception_ptr failure_;
  std::mutex failure_mutex_;
};

}  // namespace

bool run_slice(const SliceSpec& spec, int block_rows, BlockConsumer& consumer, const RunControl& control) {
  if (block_rows < 1) throw std::invalid_argument("block_rows must be at least 1");
  return SlicePipeline(spec, block_rows, consumer, control).run();
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
