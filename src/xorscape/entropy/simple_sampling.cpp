#include "xorscape/entropy/simple_sampling.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "xorscape/core/rng.hpp"
#include "xorscape/core/stopwatch.hpp"

namespace xorscape::entropy {

// What one thread gathers from its blocks, merged into the job's result when a segment ends.
struct SimpleSamplingJob::Tally {
  std::vector<std::int64_t> counts;
  std::int64_t drawn = 0;
  double min_loss = std::numeric_limits<double>::infinity();
  double max_loss = -std::numeric_limits<double>::infinity();
  std::int64_t min_index = std::numeric_limits<std::int64_t>::max();
  std::vector<double> min_point;
};

// One thread's block of points (structure of arrays: parameter k of point j at k * block + j).
struct SimpleSamplingJob::Buffers {
  std::vector<double> points, losses;
};

SimpleSamplingJob::SimpleSamplingJob(EntropyProblem problem, SimpleSamplingSpec spec, kernels::SimdLevel level)
    : problem_(std::move(problem)), spec_(spec), level_(level) {
  if (spec_.samples < 1 || spec_.block < 1) throw std::invalid_argument("need at least one sample");
  if (problem_.box.dimension() != problem_.loss.dimension())
    throw std::invalid_argument("box and network dimensions differ");
  blocks_ = (spec_.samples + spec_.block - 1) / spec_.block;
  result_.counts.assign(problem_.binning.bins(), 0);
  result_.min_loss = std::numeric_limits<double>::infinity();
  result_.max_loss = -std::numeric_limits<double>::infinity();
  result_.min_index = std::numeric_limits<std::int64_t>::max();
}

std::string SimpleSamplingJob::identity() const {
  std::ostringstream id;
  id << "xorscape-simplesample " << problem_.identity << " samples " << spec_.samples << " block " << spec_.block
     << " seed " << spec_.seed << " simd " << kernels::to_string(level_);
  return id.str();
}

double SimpleSamplingJob::fraction_done() const {
  const auto done = next_block_ + std::count(segment_done_.begin(), segment_done_.end(), 1);
  return static_cast<double>(done) / static_cast<double>(blocks_);
}

bool SimpleSamplingJob::sample_block(std::int64_t block, Buffers& buffers, Tally& tally,
                                     const RunControl& control) const {
  const int D = problem_.loss.dimension();
  const std::size_t stride = static_cast<std::size_t>(spec_.block);
  const std::int64_t begin = block * spec_.block;
  const std::int64_t n = std::min<std::int64_t>(spec_.block, spec_.samples - begin);
  buffers.points.resize(static_cast<std::size_t>(D) * stride);
  buffers.losses.resize(stride);
  double* const points = buffers.points.data();
  RandomStream rng(spec_.seed, {0x5153ULL, static_cast<std::uint64_t>(block)});
  // Huge blocks are drawn and evaluated kPollPoints at a time, so that a signal stops them.
  for (std::int64_t from = 0; from < n; from += kPollPoints) {
    if (control.interrupted()) return false;
    const std::int64_t to = std::min(n, from + kPollPoints);
    for (std::int64_t j = from; j < to; ++j)
      for (int k = 0; k < D; ++k)
        points[static_cast<std::size_t>(k) * stride + j] = rng.uniform(problem_.box.lower[k], problem_.box.upper[k]);
  }
  for (std::int64_t from = 0; from < n; from += kPollPoints) {
    if (control.interrupted()) return false;
    const std::int64_t m = std::min(n - from, kPollPoints);
    kernels::batch_loss(problem_.loss, points + from, stride, m, buffers.losses.data() + from, kNonrandomizedBatch,
                        level_);
  }
  for (std::int64_t j = 0; j < n; ++j) {
    const double L = buffers.losses[j];
    const int b = problem_.binning.index(L);
    if (b >= 0) ++tally.counts[b];
    tally.max_loss = std::max(tally.max_loss, L);
    if (L < tally.min_loss || (L == tally.min_loss && begin + j < tally.min_index)) {
      tally.min_loss = L;
      tally.min_index = begin + j;
      tally.min_point.resize(D);
      for (int k = 0; k < D; ++k) tally.min_point[k] = points[static_cast<std::size_t>(k) * stride + j];
    }
  }
  tally.drawn += n;
  return true;
}

void SimpleSamplingJob::merge(const Tally& tally) {
  for (std::size_t b = 0; b < result_.counts.size(); ++b) result_.counts[b] += tally.counts[b];
  result_.samples += tally.drawn;
  result_.max_loss = std::max(result_.max_loss, tally.max_loss);
  if (tally.min_loss < result_.min_loss || (tally.min_loss == result_.min_loss && tally.min_index < result_.min_index)) {
    result_.min_loss = tally.min_loss;
    result_.min_index = tally.min_index;
    result_.min_point = tally.min_point;
  }
}

void SimpleSamplingJob::run_segment(const RunControl& control, std::vector<Buffers>& buffers) {
  const std::int64_t first = next_block_;
  const std::int64_t count = static_cast<std::int64_t>(segment_done_.size());
  std::atomic<bool> progressed{false};
  std::atomic<std::int64_t> done{next_block_ + std::count(segment_done_.begin(), segment_done_.end(), 1)};
#pragma omp parallel
  {
    Tally tally;
    tally.counts.assign(result_.counts.size(), 0);
    Buffers& mine = buffers[static_cast<std::size_t>(omp_get_thread_num())];
#pragma omp for schedule(dynamic, 4)
    for (std::int64_t i = 0; i < count; ++i) {
      if (segment_done_[i]) continue;
      if (progressed.load(std::memory_order_relaxed) && control.stop_requested()) continue;
      if (!sample_block(first + i, mine, tally, control)) continue;
      segment_done_[i] = 1;
      progressed.store(true, std::memory_order_relaxed);
      const std::int64_t now = ++done;
      if (omp_get_thread_num() == 0)
        control.progress(static_cast<double>(std::min(now * spec_.block, spec_.samples)),
                         static_cast<double>(spec_.samples));
    }
#pragma omp critical(xorscape_simple_sampling_merge)
    merge(tally);
  }
}

void SimpleSamplingJob::advance(const RunControl& control) {
  const auto start = SteadyClock::now();
  std::vector<Buffers> buffers(static_cast<std::size_t>(omp_get_max_threads()));
  while (!finished()) {
    const std::int64_t end = std::min(blocks_, next_block_ + kSegmentBlocks);
    if (segment_done_.empty()) segment_done_.assign(static_cast<std::size_t>(end - next_block_), 0);
    run_segment(control, buffers);
    if (std::count(segment_done_.begin(), segment_done_.end(), 1) != static_cast<std::ptrdiff_t>(segment_done_.size()))
      break;  // stopped inside the segment
    next_block_ += static_cast<std::int64_t>(segment_done_.size());
    segment_done_.clear();
    if (control.stop_requested()) break;
  }
  seconds_ += seconds_since(start);
}

SampledEntropy SimpleSamplingJob::entropy() const {
  return sampled_entropy(result_.counts, result_.samples, problem_.binning, problem_.box.ln_volume());
}

namespace {

const h5::StorageOptions kRaw{{}, 0, false};

}  // namespace

void SimpleSamplingJob::save(const h5::Group& group) const {
  group.set_attribute("next_block", next_block_);
  group.set_attribute("samples_drawn", result_.samples);
  group.set_attribute("min_index", result_.min_index);
  group.set_attribute("min_loss_bits", std::bit_cast<std::int64_t>(result_.min_loss));  // infinite before the first block
  group.set_attribute("max_loss_bits", std::bit_cast<std::int64_t>(result_.max_loss));
  group.set_attribute("seconds", seconds_);
  group.write_index_scale("bin", result_.counts.size());
  group.write("counts", std::span<const std::int64_t>(result_.counts), h5::Info{{"bin"}, "points per loss bin", "", kRaw});
  group.write_index_scale("coordinate", result_.min_point.size());
  group.write("min_point", std::span<const double>(result_.min_point), h5::Info{{"coordinate"}, "", "", kRaw});
  group.write_index_scale("segment_block", segment_done_.size());
  const std::vector<std::int32_t> done(segment_done_.begin(), segment_done_.end());
  group.write("segment_done", std::span<const std::int32_t>(done),
              h5::Info{{"segment_block"}, "1: block next_block + i is done", "", kRaw});
}

void SimpleSamplingJob::load(const h5::Group& group) {
  const std::vector<std::int64_t> counts = group.read_ints("counts");
  const std::vector<double> min_point = group.read_doubles("min_point");
  const std::vector<std::int64_t> done = group.read_ints("segment_done");
  const std::int64_t next = group.attribute_int("next_block");
  if (counts.size() != result_.counts.size() || next < 0 || next > blocks_ ||
      static_cast<std::int64_t>(done.size()) > std::min(kSegmentBlocks, blocks_ - next) ||
      (!min_point.empty() && static_cast<int>(min_point.size()) != problem_.loss.dimension()))
    throw std::runtime_error("the saved state does not fit this run (bins, blocks or dimension differ)");
  result_.counts = counts;
  result_.min_point = min_point;
  result_.samples = group.attribute_int("samples_drawn");
  result_.min_index = group.attribute_int("min_index");
  result_.min_loss = std::bit_cast<double>(group.attribute_int("min_loss_bits"));
  result_.max_loss = std::bit_cast<double>(group.attribute_int("max_loss_bits"));
  seconds_ = group.attribute_double("seconds");
  next_block_ = next;
  segment_done_.assign(done.size(), 0);
  for (std::size_t i = 0; i < done.size(); ++i) segment_done_[i] = done[i] != 0;
}

SimpleSamplingResult simple_sample(const XorLoss& loss, const Box& box, const LossBinning& binning,
                                   const SimpleSamplingSpec& spec) {
  SimpleSamplingJob job(make_problem(loss, box, binning), spec);
  job.advance(RunControl());
  return job.result();
}

double simple_sampling_rate(int n_hidden, std::int64_t samples) {
  const XorLoss loss(Architecture{n_hidden, Activation::sigmoid, Activation::sigmoid}, dataset_by_name("xor"));
  const Box box = symmetric_box(loss.dimension(), 10.0);
  const LossBinning binning(0.0, 1.0, 1000);
  simple_sample(loss, box, binning, SimpleSamplingSpec{std::min<std::int64_t>(samples, 100000), 1, 4096});
  const auto start = SteadyClock::now();
  simple_sample(loss, box, binning, SimpleSamplingSpec{samples, 2, 4096});
  return static_cast<double>(samples) / seconds_since(start);
}

}  // namespace xorscape::entropy
