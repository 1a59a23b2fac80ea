#include "xorscape/landscape/basins.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

#include "xorscape/core/parameters.hpp"
#include "xorscape/stationary/stationary.hpp"

namespace xorscape::slice {

using trajectory::Outcome;

trajectory::TrajectorySpec basin_flow_spec(double flow_time, std::int64_t max_evaluations, double threshold,
                                           double gradient_tolerance, double relative_tolerance,
                                           double absolute_tolerance) {
  trajectory::TrajectorySpec flow;
  flow.integrator = trajectory::Integrator::gradient_flow;
  flow.eta = 1.0;  // epoch = flow time
  flow.epochs = flow_time;
  flow.max_evaluations = max_evaluations;
  flow.loss_threshold = threshold;
  flow.gradient_tolerance = gradient_tolerance;
  flow.relative_tolerance = relative_tolerance;
  flow.absolute_tolerance = absolute_tolerance;
  // No path is kept: only the start and the end (no marks, no arc or loss steps).
  flow.thinning = trajectory::Thinning{0.0, std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
  return flow;
}

BasinPoint flow_to_end(const XorLoss& loss, const Params& start, const trajectory::TrajectorySpec& flow,
                       const RunControl& control) {
  const trajectory::TrajectoryResult result = trajectory::run(loss, start, flow, control);
  BasinPoint point;
  point.outcome = result.outcome;
  point.end_loss = result.final_loss;
  point.arrival_time = result.final_epoch * flow.eta;
  point.end_gradient_norm = result.final_gradient_norm;
  point.evaluations = result.evaluations;
  point.end = result.end;
  return point;
}

// ---- solution classes

namespace {

std::uint64_t unit_descriptor(const XorLoss& loss, const Params& p, int unit) {
  const ParameterLayout& layout = loss.layout();
  std::uint64_t bits = 0;
  for (int m = 0; m < 4; ++m) {
    const Example& e = loss.dataset().examples[m];
    const double z = p[layout.w1(unit, 0)] * e.x1 + p[layout.w1(unit, 1)] * e.x2 + p[layout.b1(unit)];
    if (z > 0.0) bits |= 1u << m;
  }
  if (p[layout.w2(unit)] > 0.0) bits |= 1u << 4;
  return bits;
}

std::uint64_t raw_key(const XorLoss& loss, const Params& p) {
  std::uint64_t key = 0;
  for (int i = 0; i < loss.architecture().n_hidden; ++i) key |= unit_descriptor(loss, p, i) << (5 * i);
  return key;
}

// The Boolean function of a 4-bit pattern, bit m = the value on example m of the table order
// (0,0), (0,1), (1,0), (1,1) (or their +-1 images).
const char* function_name(unsigned pattern) {
  static const char* names[16] = {"FALSE", "NOR", "x2 AND NOT x1", "NOT x1", "x1 AND NOT x2", "NOT x2",
                                  "XOR", "NAND", "AND", "XNOR", "x2", "x2 OR NOT x1",
                                  "x1", "x1 OR NOT x2", "OR", "TRUE"};
  return names[pattern & 15u];
}

}  // namespace

std::uint64_t solution_key(const XorLoss& loss, const Params& parameters) {
  const int n = loss.architecture().n_hidden;
  const stationary::HiddenUnitSymmetry symmetry(n, loss.dimension(), stationary::is_odd(loss.architecture().hidden));
  std::uint64_t best = std::numeric_limits<std::uint64_t>::max();
  for (int g = 0; g < symmetry.order(); ++g) best = std::min(best, raw_key(loss, symmetry.apply(g, parameters)));
  return best;
}

std::string describe_solution(std::uint64_t key, int n_hidden) {
  std::string text = "hidden units:";
  for (int i = 0; i < n_hidden; ++i) {
    const unsigned d = static_cast<unsigned>((key >> (5 * i)) & 31u);
    char unit[96];
    std::snprintf(unit, sizeof unit, "%s %c%c%c%c %s (w2 %s 0)", i ? "," : "", (d & 1) ? '1' : '0', (d & 2) ? '1' : '0',
                  (d & 4) ? '1' : '0', (d & 8) ? '1' : '0', function_name(d & 15u), (d & 16) ? ">" : "<=");
    text += unit;
  }
  return text;
}

std::string to_string(BasinKind kind) {
  switch (kind) {
    case BasinKind::solution: return "solution";
    case BasinKind::level: return "level";
    case BasinKind::budget: return "budget";
    case BasinKind::diverged: return "diverged";
  }
  return "?";
}

// ---- labels

namespace {

void add_to(BasinLabel& label, std::size_t cell, double loss) {
  if (label.count == 0) {
    label.representative = cell;
    label.end_loss_min = label.end_loss_max = loss;
  }
  label.end_loss_min = std::min(label.end_loss_min, loss);
  label.end_loss_max = std::max(label.end_loss_max, loss);
  label.end_loss_mean += loss;  // a sum until finish_labels
  ++label.count;
}

// Ends of one outcome (trapped, or still moving at the budget) grouped into levels: sorted by end
// loss (ties by cell), a new level wherever the gap to the previous end loss exceeds the
// tolerance. Sets the level of every such cell.
std::vector<BasinLabel> group_levels(const std::vector<BasinPoint>& points, Outcome outcome, BasinKind kind,
                                     double tolerance, std::vector<std::int32_t>& level_of) {
  std::vector<std::pair<double, std::size_t>> ends;
  for (std::size_t c = 0; c < points.size(); ++c)
    if (points[c].outcome == outcome) ends.emplace_back(points[c].end_loss, c);
  std::sort(ends.begin(), ends.end());
  std::vector<BasinLabel> levels;
  for (std::size_t k = 0; k < ends.size(); ++k) {
    if (k == 0 || ends[k].first - ends[k - 1].first > tolerance) {
      BasinLabel level;
      level.kind = kind;
      levels.push_back(level);
    }
    level_of[ends[k].second] = static_cast<std::int32_t>(levels.size() - 1);
  }
  // Representatives and sums in row-major order (the first cell of each level).
  for (std::size_t c = 0; c < points.size(); ++c)
    if (points[c].outcome == outcome) add_to(levels[level_of[c]], c, points[c].end_loss);
  return levels;
}

// ", class of published solution(s) 1, 2" when the network is the papers' 2-2-1 one (n_h = 2,
// sigmoid units, {0,1} xor) and published solutions of Table 2 fall in the class; else empty.
std::string published_in_class(const XorLoss& loss, std::uint64_t key) {
  const Architecture& a = loss.architecture();
  if (a.n_hidden != 2 || a.hidden != Activation::sigmoid || a.output != Activation::sigmoid ||
      loss.dataset().name != "xor")
    return "";
  std::string numbers;
  for (int k = 1; k <= 5; ++k)
    if (solution_key(loss, published_solution(k).parameters) == key) numbers += (numbers.empty() ? "" : ", ") + std::to_string(k);
  return numbers.empty() ? "" : "; the class of published solution " + numbers;
}

void finish_labels(std::vector<BasinLabel>& table, const XorLoss& loss) {
  const int n_hidden = loss.architecture().n_hidden;
  for (BasinLabel& label : table) {
    label.end_loss_mean /= static_cast<double>(label.count);
    char text[160];
    switch (label.kind) {
      case BasinKind::solution:
        label.description = "converged: " + describe_solution(label.key, n_hidden) + published_in_class(loss, label.key);
        break;
      case BasinKind::level:
        std::snprintf(text, sizeof text, "trapped (gradient below the tolerance) at L = %.4g (%.4g to %.4g)",
                      label.end_loss_mean, label.end_loss_min, label.end_loss_max);
        label.description = text;
        break;
      case BasinKind::budget:
        std::snprintf(text, sizeof text, "still moving when the budget was spent, at L = %.4g (%.4g to %.4g)",
                      label.end_loss_mean, label.end_loss_min, label.end_loss_max);
        label.description = text;
        break;
      case BasinKind::diverged: label.description = "diverged (non-finite values or an unintegrable flow)"; break;
    }
  }
}

}  // namespace

BasinMap label_basins(const BasinSpec& spec, const std::vector<BasinPoint>& points) {
  BasinMap map;
  map.label.assign(points.size(), -1);
  std::map<std::uint64_t, BasinLabel> solutions;
  std::vector<std::uint64_t> key_of(points.size(), 0);
  BasinLabel diverged;
  diverged.kind = BasinKind::diverged;
  for (std::size_t c = 0; c < points.size(); ++c) {
    const BasinPoint& p = points[c];
    if (p.outcome == Outcome::converged) {
      key_of[c] = solution_key(spec.grid.loss, p.end);
      BasinLabel& label = solutions[key_of[c]];
      label.kind = BasinKind::solution;
      label.key = key_of[c];
      add_to(label, c, p.end_loss);
    } else if (p.outcome == Outcome::diverged) {
      add_to(diverged, c, p.end_loss);
    } else if (p.outcome != Outcome::trapped && p.outcome != Outcome::budget) {
      throw std::logic_error("label_basins: a grid point was not finished");
    }
  }
  std::vector<std::int32_t> level_of(points.size(), -1);
  const std::vector<BasinLabel> trapped =
      group_levels(points, Outcome::trapped, BasinKind::level, spec.level_tolerance, level_of);
  const std::vector<BasinLabel> moving =
      group_levels(points, Outcome::budget, BasinKind::budget, spec.level_tolerance, level_of);
  std::map<std::uint64_t, std::int32_t> solution_label;
  for (auto& [key, label] : solutions) {
    solution_label[key] = static_cast<std::int32_t>(map.table.size());
    map.table.push_back(label);
  }
  const auto first_trapped = static_cast<std::int32_t>(map.table.size());
  map.table.insert(map.table.end(), trapped.begin(), trapped.end());
  const auto first_moving = static_cast<std::int32_t>(map.table.size());
  map.table.insert(map.table.end(), moving.begin(), moving.end());
  const std::int32_t diverged_label = diverged.count ? static_cast<std::int32_t>(map.table.size()) : -1;
  if (diverged.count) map.table.push_back(diverged);
  for (std::size_t c = 0; c < points.size(); ++c) {
    switch (points[c].outcome) {
      case Outcome::converged: map.label[c] = solution_label[key_of[c]]; break;
      case Outcome::trapped: map.label[c] = first_trapped + level_of[c]; break;
      case Outcome::budget: map.label[c] = first_moving + level_of[c]; break;
      default: map.label[c] = diverged_label; break;
    }
  }
  finish_labels(map.table, spec.grid.loss);
  return map;
}

}  // namespace xorscape::slice

// ---- the job

namespace xorscape::slice {

namespace {

// FNV-1a over the grid's frame (center, d1, d2): the identity stays one line for any n_h.
std::uint64_t frame_fingerprint(const Directions& d) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const Params* v : {&d.center, &d.d1, &d.d2}) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(v->data());
    for (std::size_t i = 0; i < v->size() * sizeof(double); ++i) hash = (hash ^ bytes[i]) * 1099511628211ULL;
  }
  return hash;
}

