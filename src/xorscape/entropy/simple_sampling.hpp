#pragma once
// Simple sampling of the density of loss: N points uniform in the box, their losses evaluated by
// kernels::batch_loss and histogrammed. Points come in blocks of `block`, each drawn from a
// random stream keyed by the block index, and every tally is order-free (integer counts, the
// largest loss, the smallest loss with ties broken by the sample index), so the result depends
// on the seed and the block size only, never on the thread count or on where a run was stopped
// and resumed.
//
// SimpleSamplingJob is resumable (io/checkpoint.hpp): blocks are done in segments of
// kSegmentBlocks; the state is the tally of the finished blocks, the first unfinished segment and
// which of its blocks are done. A stop is honoured between blocks and, for a signal, inside a
// block (every kPollPoints points); an interrupted block is dropped and redone.
#include <cstdint>
#include <string>
#include <vector>

#include "xorscape/core/run_control.hpp"
#include "xorscape/entropy/entropy.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/kernels/kernels.hpp"

namespace xorscape::entropy {

struct SimpleSamplingSpec {
  std::int64_t samples = 10000000;
  std::uint64_t seed = 1;
  int block = 4096;  // samples per random stream (streams keyed by block index)
};

// The tally of the blocks done so far (complete when the job is finished).
struct SimpleSamplingResult {
  std::vector<std::int64_t> counts;  // per bin
  std::int64_t samples = 0;          // drawn; a point whose loss is not a number lands in no bin
  double min_loss = 0.0;
  double max_loss = 0.0;
  std::int64_t min_index = 0;     // sample index of the smallest loss (the first of equal ones)
  std::vector<double> min_point;  // the parameters of the smallest loss seen
};

inline constexpr std::int64_t kSegmentBlocks = 4096;
inline constexpr std::int64_t kPollPoints = 65536;  // a multiple of every vector width

class SimpleSamplingJob {
 public:
  SimpleSamplingJob(EntropyProblem problem, SimpleSamplingSpec spec,
                    kernels::SimdLevel level = kernels::detect_simd_level());
  // Problem, samples, block, seed and the SIMD level (its last bits differ between levels).
  std::string identity() const;
  bool finished() const { return next_block_ >= blocks_; }
  double fraction_done() const;
  // Every call makes progress: the blocks started before a deadline stop are finished.
  void advance(const RunControl& control);
  void save(const h5::Group& group) const;
  void load(const h5::Group& group);

  const EntropyProblem& problem() const { return problem_; }
  const SimpleSamplingSpec& spec() const { return spec_; }
  kernels::SimdLevel simd_level() const { return level_; }
  const SimpleSamplingResult& result() const { return result_; }
  SampledEntropy entropy() const;
  // Wall-clock seconds spent in advance(), summed over resumed runs.
  double seconds() const { return seconds_; }

 private:
  struct Tally;
  struct Buffers;
  bool sample_block(std::int64_t block, Buffers& buffers, Tally& tally, const RunControl& control) const;
  void run_segment(const RunControl& control, std::vector<Buffers>& buffers);
  void merge(const Tally& tally);

  EntropyProblem problem_;
  SimpleSamplingSpec spec_;
  kernels::SimdLevel level_;
  std::int64_t blocks_;
  SimpleSamplingResult result_;
  std::int64_t next_block_ = 0;             // every block below is done
  std::vector<std::uint8_t> segment_done_;  // blocks next_block_ + i done (the current segment)
  double seconds_ = 0.0;
};

// The whole run at once (tests, benchmarks).
SimpleSamplingResult simple_sample(const XorLoss& loss, const Box& box, const LossBinning& binning,
                                   const SimpleSamplingSpec& spec);

// Evaluations per second (wall clock, all threads) of simple sampling for the sigmoid XOR network
// with n_hidden hidden neurons, box R = 10, 1000 bins, `samples` points after a short warm-up.
double simple_sampling_rate(int n_hidden, std::int64_t samples);

}  // namespace xorscape::entropy
