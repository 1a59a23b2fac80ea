#include "xorscape/cli/slice_directions.hpp"

#include <omp.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "xorscape/cli/runner.hpp"
#include "xorscape/core/stopwatch.hpp"
#include "xorscape/landscape/trajectory_file.hpp"
#include "xorscape/landscape/xdmf.hpp"

namespace xorscape::cli {

void add_direction_options(Tool& tool) {
  tool.options().add_options()
      ("directions", po::value<std::string>(),
       "slice along any directions: pair (--pair as unit vectors) | random (filter-normalised Gaussian, Li et al.) "
       "| points (--points: 3 = plane, 2 = line) | pca (--path) | file (--direction-file)")
      ("points", po::value<std::string>(), "--directions points: P1;P2[;P3], each any parameter point (1..5, FILE.h5:SELECTOR, ...)")
      ("line", po::bool_switch(), "--directions random: a 1-D cut along one random direction")
      ("path", po::value<std::string>(),
       "a full-space trajectory FILE.h5[:trajectory=K]: the directions of --directions pca, else projected onto the slice")
      ("direction-file", po::value<std::string>(), "--directions file: an HDF5 file with d1 [and d2] (length D) at its root, "
       "under /plane or under /line (an earlier slice)")
      ("curvature", po::bool_switch(), "with --directions: also the exact Hessian's extreme eigenvalues, index and the gradient norm")
      ("xdmf", po::bool_switch(), "also write OUTPUT.xdmf next to OUTPUT.h5 (ParaView, VisIt: every plane and its grids)");
}

std::string read_xdmf_option(const Tool& tool, bool line) {
  if (!tool.get<bool>("xdmf")) return "";
  if (line) throw UsageError("--xdmf", "a 1-D cut has no plane to describe in XDMF");
  const std::string path = slice::xdmf_path_for(tool.output());
  if (std::filesystem::exists(path) && !tool.force()) throw UsageError("--xdmf", "'" + path + "' exists; use --force to overwrite it");
  return path;
}

namespace {

// Options of the axis-plane slice that a direction slice does not take, and the reverse.
void refuse_mixed(const Tool& tool, bool directions) {
  if (directions) {
    for (const char* option : {"pairs", "batch", "scans", "bins", "histogram-max", "plateau-tolerance", "simd"})
      if (tool.given(option)) throw UsageError(std::string("--") + option, "not with --directions (axis planes only)");
    return;
  }
  for (const char* option : {"points", "path", "direction-file"})
    if (tool.has(option)) throw UsageError(std::string("--") + option, "only with --directions");
  for (const char* option : {"line", "curvature"})
    if (tool.get<bool>(option)) throw UsageError(std::string("--") + option, "only with --directions");
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::vector<Params> read_path_option(const Tool& tool, std::string& source) {
  const std::string text = tool.get<std::string>("path");
  const std::size_t h5 = text.find(".h5");
  const std::size_t colon = h5 == std::string::npos ? text.find(':') : text.find(':', h5);
  const std::string file = text.substr(0, colon);
  try {
    if (!h5::is_hdf5_file(file)) throw std::invalid_argument("'" + file + "' is not an HDF5 file");
    const h5::InputFile input(file);
    std::string group;
    std::vector<Params> path =
        trajectory::read_path(input.root(), io::parse_selector(colon == std::string::npos ? "" : text.substr(colon + 1)), group);
    source = file + ":" + group;
    return path;
  } catch (const std::exception& e) {
    throw UsageError("--path", e.what());
  }
}

// d1 [, d2] of another file: at its root, under /plane or under /line.
slice::Directions read_direction_file(const Tool& tool, const Params& center) {
  const std::string file = tool.get<std::string>("direction-file");
  slice::Directions d;
  try {
    if (!h5::is_hdf5_file(file)) throw std::invalid_argument("'" + file + "' is not an HDF5 file");
    const h5::InputFile input(file);
    const h5::Group& root = input.root();
    std::string prefix;
    for (const char* candidate : {"", "plane/", "line/"})
      if (prefix.empty() && root.is_dataset(std::string(candidate) + "d1")) prefix = std::string(candidate) + "-";
    if (prefix.empty()) throw std::invalid_argument("no dataset d1 at the root, under /plane or under /line");
    prefix.pop_back();
    d.d1 = root.read_doubles(prefix + "d1");
    if (root.is_dataset(prefix + "d2")) d.d2 = root.read_doubles(prefix + "d2");
  } catch (const std::exception& e) {
    throw UsageError("--direction-file", e.what());
  }
  for (const Params* v : {&d.d1, &d.d2})
    if (!v->empty() && v->size() != center.size())
      throw UsageError("--direction-file", "a direction has " + std::to_string(v->size()) + " values, the network " +
                                               std::to_string(center.size()));
  d.method = "file";
  d.description = "d1" + std::string(d.d2.empty() ? "" : " and d2") + " read from " + file;
  d.center = center;
  d.points.push_back({"center", center});
  return d;
}

slice::Directions build_directions(const Tool& tool, const NetworkOptions& network, const std::string& method,
                                   const ParameterPoint& center) {
  const XorLoss loss = network.loss();
  const ParameterLayout& layout = loss.layout();
  if (method == "pair") {
    const auto [a, b] = parse_pair("--pair", tool.has("pair") ? tool.get<std::string>("pair") : "b1_1,b2_1", layout);
    return slice::pair_directions(center.values, layout, a, b);
  }
  if (method == "random") return slice::random_directions(center.values, layout, tool.seed(), tool.get<bool>("line"));
  if (method == "file") {
    if (!tool.has("direction-file")) throw UsageError("--direction-file", "--directions file needs it");
    return read_direction_file(tool, center.values);
  }
  if (method == "points") {
    if (!tool.has("points")) throw UsageError("--points", "--directions points needs two or three points");
    std::vector<slice::NamedPoint> points;
    for (const std::string& text : split(tool.get<std::string>("points"), ';')) {
      const ParameterPoint p = parse_point("--points", text, network.description());
      points.push_back({p.source, p.values});
    }
    try {
      return slice::point_directions(points);
    } catch (const std::invalid_argument& e) {
      throw UsageError("--points", e.what());
    }
  }
  throw UsageError("--directions", "'" + method + "' is not pair, random, points, pca or file");
}

// The options that belong to other methods, refused before any work.
void refuse_for_method(const Tool& tool, const std::string& method) {
  if (method != "pair" && method != "random" && method != "points" && method != "pca" && method != "file")
    throw UsageError("--directions", "'" + method + "' is not pair, random, points, pca or file");
  if (method != "random" && tool.get<bool>("line")) throw UsageError("--line", "only with --directions random (points: give two)");
  if (method != "points" && tool.has("points")) throw UsageError("--points", "only with --directions points");
  if (method != "file" && tool.has("direction-file")) throw UsageError("--direction-file", "only with --directions file");
  if (method != "pair" && tool.has("pair")) throw UsageError("--pair", "only with --directions pair (or without --directions)");
  if ((method == "points" || method == "pca") && tool.given("center"))
    throw UsageError("--center", "not with --directions " + method + " (the center is " +
                                     (method == "points" ? "the first point)" : "the path's end)"));
}

// The default range: the defining points and the path with a quarter of their extent to spare
// (points, pca), [-1, 1] (random, file: Li et al.'s), or --range's default (pair).
std::pair<Range, Range> default_ranges(const slice::DirectionSliceSpec& spec) {
  const slice::Directions& d = spec.directions;
  if (d.method == "pair") return {Range{-15, 15}, Range{-15, 15}};
  if (d.method == "points" && d.line()) return {Range{-0.5, 1.5}, Range{-1, 1}};
  if (d.method != "points" && d.method != "pca") return {Range{-1, 1}, Range{-1, 1}};
  double lo[2] = {0, 0}, hi[2] = {0, 0};
  auto include = [&](const Params& p) {
    const slice::PlaneCoordinates c = slice::project(d, p);
    lo[0] = std::min(lo[0], c.x), hi[0] = std::max(hi[0], c.x);
    lo[1] = std::min(lo[1], c.y), hi[1] = std::max(hi[1], c.y);
  };
  for (const slice::NamedPoint& p : d.points) include(p.values);
  for (const Params& p : spec.path) include(p);
  Range r[2];
  for (int k = 0; k < 2; ++k) {
    const double spare = std::max(0.25 * (hi[k] - lo[k]), 1.0);
    r[k] = Range{lo[k] - spare, hi[k] + spare};
  }
  return {r[0], r[1]};
}

void read_grid(const Tool& tool, slice::DirectionSliceSpec& spec) {
  auto [x, y] = default_ranges(spec);
  if (tool.given("range")) {
    const std::string text = tool.get<std::string>("range");
    const size_t comma = text.find(',');
    x = parse_range("--range", text.substr(0, comma));
    y = comma == std::string::npos ? x : parse_range("--range", text.substr(comma + 1));
  }
  if (tool.has("range-x")) x = parse_range("--range-x", tool.get<std::string>("range-x"));
  if (tool.has("range-y")) {
    if (spec.directions.line()) throw UsageError("--range-y", "a 1-D cut has no y");
    y = parse_range("--range-y", tool.get<std::string>("range-y"));
  }
  auto [nx, ny] = parse_resolution("--resolution", tool.get<std::string>("resolution"), 2);
  if (spec.directions.line()) ny = 1;
  const double cells = static_cast<double>(nx) * ny;
  if (cells > 1e8) throw UsageError("--resolution", "at most 1e8 grid points along general directions");
  require_memory("--resolution", cells * (spec.curvature ? 36.0 : 8.0) * 2.0, "a slice of this resolution");
  spec.x = slice::Axis{x.lo, x.hi, nx};
  spec.y = slice::Axis{y.lo, y.hi, std::max(ny, 2)};
  for (const double cx : {x.lo, x.hi})
    for (const double cy : {y.lo, y.hi})
      for (double v : slice::point_at(spec.directions, cx, spec.directions.line() ? 0.0 : cy))
        if (!std::isfinite(v)) throw UsageError("--range", "a corner of the grid is not a finite parameter vector");
}

}  // namespace

std::optional<DirectionRequest> read_direction_request(const Tool& tool, const NetworkOptions& network, bool basins) {
  refuse_mixed(tool, tool.has("directions") || basins);
  if (!tool.has("directions") && !basins) return std::nullopt;
  const std::string method = tool.has("directions") ? tool.get<std::string>("directions") : "pair";
  refuse_for_method(tool, method);
  DirectionRequest request;
  slice::DirectionSliceSpec& spec = request.spec;
  spec.loss = network.loss();
  spec.curvature = tool.get<bool>("curvature");
  if (method == "pca") {
    if (!tool.has("path")) throw UsageError("--path", "--directions pca needs a trajectory");
    spec.path = read_path_option(tool, spec.path_source);
    try {
      spec.directions = slice::pca_directions(spec.path, spec.path_source);
    } catch (const std::invalid_argument& e) {
      throw UsageError("--path", e.what());
    }
    request.center = {"end of the path " + spec.path_source, ""};
  } else {
    const ParameterPoint center = parse_point("--center", tool.get<std::string>("center"), network.description());
    spec.directions = build_directions(tool, network, method, center);
    request.center = {center.source, center.note};
    if (method == "points") request.center = {"first point: " + spec.directions.points[0].label, ""};
    if (tool.has("path")) spec.path = read_path_option(tool, spec.path_source);
  }
  for (const Params& p : spec.path)
    if (p.size() != spec.directions.center.size()) throw UsageError("--path", "the path's network is not this one");
  read_grid(tool, spec);
  const int deflate = tool.get<int>("deflate");
  if (deflate < 0 || deflate > 9) throw UsageError("--deflate", "must be 0 (none) to 9");
  request.deflate_level = deflate;
  request.bench = tool.get<bool>("bench");
  request.xdmf = read_xdmf_option(tool, spec.directions.line());
  return request;
}

namespace {

// Grid points per second of the whole grid computation on `threads` threads (nothing stored):
// per second of wall-clock time and per second of processor time (all threads).
struct Rate {
  double wall;
  double cpu;
};
Rate grid_rate(slice::DirectionSliceSpec spec, bool curvature, int threads, const RunControl& control) {
  spec.curvature = curvature;
  slice::DirectionGrid grid;
  const int previous = omp_get_max_threads();
  omp_set_num_threads(threads);
  const double cpu_start = process_cpu_seconds();
  const SteadyClock::time_point start = SteadyClock::now();
  slice::compute_direction_grid(spec, grid, control);
  const double seconds = seconds_since(start), cpu = process_cpu_seconds() - cpu_start;
  omp_set_num_threads(previous);
  const double points = static_cast<double>(grid.points());
  return {points / seconds, points / cpu};
}

void print_bench(const DirectionRequest& request, int threads, const RunControl& control) {
  const slice::DirectionSliceSpec& spec = request.spec;
  const std::size_t points = static_cast<std::size_t>(spec.x.count) * (spec.directions.line() ? 1 : spec.y.count);
  std::printf("xorscape-slice --bench --directions %s: %zu grid points, n_h = %d, double precision, compute only;\n"
              "per second of wall-clock time and per second of processor time (all threads; equal per-CPU-second\n"
              "rates mean perfect scaling when cores are free):\n",
              spec.directions.method.c_str(), points, spec.loss.architecture().n_hidden);
  const std::string n = std::to_string(threads);
  std::printf("  %-48s %12s %12s %14s %14s\n", "", "1 thread", (n + " threads").c_str(), "per CPU-s, 1",
              ("per CPU-s, " + n).c_str());
  for (const bool curvature : {false, true}) {
    if (control.stop_requested()) return;
    const Rate one = grid_rate(spec, curvature, 1, control);
    const Rate all = threads > 1 ? grid_rate(spec, curvature, threads, control) : one;
    std::printf("  %-48s %12.3e %12.3e %14.3e %14.3e\n",
                curvature ? "Hessians (+ gradient, loss, all D eigenvalues)" : "loss evaluations (XorLoss::value)",
                one.wall, all.wall, one.cpu, all.cpu);
  }
  std::fflush(stdout);
}

}  // namespace

int run_direction_slice(const Tool& tool, const DirectionRequest& request) {
  tool.control().set_progress_sink(tool.progress().sink());
  if (request.bench) print_bench(request, tool.threads(), tool.control());
  if (tool.control().stop_requested()) return stopped(tool);
  const SteadyClock::time_point start = SteadyClock::now();
  slice::DirectionGrid grid;
  if (!slice::compute_direction_grid(request.spec, grid, tool.control())) return stopped(tool);
  const double computing = seconds_since(start);
  slice::write_direction_slice(request.spec, grid,
                               {tool.output(), tool.force(), request.center, request.deflate_level, tool.provenance()});
  if (!request.xdmf.empty()) slice::write_xdmf(tool.output(), request.xdmf);
  tool.progress().finish();
  std::printf("xorscape-slice: %s %s of %zu points%s, %d thread(s): computed in %.3f s (%.3g points/s) -> %s\n",
              request.spec.directions.method.c_str(), request.spec.directions.line() ? "line" : "plane", grid.points(),
              request.spec.curvature ? " with curvature" : "", tool.threads(), computing, grid.points() / computing,
              tool.output().c_str());
  return 0;
}

}  // namespace xorscape::cli
