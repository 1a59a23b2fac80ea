#pragma once
// Directions of a general slice (docs/xorscape-slice.md, "Slices along any directions"): the
// set center + x·d1 (+ y·d2) for directions d1, d2 of the whole parameter space, as in Li et al.
// 2018 ("Visualizing the loss landscape of neural nets"):
//   pair      d1 = e_A, d2 = e_B (the axis planes of the paper, through the general evaluator)
//   random    Gaussian directions with per-unit ("filter") normalisation: the block of each
//             unit's incoming weights and bias (hidden unit i: w1_i1, w1_i2, b1_i; the output
//             unit: w2_1..w2_n, b2) is scaled to the Euclidean norm of the center's block
//   points    the plane through three points P1, P2, P3: center P1, d1 = (P2 - P1)/|P2 - P1|,
//             d2 = the part of P3 - P1 orthogonal to d1, normalised (coordinates in parameter units);
//             two points: the line P1 + t (P2 - P1), t = 0 at P1 and 1 at P2
//   pca       the first two principal components of a path (rows of parameter vectors), with
//             the path's end as the center
//   file      d1 (and d2) read from an HDF5 file
// Each direction set keeps the named points and their coordinates in its frame.
#include <cstdint>
#include <string>
#include <vector>

#include "xorscape/core/network.hpp"

namespace xorscape::slice {

struct NamedPoint {
  std::string label;  // what the user named ("published solution 2 (Table 2)", "path end", ...)
  Params values;
};

struct Directions {
  std::string method;       // pair | random | points | pca | file
  std::string description;  // one sentence on how d1 and d2 were built
  Params center;
  Params d1;
  Params d2;                // empty for a 1-D cut
  bool line() const { return d2.empty(); }
  std::vector<NamedPoint> points;  // the defining points (and, for pca, the path's start and end)
  // pca only: the share of the path's variance along d1, d2 (explained_variance_ratio), and the
  // share captured by the plane (their sum).
  std::vector<double> explained_variance_ratio;
};

// The unit blocks of Li et al.'s filter normalisation: one per hidden unit (w1_i1, w1_i2, b1_i)
// and one for the output unit (w2_1..w2_n, b2); every parameter belongs to exactly one block.
std::vector<std::vector<int>> unit_blocks(const ParameterLayout& layout);
// Scales each unit block of d to the norm of the same block of center (a zero center block
// leaves d's block zero).
void filter_normalise(Params& d, const Params& center, const ParameterLayout& layout);
// One random Gaussian direction, filter-normalised; `which` (0, 1) keys its stream.
Params random_direction(const Params& center, const ParameterLayout& layout, std::uint64_t seed, int which);

Directions pair_directions(const Params& center, const ParameterLayout& layout, int a, int b);
Directions random_directions(const Params& center, const ParameterLayout& layout, std::uint64_t seed, bool line);
// Two points: a line; three points: a plane. Throws std::invalid_argument when points coincide
// or are collinear (to 1e-12 relative).
Directions point_directions(const std::vector<NamedPoint>& points);
// The path's rows (n x D, n >= 3); throws std::invalid_argument when it has fewer than two
// independent directions of motion.
Directions pca_directions(const std::vector<Params>& path, const std::string& source);

// (x, y) of p in the frame of `directions`: the least-squares solution of
// center + x d1 + y d2 ≈ p, and the distance of p from the plane (or line).
struct PlaneCoordinates {
  double x = 0.0;
  double y = 0.0;
  double residual = 0.0;
};
PlaneCoordinates project(const Directions& directions, const Params& p);

// A path projected onto the plane: coordinates of every row and the share of the path's variance
// (about its mean) the plane captures: var(projection onto span{d1, d2}) / var(path).
struct ProjectedPath {
  std::vector<double> x, y, residual;
  double captured_variance = 0.0;
};
ProjectedPath project_path(const Directions& directions, const std::vector<Params>& path);

}  // namespace xorscape::slice
