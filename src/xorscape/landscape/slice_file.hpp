#pragma once
// The slice file (docs/xorscape-slice.md has the full layout, shared with xorscape-trajectory):
//   /center, /parameter_names, root attributes describing the network and the batch,
//   /planes/<A>,<B>/ {x, y (dimension scales), loss (ny, nx) [, loss_mean, loss_std,
//   loss_nonrandomized], histogram, histogram_edges, plateau_levels, plateau_fraction ...}
// Planes are streamed to disk block by block (one chunk of rows at a time), so a
// 4001 x 4001 plane never needs its whole grid in memory.
#include <map>
#include <memory>
#include <string>

#include "xorscape/io/h5.hpp"
#include "xorscape/landscape/slice.hpp"

namespace xorscape::slice {

struct Storage {
  int deflate_level = 0;  // 0: no compression (contiguous rows); 1..9: shuffle + deflate per chunk
};

class SliceFileWriter {
 public:
  SliceFileWriter(const std::string& path, bool overwrite, const SliceSpec& spec, const h5::Provenance& provenance,
                  const std::string& center_note, Storage storage);
  ~SliceFileWriter();
  // Rows per chunk (and per block the caller should compute): about 256 KiB of one dataset.
  int block_rows() const { return block_rows_; }
  void begin_plane(int plane, const PlaneComputation& computation);
  void write_block(const PlaneBlock& block);
  // Statistics of `loss`; for randomized slices also of `loss_mean` and the mean's distance
  // from the nonrandomized loss.
  void end_plane(const PlaneStatistics& loss, const PlaneStatistics* mean, const Difference* mean_vs_nonrandomized);
  // Benchmark results (xorscape-slice --bench) as attributes of the group /bench.
  void write_bench(const std::map<std::string, h5::AttributeValue>& attributes);
  void commit();

 private:
  struct Streams;
  const SliceSpec& spec_;
  Storage storage_;
  int block_rows_;
  h5::OutputFile file_;
  h5::Group plane_group_;
  std::unique_ptr<Streams> streams_;
};

// The name of a plane's group below /planes: "A,B".
std::string plane_name(const ParameterLayout& layout, std::pair<int, int> plane);

}  // namespace xorscape::slice
