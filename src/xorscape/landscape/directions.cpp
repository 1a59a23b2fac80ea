#include "xorscape/landscape/directions.hpp"

#include <Eigen/Dense>

#include <cmath>
#include <stdexcept>

#include "xorscape/core/rng.hpp"

namespace xorscape::slice {

namespace {

double dot(const Params& a, const Params& b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

Params difference(const Params& a, const Params& b) {
  Params d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  return d;
}

// A constant that keeps direction streams apart from every other stream with the same seed.
constexpr std::uint64_t kDirectionStreamTag = 0x646972656374ULL;  // "direct"

}  // namespace

std::vector<std::vector<int>> unit_blocks(const ParameterLayout& layout) {
  std::vector<std::vector<int>> blocks;
  for (int i = 0; i < layout.n_hidden(); ++i) blocks.push_back({layout.w1(i, 0), layout.w1(i, 1), layout.b1(i)});
  std::vector<int> output;
  for (int i = 0; i < layout.n_hidden(); ++i) output.push_back(layout.w2(i));
  output.push_back(layout.b2());
  blocks.push_back(output);
  return blocks;
}

void filter_normalise(Params& d, const Params& center, const ParameterLayout& layout) {
  for (const std::vector<int>& block : unit_blocks(layout)) {
    double dn = 0.0, cn = 0.0;
    for (int k : block) {
      dn += d[k] * d[k];
      cn += center[k] * center[k];
    }
    const double scale = dn > 0.0 ? std::sqrt(cn / dn) : 0.0;
    for (int k : block) d[k] *= scale;
  }
}

Params random_direction(const Params& center, const ParameterLayout& layout, std::uint64_t seed, int which) {
  RandomStream stream(seed, {kDirectionStreamTag, static_cast<std::uint64_t>(which)});
  Params d(center.size());
  for (double& v : d) v = stream.normal();
  filter_normalise(d, center, layout);
  return d;
}

Directions pair_directions(const Params& center, const ParameterLayout& layout, int a, int b) {
  Directions r;
  r.method = "pair";
  r.description = "unit vectors along " + layout.name(a) + " (x) and " + layout.name(b) + " (y)";
  r.center = center;
  r.d1.assign(center.size(), 0.0);
  r.d2.assign(center.size(), 0.0);
  r.d1[a] = 1.0;
  r.d2[b] = 1.0;
  r.points.push_back({"center", center});
  return r;
}

Directions random_directions(const Params& center, const ParameterLayout& layout, std::uint64_t seed, bool line) {
  Directions r;
  r.method = "random";
  r.description = std::string("Gaussian random direction") + (line ? "" : "s") +
                  " (seed " + std::to_string(seed) +
                  "), filter-normalised per unit (Li et al. 2018): each unit's incoming weights and bias scaled "
                  "to the norm of the center's";
  r.center = center;
  r.d1 = random_direction(center, layout, seed, 0);
  if (!line) r.d2 = random_direction(center, layout, seed, 1);
  r.points.push_back({"center", center});
  return r;
}

Directions point_directions(const std::vector<NamedPoint>& points) {
  if (points.size() != 2 && points.size() != 3) throw std::invalid_argument("give two points (a line) or three (a plane)");
  Directions r;
  r.method = "points";
  r.center = points[0].values;
  r.points = points;
  r.d1 = difference(points[1].values, points[0].values);
  const double n1 = std::sqrt(dot(r.d1, r.d1));
  if (!(n1 > 1e-12 * (1.0 + std::sqrt(dot(r.center, r.center))))) throw std::invalid_argument("the first two points coincide");
  if (points.size() == 2) {
    r.description = "the line P1 + t (P2 - P1): t = 0 at the first point, 1 at the second";
    return r;
  }
  for (double& v : r.d1) v /= n1;
  Params d2 = difference(points[2].values, points[0].values);
  const double along = dot(d2, r.d1);
  for (std::size_t i = 0; i < d2.size(); ++i) d2[i] -= along * r.d1[i];
  const double n2 = std::sqrt(dot(d2, d2));
  if (!(n2 > 1e-12 * n1)) throw std::invalid_argument("the three points are collinear");
  for (double& v : d2) v /= n2;
  r.d2 = d2;
  r.description = "the plane through three points: center P1, d1 = (P2 - P1)/|P2 - P1|, d2 = the part of P3 - P1 "
                  "orthogonal to d1, normalised (x, y in parameter units)";
  return r;
}

Directions pca_directions(const std::vector<Params>& path, const std::string& source) {
  if (path.size() < 3) throw std::invalid_argument("a path needs at least 3 points for two principal components");
  const int n = static_cast<int>(path.size()), dim = static_cast<int>(path.front().size());
  Eigen::MatrixXd rows(n, dim);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < dim; ++k) rows(i, k) = path[i][k];
  const Eigen::RowVectorXd mean = rows.colwise().mean();
  const Eigen::MatrixXd centred = rows.rowwise() - mean;
  const Eigen::MatrixXd covariance = centred.transpose() * centred / std::max(n - 1, 1);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
  const Eigen::VectorXd values = solver.eigenvalues();  // ascending
  const double total = values.sum();
  if (!(total > 0.0) || !(values[dim - 2] > 1e-14 * total))
    throw std::invalid_argument("the path moves along fewer than two independent directions");
  Directions r;
  r.method = "pca";
  r.description = "the first two principal components of the path " + source +
                  " (covariance of its stored points about their mean); center: the path's end";
  r.center = path.back();
  for (int k = 0; k < dim; ++k) {
    r.d1.push_back(solver.eigenvectors()(k, dim - 1));
    r.d2.push_back(solver.eigenvectors()(k, dim - 2));
  }
  // A sign convention, so that the same path always gives the same frame: the path's start at x, y <= 0.
  const Params start = difference(path.front(), r.center);
  if (dot(start, r.d1) > 0.0)
    for (double& v : r.d1) v = -v;
  if (dot(start, r.d2) > 0.0)
    for (double& v : r.d2) v = -v;
  r.explained_variance_ratio = {values[dim - 1] / total, values[dim - 2] / total};
  r.points = {{"path start", path.front()}, {"path end", path.back()}};
  return r;
}

PlaneCoordinates project(const Directions& directions, const Params& p) {
  const Params v = difference(p, directions.center);
  PlaneCoordinates c;
  const double a = dot(directions.d1, directions.d1), r1 = dot(directions.d1, v);
  if (directions.line()) {
    c.x = r1 / a;
  } else {
    const double b = dot(directions.d1, directions.d2), d = dot(directions.d2, directions.d2);
    const double r2 = dot(directions.d2, v), det = a * d - b * b;
    c.x = (d * r1 - b * r2) / det;
    c.y = (a * r2 - b * r1) / det;
  }
  double residual = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double e = v[i] - c.x * directions.d1[i] - (directions.line() ? 0.0 : c.y * directions.d2[i]);
    residual += e * e;
  }
  c.residual = std::sqrt(residual);
  return c;
}

