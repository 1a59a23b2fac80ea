#pragma once
// The landscape file (docs/xorscape-slice.md has the full layout; xorscape-trajectory writes the
// same root and plane groups and adds trajectories/ to them, landscape/trajectory_file.hpp):
//   root   the network (io::write_network: attributes and the /parameter_names scale), /center
//          labelled by /parameter_names with center_source and center_note, batch, ...
//   /planes/<A>,<B>/ {x, y (dimension scales), loss (ny, nx) [, loss_mean, loss_std,
//          loss_nonrandomized], histogram (histogram_bin), histogram_edges, plateau_levels,
//          plateau_fraction (plateau_levels) ...}
// Planes are streamed to disk block by block (one chunk of rows at a time), so a
// 4001 x 4001 plane never needs its whole grid in memory.
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "xorscape/io/h5.hpp"
#include "xorscape/landscape/slice.hpp"

namespace xorscape::slice {

// How the center was named (cli::parse_point): stored as center_source and center_note.
struct CenterOrigin {
  std::string source;  // "published solution 1 (Table 2)", "train.h5:run=3", ...
  std::string note;    // why the values differ from what was named (published rows 3, 4), else empty
};

// The root every landscape file shares: the network description (io::write_network), /center
// (D) labelled by /parameter_names, and the attributes center_source and center_note (when not empty).
void write_landscape_header(const h5::Group& root, const XorLoss& loss, const Params& center,
                            const CenterOrigin& origin);

// The name of a plane's group below /planes: "A,B".
std::string plane_name(const ParameterLayout& layout, std::pair<int, int> plane);

// /planes/<A>,<B> with its attributes x_parameter, y_parameter, x_index, y_index, x_center,
// y_center: created if missing, returned either way.
h5::Group plane_group(const h5::Group& root, const ParameterLayout& layout, const Params& center,
                      std::pair<int, int> plane);

struct Storage {
  int deflate_level = 0;  // 0: no compression (contiguous rows); 1..9: shuffle + deflate per chunk
};

// Rows per block the slice is computed and stored in: about 256 KiB of one dataset.
int block_rows(const SliceSpec& spec);

class SliceFileWriter {
 public:
  SliceFileWriter(const std::string& path, bool overwrite, const SliceSpec& spec, const h5::Provenance& provenance,
                  const CenterOrigin& origin, Storage storage);
  ~SliceFileWriter();
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

}  // namespace xorscape::slice
