// Basin maps (xorscape-slice --basins): solution classes invariant under the network's symmetry,
// every grid point's label against an independent plain gradient-descent run from the same start
// (small steps, not the tool's adaptive integrator), results independent of the thread count, and
// a stopped, saved and reloaded job ending bit for bit where an uninterrupted one ends.
#include <catch2/catch.hpp>

#include <filesystem>

#include "xorscape/core/parameters.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/landscape/basins.hpp"
#include "xorscape/stationary/stationary.hpp"
#include "test_support.hpp"

using namespace xorscape;
using slice::BasinJob;
using slice::BasinSpec;

namespace {

// Fig. 6(a)'s plane: solution 1 with b1_1 and b2_1 moved, a coarse grid, a short budget.
BasinSpec fig6a_spec(int resolution, double flow_time) {
  BasinSpec spec;
  spec.grid.loss = XorLoss(Architecture{}, dataset_by_name("xor"));
  const ParameterLayout& layout = spec.grid.loss.layout();
  spec.grid.directions = slice::pair_directions(published_solution(1).parameters, layout, layout.b1(0), layout.b2());
  spec.grid.x = slice::Axis{-20, 20, resolution};
  spec.grid.y = slice::Axis{-20, 20, resolution};
  spec.flow = slice::basin_flow_spec(flow_time, 400000, 0.005, 1e-6, 1e-6, 1e-9);
  spec.level_tolerance = 0.01;
  return spec;
}

void run_to_end(BasinJob& job) {
  const RunControl control;
  while (!job.finished()) job.advance(control);
}

struct GdEnd {
  bool converged = false;
  double time = 0.0;
  double loss = 0.0;
  Params end;
};

// Plain gradient descent theta <- theta - eta grad L, flow time t = eta * steps, until the loss is
// below the threshold or t reaches the budget.
GdEnd plain_gradient_descent(const XorLoss& loss, Params theta, double eta, double threshold, double budget) {
  Params g(theta.size());
  GdEnd end;
  const auto steps = static_cast<std::int64_t>(budget / eta);
  for (std::int64_t s = 0;; ++s) {
    end.loss = loss.value_and_gradient(theta, g);
    end.time = eta * static_cast<double>(s);
    if (end.loss < threshold) {
      end.converged = true;
      break;
    }
    if (s == steps) break;
    for (std::size_t k = 0; k < theta.size(); ++k) theta[k] -= eta * g[k];
  }
  end.end = theta;
  return end;
}

}  // namespace

TEST_CASE("basin solution classes are invariant under the hidden-unit symmetry", "[basins]") {
  for (const Activation hidden : {Activation::sigmoid, Activation::tanh}) {
    const XorLoss loss(Architecture{2, hidden, Activation::sigmoid}, dataset_by_name("xor"));
    const stationary::HiddenUnitSymmetry symmetry(2, loss.dimension(), stationary::is_odd(hidden));
    CHECK(symmetry.order() == (hidden == Activation::tanh ? 8 : 2));
    for (int k = 1; k <= 5; ++k) {
      const Params& p = published_solution(k).parameters;
      const std::uint64_t key = slice::solution_key(loss, p);
      for (int g = 0; g < symmetry.order(); ++g) CHECK(slice::solution_key(loss, symmetry.apply(g, p)) == key);
    }
  }
  // Solution 1 (sigmoid): each unit's thresholded function, spelled out in the description.
  const XorLoss loss(Architecture{}, dataset_by_name("xor"));
  const std::string text = slice::describe_solution(slice::solution_key(loss, published_solution(1).parameters), 2);
  CHECK(text.find("hidden units:") == 0);
  // A unit that is off on (0,0) only computes OR: pattern 0111 (bits (0,0), (0,1), (1,0), (1,1)).
  Params p(loss.dimension(), 0.0);
  const ParameterLayout& layout = loss.layout();
  p[layout.w1(0, 0)] = p[layout.w1(0, 1)] = 10, p[layout.b1(0)] = -5, p[layout.w2(0)] = 1;
  p[layout.w1(1, 0)] = p[layout.w1(1, 1)] = 10, p[layout.b1(1)] = -15, p[layout.w2(1)] = -1;
  CHECK(slice::describe_solution(slice::solution_key(loss, p), 2) ==
        "hidden units: 0111 OR (w2 > 0), 0001 AND (w2 <= 0)");
}

