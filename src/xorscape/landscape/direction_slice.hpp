#pragma once
// Slices along any directions (landscape/directions.hpp): the loss, and optionally the curvature
// (landscape/curvature.hpp), on the grid center + x·d1 + y·d2 (a plane) or center + x·d1 (a 1-D
// cut), each grid point evaluated with XorLoss itself. A path given with the slice is projected
// onto it. Layout (docs/xorscape-slice.md, "Slices along any directions"):
//   /plane (or /line)  attributes method, description, explained_variance_ratio (pca),
//                      path_captured_variance (with a path)
//       x [, y]        dimension scales: the coefficients of d1 [and d2]
//       loss           (y, x) or (x)
//       min_eigenvalue, max_eigenvalue, negative_eigenvalues, gradient_norm   with --curvature
//       d1 [, d2]      (parameter_names) the directions
//       point          dimension scale: labels of the defining points
//       point_x [, point_y], point_residual (point), point_parameters (point, parameter_names)
//       path/          step (scale), x [, y], residual, loss, parameters (step, parameter_names)
// Not resumable: like an axis slice, a stopped run writes nothing (seconds to minutes of work).
#include <cstdint>
#include <string>
#include <vector>

#include "xorscape/core/run_control.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/landscape/directions.hpp"
#include "xorscape/landscape/slice.hpp"
#include "xorscape/landscape/slice_file.hpp"

namespace xorscape::slice {

struct DirectionSliceSpec {
  XorLoss loss{Architecture{}, Dataset{}};
  Directions directions;
  Axis x;
  Axis y;  // unused for a line
  bool curvature = false;
  std::vector<Params> path;  // projected onto the slice when not empty
  std::string path_source;
};

struct DirectionGrid {
  std::vector<double> x, y;  // y empty for a line
  std::vector<double> loss, min_eigenvalue, max_eigenvalue, gradient_norm;  // row-major (y, x)
  std::vector<std::int32_t> negative;
  std::size_t points() const { return loss.size(); }
};

// The parameters at grid coefficients (x, y): center + x d1 + y d2.
Params point_at(const Directions& directions, double x, double y);

// Every grid point, OpenMP over rows (the results do not depend on the number of threads).
// Reports control.progress(rows done, rows); returns false when control asked to stop.
bool compute_direction_grid(const DirectionSliceSpec& spec, DirectionGrid& grid, const RunControl& control);

struct DirectionOutput {
  std::string path;
  bool overwrite = false;
  CenterOrigin center;
  int deflate_level = 0;
  h5::Provenance provenance;
};
void write_direction_slice(const DirectionSliceSpec& spec, const DirectionGrid& grid, const DirectionOutput& output);
// What write_direction_slice writes below the provenance: the landscape header and /plane (or
// /line), into any root (a basin map adds its maps to the same file: landscape/basins.hpp).
void write_direction_contents(const h5::Group& root, const DirectionSliceSpec& spec, const DirectionGrid& grid,
                              const CenterOrigin& center, int deflate_level);

}  // namespace xorscape::slice
