// Slices: values at grid points against the forward pass, randomized batches, thread-count
// independence, statistics, and the HDF5 layout read back.
#include <catch2/catch.hpp>

#include <hdf5_hl.h>
#include <omp.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <thread>
#include <filesystem>
#include <map>

#include "xorscape/core/parameters.hpp"
#include "xorscape/landscape/slice_file.hpp"
#include "xorscape/landscape/slice_run.hpp"

using namespace xorscape;
namespace fs = std::filesystem;

namespace {

// Keeps every plane in memory (tests only: the tool streams them to disk).
struct Collect : slice::BlockConsumer {
  struct Plane {
    std::vector<double> loss, mean, deviation, nonrandomized;
  };
  std::map<int, Plane> planes;
  std::vector<int> order;  // planes as begun
  int columns = 0;
  void begin_plane(int plane, const slice::PlaneComputation& c) override {
    order.push_back(plane);
    columns = c.columns();
  }
  void consume(int plane, const slice::PlaneBlock& b) override {
    const std::size_t cells = static_cast<std::size_t>(b.rows) * columns;
    Plane& p = planes[plane];
    p.loss.insert(p.loss.end(), b.loss.begin(), b.loss.begin() + cells);
    if (!b.loss_mean.empty()) {
      p.mean.insert(p.mean.end(), b.loss_mean.begin(), b.loss_mean.begin() + cells);
      p.deviation.insert(p.deviation.end(), b.loss_std.begin(), b.loss_std.begin() + cells);
      p.nonrandomized.insert(p.nonrandomized.end(), b.loss_nonrandomized.begin(),
                             b.loss_nonrandomized.begin() + cells);
    }
  }
  void end_plane(int) override {}
};

slice::SliceSpec small_spec(bool randomized, int scans) {
  slice::SliceSpec spec;
  spec.loss = XorLoss(Architecture{}, dataset_by_name("xor"));
  spec.center = published_solution(1).parameters;
  const ParameterLayout& L = spec.loss.layout();
  spec.planes = {{L.index("b1_1"), L.index("b2_1")}, {L.index("w2_12"), L.index("b1_2")},
                 {L.index("w1_22"), L.index("b1_1")}, {L.index("w1_11"), L.index("w1_12")}};
  spec.x = {-15.0, 15.0, 41};
  spec.y = {-12.0, 9.0, 23};
  spec.randomized = randomized;
  spec.scans = scans;
  spec.seed = 42;
  return spec;
}

Collect run(const slice::SliceSpec& spec, int threads, int block_rows = 5) {
  const int previous = omp_get_max_threads();
  omp_set_num_threads(threads);
  Collect collect;
  slice::run_slice(spec, block_rows, collect);
  omp_set_num_threads(previous);
  return collect;
}

bool close_relative(double a, double b, double tolerance) {
  return std::abs(a - b) <= tolerance * std::max(std::abs(a), std::abs(b));
}

}  // namespace

TEST_CASE("an axis runs from LO to HI exactly and passes through 0 when symmetric") {
  const std::vector<double> v = slice::Axis{-15.0, 15.0, 401}.values();
  CHECK(v.front() == -15.0);
  CHECK(v.back() == 15.0);
  CHECK(v[200] == 0.0);
  CHECK(v[1] - v[0] == Approx(0.075).epsilon(1e-12));
  CHECK_THROWS(slice::Axis{1.0, 1.0, 5}.values());
  CHECK_THROWS(slice::Axis{0.0, 1.0, 1}.values());
}

TEST_CASE("a nonrandomized slice equals the forward pass at its grid points") {
  const slice::SliceSpec spec = small_spec(false, 1);
  const Collect result = run(spec, 2);
  const std::vector<double> x = spec.x.values(), y = spec.y.values();
  REQUIRE(result.order == std::vector<int>{0, 1, 2, 3});
  RandomStream rng(3);
  for (int p = 0; p < 4; ++p) {
    const auto [a, b] = spec.planes[p];
    const std::vector<double>& loss = result.planes.at(p).loss;
    REQUIRE(loss.size() == x.size() * y.size());
    for (int k = 0; k < 60; ++k) {
      const int i = static_cast<int>(rng.below(x.size())), j = static_cast<int>(rng.below(y.size()));
      Params point = spec.center;
      point[a] += x[i];
      point[b] += y[j];
      INFO("plane " << p << " column " << i << " row " << j);
      CHECK(close_relative(loss[j * x.size() + i], spec.loss.value(point), 1e-12));
    }
  }
  // The center itself is on the grid of the first plane at (0, 0) only if 0 is a grid value;
  // here x passes through 0 (41 points on [-15, 15]): solution #1 has a small loss there.
  const std::vector<double>& first = result.planes.at(0).loss;
  CHECK(first[static_cast<std::size_t>(y.size() - 1) * x.size() + 20] > 0.0);
}

