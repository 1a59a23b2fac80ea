#pragma once
// Trajectories in HDF5: the slice-file layout of notes SLICEFILE.md (root attributes,
// /center, /parameter_names, /planes/<A>,<B>/ with trajectories/<k>/), written either
// into a file of their own or added to an existing slice file atomically.
//
//   /planes/<A>,<B>/trajectories/<k>/   a trajectory in (or projected onto) that plane
//       x, y    (n) offsets from the center of A and B at each stored point
//       loss    (n) loss at each stored point
//       epoch   (n) epoch tau (GD) or flow time / eta (flow); dimension scale of x, y, loss
//       parameters (n, D)  only for full-space trajectories: the whole vector at each point
//   /full_space/trajectories/<k>/       full-space trajectories with no plane to show them in
//       parameters (n, D), loss (n), epoch (n)
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "xorscape/io/h5.hpp"
#include "xorscape/io/parameter_point.hpp"
#include "xorscape/core/network.hpp"
#include "xorscape/landscape/trajectory.hpp"

namespace xorscape::trajectory {

// One finished trajectory and how it was made.
struct TrajectoryRecord {
  TrajectorySpec spec;
  TrajectoryResult result;
  EndPointAnalysis end_analysis;
  std::vector<int> moving;                   // layout indices of the moving parameters
  Params start_parameters;                   // the whole vector at the start
  Params end_parameters;                     // the whole vector at the end
  double start_loss = 0.0;
  std::optional<std::pair<int, int>> plane;  // the plane it is stored in (x = first, y = second)
};

// Root attributes n_hidden, hidden_activation, output_activation, data, batch, center_note
// (when not empty), and the datasets /center and /parameter_names.
void write_landscape_header(const h5::Group& root, const XorLoss& loss, const Params& center,
                            const std::string& center_note);

// /planes/<A>,<B> with its attributes (created if missing; returned either way).
h5::Group plane_group(const h5::Group& root, const ParameterLayout& layout, const Params& center, int a, int b);

// The name of the plane group of (a, b): "A,B".
std::string plane_name(const ParameterLayout& layout, int a, int b);

// Writes the record as group trajectories/<next free k> under `parent` (a plane group or
// /full_space) and returns k. `provenance` is stored as attributes of the trajectory group,
// so trajectories added to another tool's file still say how they were made.
int append_trajectory(const h5::Group& parent, const TrajectoryRecord& record, const Params& center,
                      const ParameterLayout& layout, const h5::Provenance& provenance);


// Parameter points of a slice or trajectory file: center; trajectory=K with start or end
// (K counts the file's trajectories in the order of their group paths); end / start alone for a
// file with one trajectory. Without a selector: the only trajectory's end, else the center.
Params read_point(const h5::Group& root, const io::PointSelector& selector);

}  // namespace xorscape::trajectory
