#pragma once
// A slice computed and streamed into its file: every plane of a SliceSpec block by block
// (run_slice), the statistics of each plane accumulated on the way, the file committed only when
// every plane is written.
//
// A slice is not resumable: a stopped slice writes nothing. Its cost is one rescan of the grid
// (minutes at the largest resolutions, where a checkpoint would have to hold every finished row of
// up to four 20000 x 20000 grids, the size of the output itself); rerunning it gives the same
// numbers bit for bit.
#include <map>
#include <string>

#include "xorscape/core/run_control.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/landscape/slice_file.hpp"

namespace xorscape::slice {

// Where and how the slice is stored.
struct SliceOutput {
  std::string path;
  bool overwrite = false;
  CenterOrigin center;
  Storage storage;
  h5::Provenance provenance;
};

struct SliceTiming {
  bool stopped = false;  // control asked to stop: nothing was written
  double writing = 0.0;  // seconds the writing thread spent in HDF5 and statistics (overlaps computation)
  double total = 0.0;    // seconds from start to the renamed file
};

// Computes every plane of spec and writes the file (atomically). Reports control.progress(rows
// done, rows) and stops within a second when control asks. bench: when not empty, written to
// /bench together with this run's end-to-end timing.
SliceTiming write_slices(const SliceSpec& spec, const SliceOutput& output, const RunControl& control,
                         std::map<std::string, h5::AttributeValue> bench = {});

// Grid points evaluated by one run: planes x nx x ny x scans.
double evaluations(const SliceSpec& spec);

}  // namespace xorscape::slice