TEST_CASE("basin labels agree with independent gradient descent from the same starts", "[basins]") {
  const BasinSpec spec = fig6a_spec(5, 1.5e5);
  BasinJob job(spec);
  run_to_end(job);
  const slice::BasinMap map = slice::label_basins(spec, job.points());
  const std::vector<double> xs = spec.grid.x.values(), ys = spec.grid.y.values();
  int converged = 0, other = 0;
  for (std::size_t c = 0; c < job.points().size(); ++c) {
    const slice::BasinPoint& flow = job.points()[c];
    const slice::BasinLabel& label = map.table.at(static_cast<std::size_t>(map.label[c]));
    const Params start = slice::point_at(spec.grid.directions, xs[c % 5], ys[c / 5]);
    const GdEnd gd = plain_gradient_descent(spec.grid.loss, start, 0.25, 0.005, spec.flow.epochs);
    INFO("grid point " << c << " at (" << xs[c % 5] << ", " << ys[c / 5] << "): " << label.description
                       << "; gradient descent: loss " << gd.loss << " at t = " << gd.time);
    if (label.kind == slice::BasinKind::solution) {
      ++converged;
      REQUIRE(gd.converged);
      CHECK(slice::solution_key(spec.grid.loss, gd.end) == label.key);
      CHECK(gd.time == Approx(flow.arrival_time).epsilon(0.05));
    } else {
      ++other;
      CHECK_FALSE(gd.converged);
      CHECK(std::abs(gd.loss - flow.end_loss) < spec.level_tolerance);
      CHECK(flow.end_loss >= label.end_loss_min);
      CHECK(flow.end_loss <= label.end_loss_max);
    }
  }
  // The grid's center is solution 1 itself: converged at once, in solution 1's class.
  const slice::BasinLabel& center = map.table.at(static_cast<std::size_t>(map.label[12]));
  CHECK(job.points()[12].arrival_time == 0.0);
  CHECK(center.kind == slice::BasinKind::solution);
  CHECK(center.description.find("published solution 1") != std::string::npos);
  // The grid has both kinds of start (else the comparison would test one side only).
  CHECK(converged > 0);
  CHECK(other > 0);
}

TEST_CASE("basin maps do not depend on the thread count and resume bit for bit", "[basins]") {
  const BasinSpec spec = fig6a_spec(6, 5e4);
  BasinJob one(spec);
  {
    const testing::ThreadCount threads(1);
    run_to_end(one);
  }
  BasinJob two(spec);
  {
    const testing::ThreadCount threads(2);
    run_to_end(two);
  }
  // A job stopped after its first batch, saved, reloaded into a fresh job and continued.
  const std::filesystem::path folder = testing::fresh_folder("basins");
  {
    const testing::ThreadCount threads(2);
    BasinJob first(spec);
    RunControl stop_after_one;
    stop_after_one.set_progress_sink([&](double, double) { stop_after_one.request_stop(); });
    first.advance(stop_after_one);
    REQUIRE(first.fraction_done() > 0.0);
    REQUIRE_FALSE(first.finished());
    h5::OutputFile file(folder / "state.h5", true);
    first.save(file.root());
    file.commit();
  }
  BasinJob resumed(spec);
  {
    const h5::InputFile file(folder / "state.h5");
    resumed.load(file.root());
  }
  CHECK(resumed.fraction_done() > 0.0);
  run_to_end(resumed);
  std::filesystem::remove_all(folder);
  for (const BasinJob* other : {&two, &resumed}) {
    REQUIRE(other->points().size() == one.points().size());
    for (std::size_t c = 0; c < one.points().size(); ++c) {
      const slice::BasinPoint &a = one.points()[c], &b = other->points()[c];
      CHECK(a.outcome == b.outcome);
      CHECK(a.end_loss == b.end_loss);
      CHECK(a.arrival_time == b.arrival_time);
      CHECK(a.evaluations == b.evaluations);
      CHECK(a.end == b.end);
    }
    CHECK(slice::label_basins(spec, other->points()).label == slice::label_basins(spec, one.points()).label);
  }
}