std::size_t grid_rows(const BasinSpec& spec) {
  return spec.grid.directions.line() ? 1 : static_cast<std::size_t>(spec.grid.y.count);
}

// Rows per parallel batch: enough grid points to keep every thread busy, few enough that a
// checkpoint deadline is honoured within a batch.
std::size_t batch_rows(std::size_t columns) {
  const std::size_t threads = static_cast<std::size_t>(omp_get_max_threads());
  return std::max<std::size_t>(1, (4 * threads + columns - 1) / columns);
}

}  // namespace

BasinJob::BasinJob(BasinSpec spec)
    : spec_(std::move(spec)), points_(grid_rows(spec_) * static_cast<std::size_t>(spec_.grid.x.count)),
      done_(grid_rows(spec_), 0) {}

std::string BasinJob::identity() const {
  const XorLoss& loss = spec_.grid.loss;
  const trajectory::TrajectorySpec& f = spec_.flow;
  const DirectionSliceSpec& g = spec_.grid;
  std::ostringstream id;
  id.precision(17);
  id << "xorscape-slice --basins n_h=" << loss.architecture().n_hidden << " hidden=" << to_string(loss.architecture().hidden)
     << " output=" << to_string(loss.architecture().output) << " data=" << loss.dataset().name
     << " reduction=" << (loss.reduction() == Reduction::mean ? "mean" : "sum") << " l2=" << loss.l2()
     << " flow_time=" << f.epochs << " max_evaluations=" << f.max_evaluations << " threshold=" << f.loss_threshold
     << " gradient_tolerance=" << f.gradient_tolerance << " rtol=" << f.relative_tolerance
     << " atol=" << f.absolute_tolerance << " x=" << g.x.lo << ':' << g.x.hi << ':' << g.x.count;
  if (!g.directions.line()) id << " y=" << g.y.lo << ':' << g.y.hi << ':' << g.y.count;
  char hash[24];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(frame_fingerprint(g.directions)));
  id << " frame=" << hash;
  return id.str();
}

