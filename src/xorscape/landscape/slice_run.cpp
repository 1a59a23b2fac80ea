#include "xorscape/landscape/slice_run.hpp"

#include "xorscape/core/stopwatch.hpp"

namespace xorscape::slice {

namespace {

// Streams each finished block into the file and the plane's statistics.
class FileConsumer : public BlockConsumer {
 public:
  FileConsumer(const SliceSpec& spec, SliceFileWriter& writer, SliceTiming& timing, const RunControl& control)
      : spec_(spec), writer_(writer), timing_(timing), control_(control), loss_(spec), mean_(spec) {}
  void begin_plane(int plane, const PlaneComputation& computation) override {
    const SteadyClock::time_point start = SteadyClock::now();
    writer_.begin_plane(plane, computation);
    loss_ = PlaneStatistics(spec_);
    mean_ = PlaneStatistics(spec_);
    difference_ = Difference{};
    timing_.writing += seconds_since(start);
  }
  void consume(int plane, const PlaneBlock& block) override {
    const SteadyClock::time_point start = SteadyClock::now();
    const std::size_t cells = static_cast<std::size_t>(block.rows) * spec_.x.count;
    loss_.add(std::span(block.loss.data(), cells));
    if (spec_.randomized) {
      mean_.add(std::span(block.loss_mean.data(), cells));
      difference_.add(std::span(block.loss_mean.data(), cells), std::span(block.loss_nonrandomized.data(), cells));
    }
    writer_.write_block(block);
    control_.progress(static_cast<double>(plane) * spec_.y.count + block.row0 + block.rows,
                      static_cast<double>(spec_.planes.size()) * spec_.y.count);
    timing_.writing += seconds_since(start);
  }
  void end_plane(int) override {
    const SteadyClock::time_point start = SteadyClock::now();
    writer_.end_plane(loss_, spec_.randomized ? &mean_ : nullptr, spec_.randomized ? &difference_ : nullptr);
    timing_.writing += seconds_since(start);
  }

 private:
  const SliceSpec& spec_;
  SliceFileWriter& writer_;
  SliceTiming& timing_;
  const RunControl& control_;
  PlaneStatistics loss_, mean_;
  Difference difference_;
};

}  // namespace

double evaluations(const SliceSpec& spec) {
  return static_cast<double>(spec.planes.size()) * spec.x.count * static_cast<double>(spec.y.count) *
         (spec.randomized ? spec.scans : 1);
}

SliceTiming write_slices(const SliceSpec& spec, const SliceOutput& output, const RunControl& control,
                         std::map<std::string, h5::AttributeValue> bench) {
  const SteadyClock::time_point start = SteadyClock::now();
  SliceTiming timing;
  SliceFileWriter writer(output.path, output.overwrite, spec, output.provenance, output.center, output.storage);
  FileConsumer consumer(spec, writer, timing, control);
  if (!run_slice(spec, writer.block_rows(), consumer, control)) {
    timing.stopped = true;  // the writer's temporary is removed, nothing appears under the name
    return timing;
  }
  if (!bench.empty()) {
    const double elapsed = seconds_since(start);
    bench["end_to_end_seconds"] = elapsed;
    bench["end_to_end_rate_all_threads"] = evaluations(spec) / elapsed;
    bench["end_to_end_writing_thread_busy_seconds"] = timing.writing;
    bench["end_to_end_note"] = std::string("this run, file writing included, before the final flush and rename");
    writer.write_bench(bench);
  }
  const SteadyClock::time_point commit_start = SteadyClock::now();
  writer.commit();
  timing.writing += seconds_since(commit_start);
  timing.total = seconds_since(start);
  return timing;
}

}  // namespace xorscape::slice
