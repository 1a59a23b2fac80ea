#pragma once
// Trajectories in HDF5 (docs/xorscape-trajectory.md): the landscape-file layout of
// landscape/slice_file.hpp (the same root and /planes/<A>,<B> groups) with trajectories/<k>/
// groups, written either into a file of their own or added to an existing slice file atomically.
//
//   /planes/<A>,<B>/trajectories/<k>/   a trajectory in (or projected onto) that plane
//       epoch   (n) epoch tau (GD) or flow time / eta (flow); the dimension scale of the others
//       x, y    (n) offsets from the center of A and B at each stored point
//       loss    (n) loss at each stored point
//       parameters (n, D)  only for full-space trajectories: the whole vector at each point
//   /full_space/trajectories/<k>/       full-space trajectories with no plane to show them in
//       epoch (n), parameters (n, D), loss (n)
#include <string>

#include "xorscape/io/h5.hpp"
#include "xorscape/io/parameter_point.hpp"
#include "xorscape/landscape/trajectory_jobs.hpp"

namespace xorscape::trajectory {

// Writes the record as group trajectories/<next free k> under `parent` (a plane group or
// /full_space) and returns k. `provenance` is stored as attributes of the trajectory group,
// so trajectories added to another tool's file still say how they were made.
int append_trajectory(const h5::Group& parent, const TrajectoryRecord& record, const Params& center,
                      const ParameterLayout& layout, const h5::Provenance& provenance);

// A file of its own (-o): the landscape header (network, center, batch) and every trajectory.
void write_trajectory_file(const h5::Group& root, const TrajectoryJob& job, const h5::Provenance& provenance);
// The trajectories of a finished job added to an existing landscape file (--into), whose center
// the plan's is.
void add_trajectories(const h5::Group& root, const TrajectoryJob& job, const h5::Provenance& provenance);

// Parameter points of a slice or trajectory file: center; trajectory=K with start or end
// (K counts the file's trajectories in the order of their group paths); end / start alone for a
// file with one trajectory. Without a selector: the only trajectory's end, else the center.
Params read_point(const h5::Group& root, const io::PointSelector& selector);

// The stored points (n x D) of trajectory=K (alone: the file's only trajectory with its full
// parameters); `group` receives its path in the file. Throws std::invalid_argument when the
// trajectory does not exist or was restricted to a plane (it stores no full-space parameters).
std::vector<Params> read_path(const h5::Group& root, const io::PointSelector& selector, std::string& group);

}  // namespace xorscape::trajectory