bool BasinJob::finished() const { return std::find(done_.begin(), done_.end(), 0) == done_.end(); }

double BasinJob::fraction_done() const {
  return done_.empty() ? 1.0 : static_cast<double>(std::count(done_.begin(), done_.end(), 1)) / done_.size();
}

void BasinJob::advance(const RunControl& control) {
  const std::size_t nx = columns();
  const std::vector<double> xs = spec_.grid.x.values();
  const std::vector<double> ys = spec_.grid.directions.line() ? std::vector<double>{0.0} : spec_.grid.y.values();
  const std::size_t batch = batch_rows(nx);
  std::size_t row = 0;
  while (row < done_.size() && !control.stop_requested()) {
    std::vector<std::size_t> rows;
    for (; row < done_.size() && rows.size() < batch; ++row)
      if (!done_[row]) rows.push_back(row);
    if (rows.empty()) break;
    const auto cells = static_cast<std::int64_t>(rows.size() * nx);
    std::atomic<bool> stopped{false}, failed{false};
    std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1)
    for (std::int64_t k = 0; k < cells; ++k) {
      if (stopped.load(std::memory_order_relaxed) || failed.load(std::memory_order_relaxed)) continue;
      try {
        // Each flow stops on a signal only (a deadline lets the batch finish: rows are the units).
        RunControl own;
        own.set_progress_sink([&](double, double) {
          if (control.interrupted()) own.request_stop();
        });
        const std::size_t r = rows[static_cast<std::size_t>(k) / nx], i = static_cast<std::size_t>(k) % nx;
        BasinPoint point = flow_to_end(spec_.grid.loss, point_at(spec_.grid.directions, xs[i], ys[r]), spec_.flow, own);
        if (point.outcome == Outcome::stopped || control.interrupted()) {
          stopped = true;
          continue;
        }
        points_[r * nx + i] = std::move(point);
      } catch (...) {
#pragma omp critical(basin_failure)
        if (!failure) failure = std::current_exception();
        failed = true;
      }
    }
    if (failure) std::rethrow_exception(failure);
    if (stopped) return;  // the batch's rows are redone after a resume
    for (std::size_t r : rows) done_[r] = 1;
    control.progress(fraction_done() * static_cast<double>(points_.size()), static_cast<double>(points_.size()));
  }
}

