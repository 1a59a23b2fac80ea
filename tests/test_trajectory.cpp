// Steepest-descent trajectories: the restricted loss, both integrators, outcomes, thinning,
// and trajectories written into a slice file.
#include <catch2/catch.hpp>

#include <omp.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "xorscape/core/parameters.hpp"
#include "xorscape/core/run_control.hpp"
#include "xorscape/landscape/slice_file.hpp"
#include "xorscape/landscape/trajectory.hpp"
#include "xorscape/landscape/trajectory_file.hpp"
#include "xorscape/landscape/trajectory_jobs.hpp"

using namespace xorscape;
namespace tr = xorscape::trajectory;
namespace fs = std::filesystem;

namespace {

const XorLoss& xor_loss() {
  static const XorLoss loss({2}, dataset_by_name("xor"));
  return loss;
}

// The plane (A, B) through solution #1 and the start center + (x, y).
struct PlaneCase {
  tr::RestrictedLoss restricted;
  std::vector<double> start;
};
PlaneCase plane_case(const std::string& a, const std::string& b, double x, double y) {
  const auto& layout = xor_loss().layout();
  const Params center = published_solution(1).parameters;
  const int ia = layout.index(a), ib = layout.index(b);
  return {tr::RestrictedLoss(xor_loss(), center, {ia, ib}), {center[ia] + x, center[ib] + y}};
}

tr::TrajectorySpec spec_for(tr::Integrator integrator, double epochs) {
  tr::TrajectorySpec spec;
  spec.integrator = integrator;
  spec.eta = 0.1;
  spec.epochs = epochs;
  return spec;
}

fs::path fresh_folder(const std::string& name) {
  const fs::path folder = fs::temp_directory_path() / ("xorscape-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A minimal slice file of the SLICEFILE.md layout with one plane (b1_1, b2_1) on a 5 x 4 grid.
void write_small_slice(const fs::path& path) {
  const auto& layout = xor_loss().layout();
  const Params center = published_solution(1).parameters;
  h5::OutputFile file(path, true);
  slice::write_landscape_header(file.root(), xor_loss(), center, {"published solution 1", ""});
  const int a = layout.index("b1_1"), b = layout.index("b2_1");
  const h5::Group plane = slice::plane_group(file.root(), layout, center, {a, b});
  const std::vector<double> x{-2, -1, 0, 1, 2}, y{-1.5, -0.5, 0.5, 1.5};
  std::vector<double> loss;
  for (double dy : y)
    for (double dx : x) {
      Params p = center;
      p[a] += dx;
      p[b] += dy;
      loss.push_back(xor_loss().value(p));
    }
  plane.write("x", x);
  plane.write("y", y);
  plane.write("loss", loss, {y.size(), x.size()});
  plane.attach_scale("loss", "y", 0, "delta b2_1");
  plane.attach_scale("loss", "x", 1, "delta b1_1");
  file.commit();
}

}  // namespace

TEST_CASE("the restricted loss and its partial derivatives equal the full network's") {
  const auto& layout = xor_loss().layout();
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> uniform(-8.0, 8.0);
  const std::vector<std::vector<int>> subspaces = {
      {layout.index("b1_1"), layout.index("b2_1")},   {layout.index("w2_12"), layout.index("b1_2")},
      {layout.index("w1_22"), layout.index("b1_1")},  {layout.index("w1_11"), layout.index("w1_21")},
      {0, 1, 2, 3, 4, 5, 6, 7, 8},
  };
  for (const auto& moving : subspaces) {
    for (int trial = 0; trial < 20; ++trial) {
      Params base(9);
      for (double& v : base) v = uniform(random);
      const tr::RestrictedLoss restricted(xor_loss(), base, moving);
      std::vector<double> y(moving.size());
      for (double& v : y) v = uniform(random);
      std::vector<double> g(moving.size()), full_gradient(9);
      const double value = restricted.value_and_gradient(y, g);
      const Params p = restricted.full(y);
      const double expected = xor_loss().value_and_gradient(p, full_gradient);
      CHECK(value == Approx(expected).epsilon(1e-13));
      for (size_t k = 0; k < moving.size(); ++k) CHECK(g[k] == Approx(full_gradient[moving[k]]).margin(1e-15).epsilon(1e-12));
    }
  }
}

TEST_CASE("the start (-7.4, 8.9) in plane (b1_1, b2_1) converges with both integrators") {
  const PlaneCase c = plane_case("b1_1", "b2_1", -7.4, 8.9);
  for (auto integrator : {tr::Integrator::gradient_descent, tr::Integrator::gradient_flow}) {
    const auto r = tr::run(c.restricted, c.start, spec_for(integrator, 1e6));
    INFO("integrator " << tr::to_string(integrator));
    CHECK(r.outcome == tr::Outcome::converged);
    CHECK(r.final_loss < 0.005);
    // It crosses the L = 0.25 level on its way down (the paper's "drops to about 0.25").
    bool passed_quarter = false;
    for (double l : r.path.loss) passed_quarter = passed_quarter || (l > 0.2 && l < 0.3);
    CHECK(passed_quarter);
    CHECK(r.path.loss.front() == Approx(0.4985).margin(5e-4));
    CHECK(r.path.epoch.back() == r.final_epoch);
    CHECK(r.path.loss.back() == r.final_loss);
    for (size_t i = 1; i < r.path.size(); ++i) CHECK(r.path.epoch[i] > r.path.epoch[i - 1]);
  }
}

TEST_CASE("the start (15, -2) in plane (b1_1, b2_1) is trapped at L near 0.227 with both integrators") {
  const PlaneCase c = plane_case("b1_1", "b2_1", 15.0, -2.0);
  for (auto integrator : {tr::Integrator::gradient_descent, tr::Integrator::gradient_flow}) {
    tr::TrajectorySpec spec = spec_for(integrator, 1e6);
    spec.gradient_tolerance = 1e-5;  // reached after ~16000 epochs; 1e-6 takes 2.6 million
    const auto r = tr::run(c.restricted, c.start, spec);
    INFO("integrator " << tr::to_string(integrator));
    CHECK(r.outcome == tr::Outcome::trapped);
    CHECK(r.final_loss == Approx(0.2271).margin(5e-4));
    CHECK(r.final_gradient_norm < 1e-5);
    CHECK(r.final_gradient_norm > 0.5e-5);  // stopped where it fell below, not later
  }
}

TEST_CASE("gradient flow and gradient descent reach the same end point, the flow with far fewer evaluations") {
  const PlaneCase c = plane_case("w1_22", "b1_1", -5.0, 10.0);
  const auto gd = tr::run(c.restricted, c.start, spec_for(tr::Integrator::gradient_descent, 1e6));
  const auto flow = tr::run(c.restricted, c.start, spec_for(tr::Integrator::gradient_flow, 1e6));
  REQUIRE(gd.outcome == tr::Outcome::converged);
  REQUIRE(flow.outcome == tr::Outcome::converged);
  // GD is the Euler discretisation of the flow with step eta: the two agree to O(eta).
  CHECK(flow.end[0] == Approx(gd.end[0]).margin(3e-3));
  CHECK(flow.end[1] == Approx(gd.end[1]).margin(3e-3));
  CHECK(flow.final_epoch == Approx(gd.final_epoch).epsilon(1e-3));
  CHECK(flow.evaluations * 20 < gd.evaluations);
}

TEST_CASE("a full-space trajectory uses every parameter and agrees between the integrators") {
  Params start = published_solution(1).parameters;
  start[xor_loss().layout().index("b1_1")] -= 4.0;
  start[xor_loss().layout().index("w2_11")] += 3.0;
  std::vector<int> all(9);
  for (int k = 0; k < 9; ++k) all[k] = k;
  const tr::RestrictedLoss restricted(xor_loss(), start, all);
  const auto gd = tr::run(restricted, start, spec_for(tr::Integrator::gradient_descent, 2e5));
  const auto flow = tr::run(restricted, start, spec_for(tr::Integrator::gradient_flow, 2e5));
  CHECK(gd.outcome == tr::Outcome::converged);
  CHECK(flow.outcome == tr::Outcome::converged);
  for (int k = 0; k < 9; ++k) CHECK(flow.end[k] == Approx(gd.end[k]).margin(5e-3));
  CHECK(gd.path.dimension == 9);
}

TEST_CASE("thinning keeps the end points and the shape of a long path in a few points") {
  // A dense path of 10^6 points: a straight leg, a quarter circle, a second leg.
  tr::Thinning thinning;
  tr::PathRecorder recorder(2, thinning);
  const int n = 1'000'000;
  std::vector<double> xs(n), ys(n);
  for (int i = 0; i < n; ++i) {
    const double s = 3.0 * i / (n - 1);  // arc parameter in [0, 3]
    if (s < 1.0) { xs[i] = s; ys[i] = 0.0; }
    else if (s < 2.0) { const double a = (s - 1.0) * M_PI / 2; xs[i] = 1.0 + std::sin(a); ys[i] = 1.0 - std::cos(a); }
    else { xs[i] = 2.0; ys[i] = 1.0 + (s - 2.0); }
    const double y[2] = {xs[i], ys[i]};
    if (i == 0) recorder.keep(0.0, y, 0.5);
    else if (i == n - 1) recorder.keep(i, y, 0.5 - 0.25 * s / 3);
    else recorder.offer(i, y, 0.5 - 0.25 * s / 3);
  }
  const tr::Path& path = recorder.path();
  REQUIRE(path.size() >= 2);
  CHECK(path.size() < 2000);
  CHECK(path.epoch.front() == 0.0);
  CHECK(path.epoch.back() == n - 1);
  CHECK(path.coordinates[0] == 0.0);
  CHECK(path.coordinates[2 * (path.size() - 1)] == 2.0);
  CHECK(path.coordinates[2 * (path.size() - 1) + 1] == Approx(2.0));
  // Shape: every dense point lies within one arc step of the stored polyline's vertices.
  size_t kept = 0;
  double worst = 0.0;
  for (int i = 0; i < n; i += 97) {
    while (kept + 1 < path.size() && path.epoch[kept + 1] <= i) ++kept;
    const double dx = xs[i] - path.coordinates[2 * kept], dy = ys[i] - path.coordinates[2 * kept + 1];
    worst = std::max(worst, std::hypot(dx, dy));
  }
  CHECK(worst <= thinning.arc_step * 1.001);
  // Epoch coverage: log-spaced marks keep early points although the path barely moves there.
  CHECK(path.epoch[1] <= 2.0);
}

TEST_CASE("a 6e7-epoch path is stored in a few thousand points with increasing epochs") {
  const PlaneCase c = plane_case("b1_1", "b2_1", 15.0, -2.0);
  tr::TrajectorySpec spec = spec_for(tr::Integrator::gradient_flow, 6e7);
  spec.gradient_tolerance = 0.0;
  spec.max_evaluations = 200000;
  const auto r = tr::run(c.restricted, c.start, spec);
  CHECK(r.outcome == tr::Outcome::budget);
  CHECK(r.path.size() < 5000);
  CHECK(r.path.epoch.front() == 0.0);
  CHECK(r.path.epoch.back() == r.final_epoch);
  for (size_t i = 1; i < r.path.size(); ++i) CHECK(r.path.epoch[i] > r.path.epoch[i - 1]);
}

TEST_CASE("a stop request ends a trajectory with outcome 'stopped'") {
  const PlaneCase c = plane_case("b1_1", "b2_1", 15.0, -2.0);
  RunControl control;
  control.request_stop();
  for (auto integrator : {tr::Integrator::gradient_descent, tr::Integrator::gradient_flow}) {
    tr::TrajectorySpec spec = spec_for(integrator, 1e8);
    spec.gradient_tolerance = 0.0;
    const auto r = tr::run(c.restricted, c.start, spec, control);
    CHECK(r.outcome == tr::Outcome::stopped);
    CHECK(r.final_epoch < 1e6);
  }
}

TEST_CASE("a trapped end point in (b1_1, b2_1) is a local minimum of the plane, not a stationary point in 9-D") {
  const PlaneCase c = plane_case("b1_1", "b2_1", 15.0, -2.0);
  tr::TrajectorySpec spec = spec_for(tr::Integrator::gradient_flow, 6e7);
  spec.gradient_tolerance = 1e-8;
  const auto r = tr::run(c.restricted, c.start, spec);
  REQUIRE(r.outcome == tr::Outcome::trapped);
  const auto analysis = tr::analyse_end_point(c.restricted, r.end);
  REQUIRE(analysis.hessian_eigenvalues.size() == 2);
  CHECK(analysis.hessian_eigenvalues[0] > 0.0);
  CHECK(analysis.full_gradient_norm > 1e3 * r.final_gradient_norm);
}

TEST_CASE("trajectories added to a slice file keep its other contents") {
  const fs::path folder = fresh_folder("trajectory-into");
  const fs::path path = folder / "slice.h5";
  write_small_slice(path);
  const std::vector<double> loss_before = h5::InputFile(path).root().read_doubles("planes/b1_1,b2_1/loss");
  const PlaneCase c = plane_case("b1_1", "b2_1", -7.4, 8.9);
  tr::TrajectoryRecord record;
  record.spec = spec_for(tr::Integrator::gradient_flow, 1e6);
  record.result = tr::run(c.restricted, c.start, record.spec);
  record.moving = c.restricted.moving();
  record.start_parameters = c.restricted.full(c.start);
  record.end_parameters = c.restricted.full(record.result.end);
  record.plane = std::make_pair(c.restricted.moving()[0], c.restricted.moving()[1]);
  const Params center = published_solution(1).parameters;
  const h5::Provenance provenance{"test", "test --into", 1, 1, {}};
  for (int round = 0; round < 2; ++round) {
    h5::UpdateFile update(path);
    const h5::Group plane = update.root().open_group("planes/b1_1,b2_1");
    CHECK(tr::append_trajectory(plane, record, center, xor_loss().layout(), provenance) == round);
    update.commit();
  }
  const h5::InputFile file(path);
  CHECK(file.root().read_doubles("planes/b1_1,b2_1/loss") == loss_before);
  CHECK(file.root().read_doubles("center") == center);
  const h5::Group t = file.root().open_group("planes/b1_1,b2_1/trajectories/1");
  CHECK(t.attribute_string("outcome") == "converged");
  CHECK(t.attribute_string("integrator") == "flow");
  CHECK(t.attribute_double("start_x") == Approx(-7.4).margin(1e-12));
  CHECK(t.attribute_double("start_y") == Approx(8.9).margin(1e-12));
  const auto x = t.read_doubles("x"), loss = t.read_doubles("loss");
  REQUIRE(x.size() == record.result.path.size());
  CHECK(x.front() == Approx(-7.4).margin(1e-12));
  // The stored loss is the loss at the stored point.
  const auto y = t.read_doubles("y");
  for (size_t i = 0; i < x.size(); i += 50) {
    Params p = center;
    p[4] += x[i];
    p[8] += y[i];
    CHECK(loss[i] == Approx(xor_loss().value(p)).epsilon(1e-12));
  }
  CHECK(std::distance(fs::directory_iterator(folder), fs::directory_iterator()) == 1);
  fs::remove_all(folder);
}

TEST_CASE("an update abandoned before commit leaves the slice file byte-identical and no temporary") {
  const fs::path folder = fresh_folder("trajectory-atomic");
  const fs::path path = folder / "slice.h5";
  write_small_slice(path);
  const std::string before = file_bytes(path);
  {
    h5::UpdateFile update(path);
    update.root().open_group("planes/b1_1,b2_1").create_group("trajectories/0");
    CHECK(fs::exists(update.temporary()));
  }  // destroyed without commit, as after an error or SIGINT
  CHECK(file_bytes(path) == before);
  CHECK(std::distance(fs::directory_iterator(folder), fs::directory_iterator()) == 1);
  fs::remove_all(folder);
}

TEST_CASE("the restricted loss is a Potential whose Hessian is the moving block of the full one") {
  const auto& layout = xor_loss().layout();
  const std::vector<int> moving{layout.index("w1_22"), layout.index("b1_1"), layout.index("w2_12")};
  const Params base = published_solution(2).parameters;
  const tr::RestrictedLoss restricted(xor_loss(), base, moving);
  const std::vector<double> y{1.5, -2.0, 3.0};
  const Eigen::MatrixXd h = restricted.hessian(y);
  const Eigen::MatrixXd full = xor_loss().hessian(restricted.full(y));
  const Eigen::MatrixXd numerical = numerical_hessian(restricted, y);
  REQUIRE(h.rows() == 3);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      CHECK(h(r, c) == full(moving[r], moving[c]));
      CHECK(h(r, c) == Approx(numerical(r, c)).margin(1e-7));
    }
  const std::vector<double> g = numerical_gradient(restricted, y);
  std::vector<double> analytic(3);
  restricted.value_and_gradient(y, analytic);
  for (int k = 0; k < 3; ++k) CHECK(analytic[k] == Approx(g[k]).margin(1e-8));
}

TEST_CASE("a full-space trajectory runs on XorLoss itself as on the restricted loss with every parameter moving") {
  Params start = published_solution(1).parameters;
  start[xor_loss().layout().index("b1_1")] -= 4.0;
  std::vector<int> all(9);
  for (int k = 0; k < 9; ++k) all[k] = k;
  const tr::RestrictedLoss restricted(xor_loss(), start, all);
  for (auto integrator : {tr::Integrator::gradient_descent, tr::Integrator::gradient_flow}) {
    INFO("integrator " << tr::to_string(integrator));
    const auto on_xor = tr::run(xor_loss(), start, spec_for(integrator, 5e4));
    const auto on_restricted = tr::run(restricted, start, spec_for(integrator, 5e4));
    CHECK(on_xor.outcome == on_restricted.outcome);
    CHECK(on_xor.final_epoch == Approx(on_restricted.final_epoch).epsilon(1e-6));
    for (int k = 0; k < 9; ++k) CHECK(on_xor.end[k] == Approx(on_restricted.end[k]).margin(1e-8));
    const auto analysis = tr::analyse_end_point(xor_loss(), on_xor.end);
    CHECK(analysis.hessian_eigenvalues.size() == 9);
    CHECK(analysis.full_gradient_norm == Approx(on_xor.final_gradient_norm).epsilon(1e-12));
  }
}

TEST_CASE("a trajectory at parameters of size 1e300 is not diverged at epoch 0: its gradient is finite, its squared norm is not") {
  // ReLU hidden units: h_1 = z_1 ~ 1e300, w2_11 = 1e-300 keeps the output finite, dL/dw2_11 ~ 1e299.
  const XorLoss relu({2, Activation::relu, Activation::sigmoid}, dataset_by_name("xor"));
  const Params p{1e300, 1e300, 0.0, 0.0, 1e300, 0.0, 1e-300, 0.0, 0.0};
  std::vector<double> g(9);
  REQUIRE(std::isfinite(relu.value_and_gradient(p, g)));
  double squared = 0.0;
  for (double v : g) {
    REQUIRE(std::isfinite(v));
    squared += v * v;
  }
  REQUIRE_FALSE(std::isfinite(squared));
  std::vector<int> all(9);
  for (int k = 0; k < 9; ++k) all[k] = k;
  const tr::RestrictedLoss restricted(relu, p, all);
  for (auto integrator : {tr::Integrator::gradient_descent, tr::Integrator::gradient_flow}) {
    INFO("integrator " << tr::to_string(integrator));
    tr::TrajectorySpec spec = spec_for(integrator, 0.0);
    const auto at_start = tr::run(restricted, p, spec);
    CHECK(at_start.outcome == tr::Outcome::budget);
    CHECK(at_start.final_gradient_norm == Approx(safe_norm(g)).epsilon(1e-12));
    CHECK(std::isfinite(at_start.final_gradient_norm));
  }
  // Gradient descent goes on from there (the flow's error control, on coordinates of size 1e-300
  // moving at speed 1e299, may rightly give up: its step collapses).
  const auto onward = tr::run(relu, p, spec_for(tr::Integrator::gradient_descent, 100));
  CHECK(onward.outcome != tr::Outcome::diverged);
  CHECK(onward.final_epoch > 0.0);
}

TEST_CASE("norms are compared without overflow where their squares overflow") {
  const std::vector<double> huge{1e200, -1e200};
  CHECK_FALSE(tr::norm_below(HUGE_VAL, huge, 1e-6));
  CHECK(tr::norm_below(HUGE_VAL, huge, 1e201));
  CHECK(tr::norm_of(huge) == Approx(std::sqrt(2.0) * 1e200));
  const std::vector<double> tiny{1e-170, 1e-170};
  // The squared norm (2e-340) underflows to 0, and so would the limit's square.
  const double squared = tiny[0] * tiny[0] + tiny[1] * tiny[1];
  CHECK(squared == 0.0);
  CHECK(tr::norm_below(squared, tiny, 1e-169));
  CHECK_FALSE(tr::norm_below(squared, tiny, 1e-171));
  // Path thinning: points 1e160 apart with a store-arc of 1e200 are closer than the arc step,
  // although both squares overflow.
  tr::Thinning thinning;
  thinning.per_decade = 0;
  thinning.arc_step = 1e200;
  thinning.loss_step = 1.0;
  tr::PathRecorder recorder(1, thinning);
  const double first = 0.0, near = 1e160, far = 1e250;
  recorder.keep(0.0, &first, 0.5);
  CHECK_FALSE(recorder.wants(1.0, &near, 0.5));
  CHECK(recorder.wants(1.0, &far, 0.5));
}

namespace {

// Three starts in plane (b1_1, b2_1) with both integrators: six trajectories of a few ms each.
tr::TrajectoryPlan small_plan(double epochs = 2e4) {
  const auto& layout = xor_loss().layout();
  tr::TrajectoryPlan plan;
  plan.loss = xor_loss();
  plan.center = published_solution(1).parameters;
  plan.center_source = "published solution 1 (Table 2)";
  plan.plane = std::pair{layout.index("b1_1"), layout.index("b2_1")};
  for (const auto& [x, y] : {std::pair{-7.4, 8.9}, std::pair{15.0, -2.0}, std::pair{-3.0, 10.0}}) {
    tr::Start start{plan.center, {plan.plane->first, plan.plane->second}, "test", ""};
    start.parameters[plan.plane->first] += x;
    start.parameters[plan.plane->second] += y;
    plan.starts.push_back(start);
  }
  plan.integrators = {tr::Integrator::gradient_descent, tr::Integrator::gradient_flow};
  plan.spec = spec_for(tr::Integrator::gradient_descent, epochs);
  plan.spec.gradient_tolerance = 1e-5;
  return plan;
}

void require_same(const tr::TrajectoryRecord& a, const tr::TrajectoryRecord& b) {
  CHECK(a.result.outcome == b.result.outcome);
  CHECK(a.result.path.epoch == b.result.path.epoch);
  CHECK(a.result.path.coordinates == b.result.path.coordinates);
  CHECK(a.result.path.loss == b.result.path.loss);
  CHECK(a.result.end == b.result.end);
  CHECK(a.result.final_gradient_norm == b.result.final_gradient_norm);
  CHECK(a.result.evaluations == b.result.evaluations);
  CHECK(a.result.rejected_steps == b.result.rejected_steps);
  CHECK(a.end_parameters == b.end_parameters);
  CHECK(a.end_analysis.hessian_eigenvalues == b.end_analysis.hessian_eigenvalues);
  CHECK(a.end_analysis.full_gradient_norm == b.end_analysis.full_gradient_norm);
  CHECK(a.start_loss == b.start_loss);
}

}  // namespace

TEST_CASE("a trajectory job stopped part-way and resumed from its checkpoint gives the uninterrupted trajectories") {
  const int previous = omp_get_max_threads();
  omp_set_num_threads(1);
  tr::TrajectoryJob whole(small_plan());
  whole.advance(RunControl());
  REQUIRE(whole.finished());
  // Stop once the first trajectory has finished and the second has begun.
  tr::TrajectoryJob part(small_plan());
  RunControl control;
  control.set_progress_sink([&](double done, double) {
    if (done > 2e4) control.request_stop();
  });
  part.advance(control);
  REQUIRE_FALSE(part.finished());
  CHECK(part.fraction_done() > 0.0);
  CHECK(part.fraction_done() < 1.0);
  const fs::path folder = fresh_folder("trajectory-job");
  {
    h5::OutputFile file(folder / "checkpoint.h5", true);
    part.save(file.root().create_group("state"));
    file.commit();
  }
  tr::TrajectoryJob resumed(small_plan());
  resumed.load(h5::InputFile(folder / "checkpoint.h5").root().open_group("state"));
  CHECK(resumed.fraction_done() == part.fraction_done());
  CHECK(resumed.identity() == whole.identity());
  resumed.advance(RunControl());
  REQUIRE(resumed.finished());
  for (size_t j = 0; j < whole.records().size(); ++j) {
    INFO("trajectory " << j);
    require_same(whole.records()[j], resumed.records()[j]);
  }
  CHECK(tr::TrajectoryJob(small_plan(3e4)).identity() != whole.identity());
  omp_set_num_threads(previous);
  fs::remove_all(folder);
}

TEST_CASE("the checkpoint deadline starts no new trajectory but lets the running one finish") {
  const int previous = omp_get_max_threads();
  omp_set_num_threads(1);
  tr::TrajectoryPlan plan = small_plan(1e7);
  plan.starts.erase(plan.starts.begin());  // (15, -2) and (-3, 10): neither converges
  plan.spec.gradient_tolerance = 0.0;      // so both run their 1e7 epochs (about a second each)
  plan.integrators = {tr::Integrator::gradient_descent};
  tr::TrajectoryJob job(plan);
  RunControl control;
  control.set_deadline(RunControl::Clock::now() + std::chrono::milliseconds(100));
  job.advance(control);
  CHECK(job.fraction_done() == Approx(0.5));
  CHECK(job.records()[0].result.final_epoch == 1e7);
  CHECK(job.records()[0].result.outcome == tr::Outcome::budget);
  omp_set_num_threads(previous);
}

TEST_CASE("a trajectory file names its points: the center, the only trajectory's end, trajectory=K,start") {
  tr::TrajectoryPlan plan = small_plan();
  plan.starts.resize(1);
  plan.integrators = {tr::Integrator::gradient_flow};
  tr::TrajectoryJob job(plan);
  job.advance(RunControl());
  const fs::path folder = fresh_folder("trajectory-points");
  {
    h5::OutputFile file(folder / "t.h5", true);
    tr::write_trajectory_file(file.root(), job, h5::Provenance{"xorscape-trajectory", "test", 1, 1, {}});
    file.commit();
  }
  const h5::InputFile file(folder / "t.h5");
  const auto& record = job.records()[0];
  CHECK(tr::read_point(file.root(), io::parse_selector("")) == record.end_parameters);
  CHECK(tr::read_point(file.root(), io::parse_selector("end")) == record.end_parameters);
  CHECK(tr::read_point(file.root(), io::parse_selector("trajectory=0,start")) == record.start_parameters);
  CHECK(tr::read_point(file.root(), io::parse_selector("center")) == plan.center);
  CHECK_THROWS(tr::read_point(file.root(), io::parse_selector("trajectory=1")));
  CHECK(file.root().attribute_string("center_source") == plan.center_source);
  CHECK(file.root().scale_path("planes/b1_1,b2_1/trajectories/0/x", 0).ends_with("epoch"));
  fs::remove_all(folder);
}