TEST_CASE("a randomized slice's first scan uses the batch keyed by seed, plane, scan and row") {
  const slice::SliceSpec spec = small_spec(true, 3);
  const Collect result = run(spec, 2);
  const std::vector<double> x = spec.x.values(), y = spec.y.values();
  RandomStream rng(4);
  for (int p = 0; p < 4; ++p) {
    const auto [a, b] = spec.planes[p];
    const Collect::Plane& plane = result.planes.at(p);
    for (int k = 0; k < 40; ++k) {
      const int i = static_cast<int>(rng.below(x.size())), j = static_cast<int>(rng.below(y.size()));
      Params point = spec.center;
      point[a] += x[i];
      point[b] += y[j];
      double sum = 0.0, square = 0.0;
      std::vector<double> values;
      for (int s = 0; s < spec.scans; ++s) {
        const double v = spec.loss.value(point, slice::randomized_batch(spec.seed, a, b, s, j, i));
        values.push_back(v);
        sum += v;
      }
      const double mean = sum / spec.scans;
      for (double v : values) square += (v - mean) * (v - mean);
      const std::size_t cell = j * x.size() + i;
      INFO("plane " << p << " column " << i << " row " << j);
      CHECK(close_relative(plane.loss[cell], values[0], 1e-12));
      CHECK(plane.mean[cell] == Approx(mean).epsilon(1e-12).margin(1e-15));
      CHECK(plane.deviation[cell] == Approx(std::sqrt(square / (spec.scans - 1))).epsilon(1e-9).margin(1e-12));
      CHECK(close_relative(plane.nonrandomized[cell], spec.loss.value(point), 1e-12));
    }
  }
}

TEST_CASE("randomized slices are identical for the same seed at 1, 2 and 3 threads") {
  const slice::SliceSpec spec = small_spec(true, 7);
  const Collect one = run(spec, 1, 4);
  for (int threads : {2, 3}) {
    const Collect many = run(spec, threads, 7);  // a different block size too
    for (int p = 0; p < 4; ++p) {
      CHECK(one.planes.at(p).loss == many.planes.at(p).loss);
      CHECK(one.planes.at(p).mean == many.planes.at(p).mean);
      CHECK(one.planes.at(p).deviation == many.planes.at(p).deviation);
    }
  }
  slice::SliceSpec other = spec;
  other.seed = 43;
  CHECK(run(other, 2).planes.at(0).loss != one.planes.at(0).loss);
}

TEST_CASE("randomized batches draw each case with probability 1/4") {
  std::array<long, 4> counts{};
  slice::RowBatches batches(7, 4, 8, 0, 0);
  const int draws = 40000;
  for (int i = 0; i < draws; ++i)
    for (int m : batches.next()) ++counts[m];
  // One standard deviation of a share is sqrt(0.25 * 0.75 / 160000) = 0.0011; allow 4.6 of them.
  for (long c : counts) CHECK(std::abs(c / (4.0 * draws) - 0.25) < 0.005);
  CHECK(slice::randomized_batch(7, 4, 8, 0, 0, 5) != slice::randomized_batch(7, 4, 8, 1, 0, 5));
}

TEST_CASE("the mean over many randomized scans converges to the nonrandomized slice") {
  slice::SliceSpec spec = small_spec(true, 400);
  spec.planes.resize(1);
  const Collect result = run(spec, 2);
  const Collect::Plane& plane = result.planes.at(0);
  double largest = 0.0;
  for (size_t c = 0; c < plane.mean.size(); ++c) {
    // The randomized loss is an unbiased estimate: E[0.25 sum_k l_{b_k}] = 0.25 sum_m l_m.
    const double error = std::abs(plane.mean[c] - plane.nonrandomized[c]);
    CHECK(error <= 6.0 * plane.deviation[c] / std::sqrt(400.0) + 1e-12);
    largest = std::max(largest, error);
  }
  CHECK(largest < 0.05);
}