ProjectedPath project_path(const Directions& directions, const std::vector<Params>& path) {
  ProjectedPath r;
  if (path.empty()) return r;
  const std::size_t dim = path.front().size();
  Params mean(dim, 0.0);
  for (const Params& p : path)
    for (std::size_t k = 0; k < dim; ++k) mean[k] += p[k] / static_cast<double>(path.size());
  double total = 0.0;
  for (const Params& p : path) {
    const PlaneCoordinates c = project(directions, p);
    r.x.push_back(c.x);
    r.y.push_back(c.y);
    r.residual.push_back(c.residual);
    const Params v = difference(p, mean);
    total += dot(v, v);
  }
  // The projection of p - mean onto the span is (x - x̄) d1 + (y - ȳ) d2 (least squares is linear).
  double xm = 0.0, ym = 0.0;
  for (std::size_t i = 0; i < path.size(); ++i) {
    xm += r.x[i] / static_cast<double>(path.size());
    ym += r.y[i] / static_cast<double>(path.size());
  }
  double captured = 0.0;
  for (std::size_t i = 0; i < path.size(); ++i)
    for (std::size_t k = 0; k < dim; ++k) {
      const double e = (r.x[i] - xm) * directions.d1[k] + (directions.line() ? 0.0 : (r.y[i] - ym) * directions.d2[k]);
      captured += e * e;
    }
  r.captured_variance = total > 0.0 ? captured / total : 0.0;
  return r;
}

}  // namespace xorscape::slice
