// The basin map's file: the direction slice (write_direction_contents) with the basin maps added
// to /plane (or /line) and the label table in /basins (landscape/basins.hpp).
#include <algorithm>

#include "xorscape/landscape/basins.hpp"
#include "xorscape/stationary/stationary.hpp"

namespace xorscape::slice {

namespace {

void write_maps(const h5::Group& g, const std::vector<std::string>& axes, const std::vector<BasinPoint>& points,
                const BasinMap& map, int deflate) {
  h5::StorageOptions storage;
  storage.deflate_level = deflate;
  std::vector<double> end_loss, time, gradient;
  std::vector<std::int32_t> evaluations;
  for (const BasinPoint& p : points) {
    end_loss.push_back(p.end_loss);
    time.push_back(p.arrival_time);
    gradient.push_back(p.end_gradient_norm);
    evaluations.push_back(static_cast<std::int32_t>(std::min<std::int64_t>(p.evaluations, INT32_MAX)));
  }
  g.write("basin_label", std::span<const std::int32_t>(map.label),
          {axes, "label of the end of the full-space gradient flow from the grid point (a row of /basins)", "label", storage});
  g.write("basin_end_loss", end_loss, {axes, "loss at the end of the flow", "loss", storage});
  g.write("basin_arrival_time", time,
          {axes, "flow time t of the end (dtheta/dt = -grad L; gradient descent epochs ~ t / eta)", "flow time", storage});
  g.write("basin_end_gradient_norm", gradient, {axes, "full gradient norm at the end of the flow", "loss per parameter unit", storage});
  g.write("basin_evaluations", std::span<const std::int32_t>(evaluations),
          {axes, "gradient evaluations the flow took", "count", storage});
}

void write_table(const h5::Group& g, const BasinSpec& spec, const std::vector<BasinPoint>& points, const BasinMap& map) {
  const std::size_t labels = map.table.size(), nx = static_cast<std::size_t>(spec.grid.x.count);
  const std::vector<double> xs = spec.grid.x.values();
  const std::vector<double> ys = spec.grid.directions.line() ? std::vector<double>{0.0} : spec.grid.y.values();
  std::vector<std::string> kind, description;
  std::vector<std::int64_t> count, key;
  std::vector<double> fraction, mean, lo, hi, rx, ry, start, end;
  for (const BasinLabel& label : map.table) {
    kind.push_back(to_string(label.kind));
    description.push_back(label.description);
    count.push_back(label.count);
    key.push_back(static_cast<std::int64_t>(label.key));
    fraction.push_back(static_cast<double>(label.count) / static_cast<double>(points.size()));
    mean.push_back(label.end_loss_mean);
    lo.push_back(label.end_loss_min);
    hi.push_back(label.end_loss_max);
    rx.push_back(xs[label.representative % nx]);
    ry.push_back(ys[label.representative / nx]);
    const Params p = point_at(spec.grid.directions, rx.back(), ry.back());
    start.insert(start.end(), p.begin(), p.end());
    const Params& e = points[label.representative].end;
    end.insert(end.end(), e.begin(), e.end());
  }
  g.write_index_scale("label", labels, {"basin label (the values of basin_label)"});
  g.write_strings("kind", kind, {{"label"}, "solution | level | budget | diverged"});
  g.write_strings("description", description, {{"label"}, "what the label means"});
  g.write("count", std::span<const std::int64_t>(count), {{"label"}, "grid points with this label", "count"});
  g.write("fraction", fraction, {{"label"}, "share of the grid's points with this label", "1"});
  g.write("class_key", std::span<const std::int64_t>(key),
          {{"label"}, "solution: per hidden unit 5 bits (4: pre-activation > 0 on each example, 1: w2 > 0), minimised over the symmetry group; else 0"});
  g.write("end_loss_mean", mean, {{"label"}, "mean end loss of the label's points", "loss"});
  g.write("end_loss_min", lo, {{"label"}, "smallest end loss of the label's points", "loss"});
  g.write("end_loss_max", hi, {{"label"}, "largest end loss of the label's points", "loss"});
  g.write("representative_x", rx, {{"label"}, "x of the first grid point (row-major) with this label", "coefficient of d1"});
  if (!spec.grid.directions.line())
    g.write("representative_y", ry, {{"label"}, "y of that grid point", "coefficient of d2"});
  g.write("representative_start", start, {{"label", "/parameter_names"}, "that grid point's parameters", "parameter units"});
  g.write("representative_end", end, {{"label", "/parameter_names"}, "the end of the flow from it", "parameter units"});
}

void write_settings(const h5::Group& g, const BasinSpec& spec, const std::vector<BasinPoint>& points) {
  const trajectory::TrajectorySpec& f = spec.flow;
  g.set_attribute("integrator", std::string("gradient flow dtheta/dt = -grad L, Dormand-Prince 5(4) (landscape/integrators.hpp), full space"));
  g.set_attribute("flow_time", f.epochs * f.eta);
  g.set_attribute("max_evaluations", static_cast<std::int64_t>(f.max_evaluations));
  g.set_attribute("threshold", f.loss_threshold);
  g.set_attribute("gradient_tolerance", f.gradient_tolerance);
  g.set_attribute("rtol", f.relative_tolerance);
  g.set_attribute("atol", f.absolute_tolerance);
  g.set_attribute("level_tolerance", spec.level_tolerance);
  std::int64_t converged = 0, trapped = 0, moving = 0, diverged = 0, evaluations = 0;
  for (const BasinPoint& p : points) {
    converged += p.outcome == trajectory::Outcome::converged;
    trapped += p.outcome == trajectory::Outcome::trapped;
    moving += p.outcome == trajectory::Outcome::budget;
    diverged += p.outcome == trajectory::Outcome::diverged;
    evaluations += p.evaluations;
  }
  g.set_attribute("points", static_cast<std::int64_t>(points.size()));
  g.set_attribute("converged", converged);
  g.set_attribute("trapped", trapped);
  g.set_attribute("still_moving", moving);
  g.set_attribute("diverged", diverged);
  g.set_attribute("gradient_evaluations", evaluations);
  g.set_attribute("symmetry", std::string(stationary_symmetry_note(spec.grid.loss)));
}

}  // namespace

std::string stationary_symmetry_note(const XorLoss& loss) {
  return stationary::is_odd(loss.architecture().hidden)
             ? "hidden-unit permutations and sign flips (odd hidden activation)"
             : "hidden-unit permutations (the hidden activation is not odd: no sign flips)";
}

void write_basins(const h5::Group& root, const BasinSpec& spec, const std::vector<BasinPoint>& points,
                  const CenterOrigin& center, int deflate_level) {
  DirectionGrid grid;
  compute_direction_grid(spec.grid, grid, RunControl());
  write_direction_contents(root, spec.grid, grid, center, deflate_level);
  const BasinMap map = label_basins(spec, points);
  const h5::Group plane = root.open_group(spec.grid.directions.line() ? "line" : "plane");
  write_maps(plane, spec.grid.directions.line() ? std::vector<std::string>{"x"} : std::vector<std::string>{"y", "x"},
             points, map, deflate_level);
  plane.set_attribute("basins", std::string("/basins"));
  const h5::Group table = root.create_group("basins");
  write_table(table, spec, points, map);
  write_settings(table, spec, points);
}

}  // namespace xorscape::slice