TEST_CASE("plane statistics count histogram bins and plateau areas") {
  slice::SliceSpec spec;
  spec.bins = 4;
  spec.histogram_max = 1.0;
  spec.plateau_tolerance = 0.05;
  slice::PlaneStatistics s(spec);
  const std::vector<double> values{0.0, 0.01, 0.26, 0.5, 0.52, 0.6, 0.74, 1.0, 1.2};
  s.add(values);
  CHECK(s.histogram == std::vector<std::int64_t>{2, 1, 4, 1});
  CHECK(s.above == 1);
  CHECK(s.count == 9);
  const std::vector<double> f = s.plateau_fractions();
  CHECK(f[0] == Approx(2.0 / 9));
  CHECK(f[1] == Approx(1.0 / 9));
  CHECK(f[2] == Approx(2.0 / 9));
  CHECK(f[3] == Approx(1.0 / 9));
  CHECK(f[4] == Approx(1.0 / 9));
  CHECK(s.minimum == 0.0);
  CHECK(s.maximum == 1.2);
}

TEST_CASE("a slice file reads back with the documented layout") {
  const fs::path folder = fs::temp_directory_path() / ("xorscape-test-slice-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  const fs::path path = folder / "slice.h5";
  slice::SliceSpec spec = small_spec(true, 4);
  h5::Provenance provenance;
  provenance.tool = "test";
  {
    slice::SliceFileWriter writer(path.string(), false, spec, provenance, {"published solution 1", ""}, slice::Storage{1});
    struct Write : slice::BlockConsumer {
      slice::SliceFileWriter& w;
      const slice::SliceSpec& spec;
      slice::PlaneStatistics loss{spec}, mean{spec};
      slice::Difference difference;
      Write(slice::SliceFileWriter& writer, const slice::SliceSpec& s) : w(writer), spec(s) {}
      void begin_plane(int p, const slice::PlaneComputation& c) override {
        w.begin_plane(p, c);
        loss = slice::PlaneStatistics(spec);
        mean = slice::PlaneStatistics(spec);
      }
      void consume(int, const slice::PlaneBlock& b) override {
        const std::size_t cells = static_cast<std::size_t>(b.rows) * spec.x.count;
        loss.add(std::span(b.loss.data(), cells));
        mean.add(std::span(b.loss_mean.data(), cells));
        difference.add(std::span(b.loss_mean.data(), cells), std::span(b.loss_nonrandomized.data(), cells));
        w.write_block(b);
      }
      void end_plane(int) override { w.end_plane(loss, &mean, &difference); }
    } consumer(writer, spec);
    slice::run_slice(spec, writer.block_rows(), consumer);
    writer.commit();
  }
  const Collect expected = run(spec, 1);
  h5::InputFile file(path);
  const h5::Group& root = file.root();
  CHECK(root.attribute_int("n_hidden") == 2);
  CHECK(root.attribute_string("hidden_activation") == "sigmoid");
  CHECK(root.attribute_string("output_activation") == "sigmoid");
  CHECK(root.attribute_string("data") == "xor");
  CHECK(root.attribute_string("batch") == "randomized");
  CHECK(root.attribute_int("scans") == 4);
  CHECK(root.read_doubles("center") == spec.center);
  CHECK(root.read_strings("parameter_names") == spec.loss.layout().names());
  const std::vector<std::string> names{"b1_1,b2_1", "w2_12,b1_2", "w1_22,b1_1", "w1_11,w1_12"};
  CHECK(root.open_group("planes").members().size() == 4);
  for (int p = 0; p < 4; ++p) {
    const h5::Group g = root.open_group("planes/" + names[p]);
    const auto [a, b] = spec.planes[p];
    CHECK(g.attribute_string("x_parameter") == spec.loss.layout().name(a));
    CHECK(g.attribute_string("y_parameter") == spec.loss.layout().name(b));
    CHECK(g.attribute_int("x_index") == a);
    CHECK(g.attribute_int("y_index") == b);
    CHECK(g.attribute_double("x_center") == spec.center[a]);
    CHECK(g.attribute_double("y_center") == spec.center[b]);
    CHECK(g.read_doubles("x") == spec.x.values());
    CHECK(g.read_doubles("y") == spec.y.values());
    for (const std::string d : {"loss", "loss_mean", "loss_std", "loss_nonrandomized"}) {
      CHECK(g.shape(d) == std::vector<hsize_t>{23, 41});
      h5::Handle data(H5Dopen2(g.id(), d.c_str(), H5P_DEFAULT), H5Dclose);
      h5::Handle x(H5Dopen2(g.id(), "x", H5P_DEFAULT), H5Dclose);
      h5::Handle y(H5Dopen2(g.id(), "y", H5P_DEFAULT), H5Dclose);
      CHECK(H5DSis_attached(data.id(), x.id(), 1) > 0);
      CHECK(H5DSis_attached(data.id(), y.id(), 0) > 0);
    }
    CHECK(g.read_doubles("loss") == expected.planes.at(p).loss);
    CHECK(g.read_doubles("loss_mean") == expected.planes.at(p).mean);
    CHECK(g.read_doubles("plateau_levels") == std::vector<double>{0.0, 0.25, 0.5, 0.75, 1.0});
    const std::vector<double> fractions = g.read_doubles("plateau_fraction");
    CHECK(fractions.size() == 5);
    const std::vector<std::int64_t> histogram = g.read_ints("histogram");
    std::int64_t total = 0;
    for (auto c : histogram) total += c;
    CHECK(total == 23 * 41);  // sigmoid losses never exceed the last edge (1)
    CHECK(g.read_doubles("histogram_edges").size() == histogram.size() + 1);
    CHECK(g.has_attribute("mean_vs_nonrandomized_max_abs"));
  }
  fs::remove_all(folder);
}

TEST_CASE("rows evaluated a chunk of columns at a time give the same numbers as whole rows") {
  for (bool randomized : {false, true}) {
    for (const char* hidden : {"sigmoid", "tanh", "relu"}) {
      INFO((randomized ? "randomized, " : "nonrandomized, ") << hidden);
      slice::SliceSpec spec = small_spec(randomized, 3);
      spec.loss = XorLoss(Architecture{3, parse_activation(hidden), Activation::sigmoid}, dataset_by_name("xor-centered"));
      spec.center.assign(13, 0.0);
      for (int k = 0; k < 13; ++k) spec.center[k] = 0.7 * std::sin(1.3 * k + 0.2);
      const Collect whole = run(spec, 2);
      spec.column_chunk = 7;  // 41 columns: chunks of 7, 7, ..., 6
      const Collect chunked = run(spec, 2);
      for (const auto& [plane, p] : whole.planes) {
        CHECK(chunked.planes.at(plane).loss == p.loss);
        CHECK(chunked.planes.at(plane).mean == p.mean);
        CHECK(chunked.planes.at(plane).deviation == p.deviation);
        CHECK(chunked.planes.at(plane).nonrandomized == p.nonrandomized);
      }
    }
  }
}

TEST_CASE("a stop request ends a slice within a second, even inside one row of two billion scans") {
  slice::SliceSpec spec = small_spec(true, 2000000000);
  spec.planes.resize(1);
  spec.x = {-15.0, 15.0, 401};
  spec.y = {-15.0, 15.0, 401};
  RunControl control;
  Collect collect;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    control.request_stop();
  });
  const auto start = std::chrono::steady_clock::now();
  const bool finished = slice::run_slice(spec, 5, collect, control);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stopper.join();
  CHECK_FALSE(finished);
  CHECK(collect.planes.empty());
  CHECK(seconds < 1.3);
}

TEST_CASE("a stopped slice writes nothing, not even a temporary") {
  const fs::path folder = fs::temp_directory_path() / ("xorscape-test-slice-stop-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  slice::SliceSpec spec = small_spec(true, 100000);
  RunControl control;
  control.request_stop();
  const slice::SliceOutput output{(folder / "s.h5").string(), false, {"test", ""}, {}, {}};
  const slice::SliceTiming timing = slice::write_slices(spec, output, control);
  CHECK(timing.stopped);
  CHECK(fs::is_empty(folder));
  fs::remove_all(folder);
}