void BasinJob::save(const h5::Group& group) const {
  const std::size_t n = points_.size(), d = static_cast<std::size_t>(spec_.grid.loss.dimension());
  std::vector<std::int64_t> done(done_.begin(), done_.end()), outcome(n), evaluations(n);
  std::vector<double> end_loss(n), time(n), gradient(n), end(n * d, 0.0);
  for (std::size_t c = 0; c < n; ++c) {
    const BasinPoint& p = points_[c];
    outcome[c] = static_cast<std::int64_t>(p.outcome);
    evaluations[c] = p.evaluations;
    end_loss[c] = p.end_loss;
    time[c] = p.arrival_time;
    gradient[c] = p.end_gradient_norm;
    if (p.end.size() == d) std::copy(p.end.begin(), p.end.end(), end.begin() + static_cast<std::ptrdiff_t>(c * d));
  }
  group.write_index_scale("row", done.size(), {"grid row (y index)"});
  group.write_index_scale("cell", n, {"grid point, row-major"});
  group.write_index_scale("parameter", d, {"parameter index"});
  group.write("done", std::span<const std::int64_t>(done), {{"row"}, "1: the row is finished"});
  group.write("outcome", std::span<const std::int64_t>(outcome), {{"cell"}, "trajectory::Outcome"});
  group.write("evaluations", std::span<const std::int64_t>(evaluations), {{"cell"}, "gradient evaluations"});
  group.write("end_loss", end_loss, {{"cell"}, "end loss"});
  group.write("arrival_time", time, {{"cell"}, "flow time at the end"});
  group.write("end_gradient_norm", gradient, {{"cell"}, "gradient norm at the end"});
  group.write("end", end, {{"cell", "parameter"}, "end point"});
}

void BasinJob::load(const h5::Group& group) {
  const std::vector<std::int64_t> done = group.read_ints("done");
  const std::size_t n = points_.size(), d = static_cast<std::size_t>(spec_.grid.loss.dimension());
  if (done.size() != done_.size()) throw std::runtime_error("the checkpoint holds another number of rows");
  const std::vector<std::int64_t> outcome = group.read_ints("outcome"), evaluations = group.read_ints("evaluations");
  const std::vector<double> end_loss = group.read_doubles("end_loss"), time = group.read_doubles("arrival_time"),
                            gradient = group.read_doubles("end_gradient_norm"), end = group.read_doubles("end");
  if (outcome.size() != n || end.size() != n * d) throw std::runtime_error("the checkpoint holds another grid");
  const std::size_t nx = columns();
  for (std::size_t r = 0; r < done.size(); ++r) {
    done_[r] = done[r] != 0;
    if (!done_[r]) continue;
    for (std::size_t c = r * nx; c < (r + 1) * nx; ++c) {
      BasinPoint& p = points_[c];
      p.outcome = static_cast<Outcome>(outcome[c]);
      p.evaluations = evaluations[c];
      p.end_loss = end_loss[c];
      p.arrival_time = time[c];
      p.end_gradient_norm = gradient[c];
      p.end.assign(end.begin() + static_cast<std::ptrdiff_t>(c * d), end.begin() + static_cast<std::ptrdiff_t>((c + 1) * d));
    }
  }
}

}  // namespace xorscape::slice
