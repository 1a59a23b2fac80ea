#include "xorscape/landscape/direction_slice.hpp"

#include <omp.h>

#include <atomic>

#include "xorscape/landscape/curvature.hpp"

namespace xorscape::slice {

Params point_at(const Directions& directions, double x, double y) {
  Params p = directions.center;
  for (std::size_t k = 0; k < p.size(); ++k) {
    p[k] += x * directions.d1[k];
    if (!directions.line()) p[k] += y * directions.d2[k];
  }
  return p;
}

namespace {

void size_grid(const DirectionSliceSpec& spec, DirectionGrid& grid) {
  grid.x = spec.x.values();
  grid.y = spec.directions.line() ? std::vector<double>{} : spec.y.values();
  const std::size_t n = grid.x.size() * std::max<std::size_t>(grid.y.size(), 1);
  grid.loss.assign(n, 0.0);
  if (!spec.curvature) return;
  grid.min_eigenvalue.assign(n, 0.0);
  grid.max_eigenvalue.assign(n, 0.0);
  grid.gradient_norm.assign(n, 0.0);
  grid.negative.assign(n, 0);
}

void compute_row(const DirectionSliceSpec& spec, DirectionGrid& grid, int row, const CurvatureEvaluator& evaluator) {
  const double y = grid.y.empty() ? 0.0 : grid.y[row];
  const std::size_t nx = grid.x.size();
  const Directions& d = spec.directions;
  Params p(d.center.size());
  for (std::size_t i = 0; i < nx; ++i) {
    for (std::size_t k = 0; k < p.size(); ++k)  // point_at without an allocation per point
      p[k] = d.center[k] + grid.x[i] * d.d1[k] + (d.line() ? 0.0 : y * d.d2[k]);
    const std::size_t cell = static_cast<std::size_t>(row) * nx + i;
    if (!spec.curvature) {
      grid.loss[cell] = spec.loss.value(p);
      continue;
    }
    const Curvature c = evaluator.at(p);
    grid.loss[cell] = c.loss;
    grid.min_eigenvalue[cell] = c.min_eigenvalue;
    grid.max_eigenvalue[cell] = c.max_eigenvalue;
    grid.gradient_norm[cell] = c.gradient_norm;
    grid.negative[cell] = c.negative;
  }
}

}  // namespace

bool compute_direction_grid(const DirectionSliceSpec& spec, DirectionGrid& grid, const RunControl& control) {
  size_grid(spec, grid);
  const int rows = grid.y.empty() ? 1 : static_cast<int>(grid.y.size());
  const CurvatureEvaluator evaluator(spec.loss);
  std::atomic<int> done{0};
  std::atomic<bool> stopped{false};
#pragma omp parallel for schedule(dynamic, 1)
  for (int row = 0; row < rows; ++row) {
    if (stopped.load(std::memory_order_relaxed)) continue;
    if (control.stop_requested()) {
      stopped = true;
      continue;
    }
    compute_row(spec, grid, row, evaluator);
    const int finished = done.fetch_add(1) + 1;
    if (omp_get_thread_num() == 0) control.progress(finished, rows);
  }
  if (stopped) return false;
  control.progress(rows, rows);
  return true;
}

namespace {

std::vector<std::string> grid_axes(const DirectionGrid& grid) {
  return grid.y.empty() ? std::vector<std::string>{"x"} : std::vector<std::string>{"y", "x"};
}

void write_grids(const h5::Group& g, const DirectionSliceSpec& spec, const DirectionGrid& grid, int deflate) {
  const std::string units = std::string("loss (") + (spec.loss.reduction() == Reduction::mean ? "mean" : "sum") +
                            " of squared output errors over the batch)";
  h5::StorageOptions storage;
  storage.deflate_level = deflate;
  const std::vector<std::string> axes = grid_axes(grid);
  g.write("loss", grid.loss, {axes, "loss with the nonrandomized batch at center + x d1 + y d2", units, storage});
  if (!spec.curvature) return;
  g.write("min_eigenvalue", grid.min_eigenvalue, {axes, "smallest eigenvalue of the exact D x D Hessian", "loss per parameter unit squared", storage});
  g.write("max_eigenvalue", grid.max_eigenvalue, {axes, "largest eigenvalue of the exact D x D Hessian", "loss per parameter unit squared", storage});
  g.write("gradient_norm", grid.gradient_norm, {axes, "Euclidean norm of the full D-dimensional gradient", "loss per parameter unit", storage});
  g.write("negative_eigenvalues", std::span<const std::int32_t>(grid.negative),
          {axes, "number of negative Hessian eigenvalues (the index; below -1e-12 max(1, max |eigenvalue|))", "count", storage});
}

// d1, d2 and the defining points with their coordinates in the slice's frame.
void write_frame(const h5::Group& g, const Directions& d) {
  const h5::Info along{{"/parameter_names"}, "direction in parameter space (grid point = center + x d1 + y d2)", "parameter units"};
  g.write("d1", d.d1, along);
  if (!d.line()) g.write("d2", d.d2, along);
  g.write("center", d.center, {{"/parameter_names"}, "the grid's origin (x = y = 0)", "parameter units"});
  std::vector<std::string> labels;
  std::vector<double> px, py, residual, parameters;
  for (const NamedPoint& p : d.points) {
    const PlaneCoordinates c = project(d, p.values);
    labels.push_back(p.label);
    px.push_back(c.x);
    py.push_back(c.y);
    residual.push_back(c.residual);
    parameters.insert(parameters.end(), p.values.begin(), p.values.end());
  }
  g.write_scale("point", labels, {"the points that define the slice (or mark it)"});
  g.write("point_x", px, {{"point"}, "x coordinate of each point (least squares in the frame d1, d2)", "coefficient of d1"});
  if (!d.line()) g.write("point_y", py, {{"point"}, "y coordinate of each point", "coefficient of d2"});
  g.write("point_residual", residual, {{"point"}, "distance of each point from the slice (0: on it)", "parameter units"});
  g.write("point_parameters", parameters, {{"point", "/parameter_names"}, "the points' parameter vectors", "parameter units"});
  g.set_attribute("method", d.method);
  g.set_attribute("description", d.description);
  if (!d.explained_variance_ratio.empty()) {
    g.set_attribute("explained_variance_ratio", d.explained_variance_ratio);
    g.set_attribute("explained_variance_plane", d.explained_variance_ratio[0] + d.explained_variance_ratio[1]);
  }
}

void write_path(const h5::Group& parent, const DirectionSliceSpec& spec) {
  const ProjectedPath projected = project_path(spec.directions, spec.path);
  const h5::Group g = parent.create_group("path");
  g.write_index_scale("step", spec.path.size(), {"stored point of the path, in order"});
  g.write("x", projected.x, {{"step"}, "x coordinate of the path's point (least squares)", "coefficient of d1"});
  if (!spec.directions.line()) g.write("y", projected.y, {{"step"}, "y coordinate of the path's point", "coefficient of d2"});
  g.write("residual", projected.residual, {{"step"}, "distance of the path's point from the slice", "parameter units"});
  std::vector<double> loss, parameters;
  for (const Params& p : spec.path) {
    loss.push_back(spec.loss.value(p));
    parameters.insert(parameters.end(), p.begin(), p.end());
  }
  g.write("loss", loss, {{"step"}, "loss at the path's full-space point (not at its projection)"});
  g.write("parameters", parameters, {{"step", "/parameter_names"}, "the path's full-space points", "parameter units"});
  g.set_attribute("source", spec.path_source);
  g.set_attribute("captured_variance", projected.captured_variance);
  g.set_attribute("captured_variance_meaning",
                  std::string("share of the path's variance about its mean that lies in the slice's span"));
  parent.set_attribute("path_captured_variance", projected.captured_variance);
}

}  // namespace

void write_direction_slice(const DirectionSliceSpec& spec, const DirectionGrid& grid, const DirectionOutput& output) {
  h5::OutputFile file(output.path, output.overwrite);
  file.write_provenance(output.provenance);
  write_direction_contents(file.root(), spec, grid, output.center, output.deflate_level);
  file.commit();
}

void write_direction_contents(const h5::Group& root, const DirectionSliceSpec& spec, const DirectionGrid& grid,
                              const CenterOrigin& center, int deflate_level) {
  write_landscape_header(root, spec.loss, spec.directions.center, center);
  root.set_attribute("batch", std::string("nonrandomized"));
  root.set_attribute("slice_kind", std::string(grid.y.empty() ? "line" : "plane"));
  const h5::Group g = root.create_group(grid.y.empty() ? "line" : "plane");
  g.write_scale("x", grid.x, {"coefficient of d1 (grid point = center + x d1 + y d2)", "coefficient of d1"});
  if (!grid.y.empty()) g.write_scale("y", grid.y, {"coefficient of d2", "coefficient of d2"});
  write_grids(g, spec, grid, deflate_level);
  write_frame(g, spec.directions);
  if (!spec.path.empty()) write_path(g, spec);
  g.set_attribute("curvature", static_cast<std::int64_t>(spec.curvature));
}

}  // namespace xorscape::slice
