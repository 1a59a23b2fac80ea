#pragma once
// Two-dimensional cross-sections of the loss landscape (dissecting paper, section 3.3,
// Figures 6 and 7): two parameters A, B vary by offsets (x, y) about a center, all others
// stay at the center. Nonrandomized: the loss with the four cases once. Randomized: every
// grid point of every scan draws its own batch of four cases with replacement; the first
// scan, the mean and the standard deviation over K scans are kept.
//
// A plane is computed in blocks of rows (OpenMP over rows, SIMD over columns through
// kernels::PlaneEvaluator), so a caller can stream it to disk and never hold a whole grid.
// Long rows are evaluated a chunk of columns at a time and the RunControl is polled between
// chunks and between scans, so a stop is honoured within a second even inside one huge row.
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "xorscape/core/network.hpp"
#include "xorscape/core/rng.hpp"
#include "xorscape/core/run_control.hpp"
#include "xorscape/kernels/kernels.hpp"

namespace xorscape::slice {

// count points from lo to hi inclusive; the last is exactly hi.
struct Axis {
  double lo = -15.0;
  double hi = 15.0;
  int count = 401;
  std::vector<double> values() const;
};

// The plateau levels of the paper: k wrong cases out of four give L = k/4.
inline constexpr double kPlateauLevels[5] = {0.0, 0.25, 0.5, 0.75, 1.0};

struct SliceSpec {
  XorLoss loss{Architecture{}, Dataset{}};
  Params center;
  std::vector<std::pair<int, int>> planes;  // (A, B): A along x (columns), B along y (rows)
  Axis x;
  Axis y;
  bool randomized = false;
  int scans = 1;
  std::uint64_t seed = 1;
  int bins = 200;                   // histogram bins on [0, histogram_max]
  double histogram_max = 1.0;
  double plateau_tolerance = 0.05;  // a point is on plateau k/4 when |L - k/4| <= tolerance
  kernels::SimdLevel level = kernels::detect_simd_level();
  // Columns per kernel call; a stop is polled between calls. The numbers do not depend on it.
  int column_chunk = 1 << 16;
};

// The randomized batch of one grid point. Its stream is keyed by (seed, A, B, scan, row), so
// planes, scans and rows can be computed in any order on any number of threads; within the
// row, column i uses byte i % 8 of the (i / 8)-th 64-bit draw, two bits per case index
// (two uniform bits are exactly uniform over the four cases).
class RowBatches {
 public:
  RowBatches(std::uint64_t seed, int a, int b, int scan, int row);
  // The batch of the next column (columns in order 0, 1, 2, ...).
  Batch next();

 private:
  RandomStream stream_;
  std::uint64_t word_ = 0;
  int used_ = 8;
};
Batch randomized_batch(std::uint64_t seed, int a, int b, int scan, int row, int column);

// Rows [row0, row0 + rows) of one plane, row-major (rows x columns).
struct PlaneBlock {
  int row0 = 0;
  int rows = 0;
  std::vector<double> loss;                // nonrandomized loss, or the first randomized scan
  std::vector<double> loss_mean;           // randomized only: mean over the scans
  std::vector<double> loss_std;            // randomized only: sample standard deviation (0 for K = 1)
  std::vector<double> loss_nonrandomized;  // randomized only: the nonrandomized loss, for comparison
};

class PlaneComputation {
 public:
  PlaneComputation(const SliceSpec& spec, int plane);
  int columns() const { return static_cast<int>(x_.size()); }
  int rows() const { return static_cast<int>(y_.size()); }
  const std::vector<double>& x() const { return x_; }
  const std::vector<double>& y() const { return y_; }
  // How many of the four cases the kernel evaluates per grid point (kernels::PlaneEvaluator).
  int cases_per_point() const { return chunks_.front().evaluator.cases_per_point(); }
  // One row into block row r (block sized for at least r + 1 rows); scratch from make_scratch().
  // Returns false, with the row unfinished, when control asked to stop.
  struct Scratch {
    std::vector<double> cases, shift_sum, shift_square;
  };
  Scratch make_scratch() const;
  bool compute_row(int row, PlaneBlock& block, int r, Scratch& scratch, const RunControl& control) const;

 private:
  // Columns [first, first + count) and their kernel; `cases` is where their case losses start in
  // Scratch::cases.
  struct Chunk {
    std::size_t first;
    std::size_t count;
    std::size_t cases;
    kernels::PlaneEvaluator evaluator;
  };
  bool randomized_row(int row, double* loss, const double* nonrandomized, double* mean, double* deviation,
                      Scratch& scratch, const RunControl& control) const;
  const SliceSpec& spec_;
  int a_;
  int b_;
  std::vector<double> x_;
  std::vector<double> y_;
  std::vector<Chunk> chunks_;
};

// Receives a slice's blocks in order, on one thread (the one that called run_slice).
class BlockConsumer {
 public:
  virtual ~BlockConsumer() = default;
  virtual void begin_plane(int plane, const PlaneComputation& computation) = 0;
  virtual void consume(int plane, const PlaneBlock& block) = 0;
  virtual void end_plane(int plane) = 0;
};

// Computes every plane of spec in blocks of block_rows rows and hands them to consumer in
// order (plane by plane, top row first). All threads of the current OpenMP team size compute
// rows, claimed one at a time across block and plane boundaries, while the calling thread
// also consumes finished blocks; a ring of a few blocks bounds memory. There is one parallel
// region for the whole run and no barrier per block, so a thread descheduled on a busy
// machine delays only its own row. Results do not depend on the number of threads.
// Polls control.stop_requested() before every row, between column chunks and between scans;
// returns false when it stopped (the consumer has then not seen every block).
bool run_slice(const SliceSpec& spec, int block_rows, BlockConsumer& consumer, const RunControl& control = RunControl());

// Histogram and plateau areas of one plane's values, accumulated block by block.
struct PlaneStatistics {
  explicit PlaneStatistics(const SliceSpec& spec);
  void add(std::span<const double> values);
  std::vector<double> edges() const;             // bins + 1
  std::vector<double> plateau_fractions() const;  // share of grid points near each kPlateauLevels
  std::vector<std::int64_t> histogram;            // counts per bin; values above the last edge in `above`
  std::int64_t above = 0;
  std::int64_t count = 0;
  std::int64_t plateau[5] = {0, 0, 0, 0, 0};
  double minimum = 0.0;
  double maximum = 0.0;
  double sum = 0.0;
  double histogram_max;
  double tolerance;
};

// Largest and mean |a - b| over blocks (the randomized mean against the nonrandomized loss).
struct Difference {
  double max_abs = 0.0;
  double sum_abs = 0.0;
  std::int64_t count = 0;
  void add(std::span<const double> a, std::span<const double> b);
  double mean_abs() const { return count ? sum_abs / count : 0.0; }
};

}  // namespace xorscape::slice
