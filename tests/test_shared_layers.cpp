// The shared layers every tool stands on: RunControl, the checkpoint contract and its runner,
// the network description, parameter points named in other tools' files, the network options.
#include <catch2/catch.hpp>

#include "test_support.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "xorscape/cli/network_options.hpp"
#include "xorscape/cli/runner.hpp"
#include "xorscape/core/potential.hpp"
#include "xorscape/core/run_control.hpp"
#include "xorscape/io/checkpoint.hpp"
#include "xorscape/io/network_file.hpp"

using namespace xorscape;
using testing::fresh_folder;
namespace fs = std::filesystem;

namespace {

// A toy resumable job: sums 1..n one number per step, stopping whenever asked.
struct CountingJob {
  std::int64_t n = 1000;
  std::int64_t next = 1;
  std::int64_t sum = 0;
  std::string identity() const { return "counting n=" + std::to_string(n); }
  bool finished() const { return next > n; }
  double fraction_done() const { return static_cast<double>(next - 1) / n; }
  void advance(const RunControl& control) {
    while (!finished() && !control.stop_requested()) sum += next++;
  }
  void save(const h5::Group& g) const {
    g.set_attribute("next", next);
    g.set_attribute("sum", sum);
  }
  void load(const h5::Group& g) {
    next = g.attribute_int("next");
    sum = g.attribute_int("sum");
  }
};
static_assert(io::Resumable<CountingJob>);

// Runs a tool's main through cli::Tool with the given arguments; returns its status.
int run_tool(cli::Tool& tool, std::vector<std::string> args, const std::function<int()>& body) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return tool.run(static_cast<int>(argv.size()), argv.data(), body);
}

}  // namespace

TEST_CASE("RunControl stops on request, at a deadline and reports progress serially") {
  RunControl control;
  CHECK_FALSE(control.stop_requested());
  control.request_stop();
  CHECK(control.stop_requested());
  CHECK(control.interrupted());
  control.clear_stop();
  control.set_deadline(RunControl::Clock::now() - std::chrono::seconds(1));
  CHECK(control.stop_requested());
  CHECK_FALSE(control.interrupted());  // a deadline is not an interruption
  control.clear_deadline();
  CHECK_FALSE(control.stop_requested());
  std::vector<double> seen;
  control.set_progress_sink([&](double done, double total) { seen.push_back(done / total); });
  std::thread a([&] { for (int i = 0; i < 100; ++i) control.progress(i, 100); });
  std::thread b([&] { for (int i = 0; i < 100; ++i) control.progress(i, 100); });
  a.join();
  b.join();
  CHECK(seen.size() == 200);
}

TEST_CASE("a checkpoint continues the same job and refuses another identity") {
  const fs::path folder = fresh_folder("checkpoint");
  const fs::path path = folder / "job.h5.checkpoint.h5";
  CountingJob job;
  RunControl control;
  control.set_progress_sink([&](double, double) {});
  job.n = 100000;
  // Stop half-way by hand, save, load into a fresh job, finish: the sum is the uninterrupted one.
  while (job.next < 500) job.sum += job.next++;
  io::save_checkpoint(path, job, h5::Provenance{"test", "test", 1, 1, {}});
  CountingJob resumed;
  resumed.n = 100000;
  io::load_checkpoint(path, resumed);
  CHECK(resumed.next == 500);
  resumed.advance(control);
  CHECK(resumed.sum == 100000LL * 100001LL / 2);
  CountingJob other;
  other.n = 7;
  CHECK_THROWS_AS(io::load_checkpoint(path, other), io::CheckpointMismatch);
  {
    h5::OutputFile not_a_checkpoint(folder / "plain.h5", false);
    not_a_checkpoint.commit();
  }
  CHECK_THROWS_WITH(io::load_checkpoint(folder / "plain.h5", resumed), Catch::Contains("not an xorscape checkpoint"));
  fs::remove_all(folder);
}

TEST_CASE("the runner writes periodic checkpoints, stops with 130 and resumes to the same output") {
  const fs::path folder = fresh_folder("runner");
  const std::string out = (folder / "count.h5").string();
  auto write = [](const CountingJob& job) {
    return [&job](const h5::Group& root) { root.set_attribute("sum", job.sum); };
  };
  {  // A stop request (the signal's stand-in) part-way: checkpoint and status 130, no output.
    cli::Tool tool("xorscape-test", "test", "count.h5");
    tool.enable_resume();
    CountingJob job;
    job.n = 200000;
    const int status = run_tool(tool, {"xorscape-test", "-o", out}, [&] {
      job.sum += job.next++;  // some work before the stop
      tool.control().request_stop();
      return cli::run_job(tool, job, write(job));
    });
    CHECK(status == cli::kExitStopped);
    CHECK_FALSE(fs::exists(out));
    CHECK(fs::exists(out + ".checkpoint.h5"));
  }
  {  // Without --resume (and without --force) an existing checkpoint is not clobbered.
    cli::Tool tool("xorscape-test", "test", "count.h5");
    tool.enable_resume();
    CountingJob job;
    job.n = 200000;
    CHECK(run_tool(tool, {"xorscape-test", "-o", out}, [&] { return cli::run_job(tool, job, write(job)); }) == 2);
  }
  {  // --resume continues to the end: output written, checkpoint removed.
    cli::Tool tool("xorscape-test", "test", "count.h5");
    tool.enable_resume();
    CountingJob job;
    job.n = 200000;
    CHECK(run_tool(tool, {"xorscape-test", "-o", out, "--resume"}, [&] { return cli::run_job(tool, job, write(job)); }) == 0);
    CHECK(fs::exists(out));
    CHECK_FALSE(fs::exists(out + ".checkpoint.h5"));
    CHECK(h5::InputFile(out).root().attribute_int("sum") == 200000LL * 200001LL / 2);
  }
  {  // --resume of a finished output: nothing to do. --resume with nothing at all: status 2.
    cli::Tool tool("xorscape-test", "test", "count.h5");
    tool.enable_resume();
    CountingJob job;
    CHECK(run_tool(tool, {"xorscape-test", "-o", out, "--resume"}, [&] { return cli::run_job(tool, job, write(job)); }) == 0);
    cli::Tool fresh("xorscape-test", "test", "count.h5");
    fresh.enable_resume();
    CHECK(run_tool(fresh, {"xorscape-test", "-o", (folder / "none.h5").string(), "--resume"},
                   [&] { return cli::run_job(fresh, job, write(job)); }) == 2);
  }
  {  // Periodic checkpoints: a deadline every 1 ms leaves the job's numbers unchanged.
    cli::Tool tool("xorscape-test", "test", "count.h5");
    tool.enable_resume();
    CountingJob job;
    job.n = 3000000;
    const std::string periodic = (folder / "periodic.h5").string();
    CHECK(run_tool(tool, {"xorscape-test", "-o", periodic, "--checkpoint-every", "0.001"},
                   [&] { return cli::run_job(tool, job, write(job)); }) == 0);
    CHECK(h5::InputFile(periodic).root().attribute_int("sum") == 3000000LL * 3000001LL / 2);
  }
  RunControl::clear_signal();
  fs::remove_all(folder);
}

TEST_CASE("the network description round-trips and names what differs") {
  const fs::path folder = fresh_folder("network");
  const XorLoss loss(Architecture{3, Activation::tanh, Activation::sigmoid}, dataset_by_name("xor-pm"));
  {
    h5::OutputFile file(folder / "n.h5", false);
    io::write_network(file.root(), loss);
    file.commit();
  }
  const auto read = io::read_network(h5::InputFile(folder / "n.h5").root());
  REQUIRE(read);
  CHECK(read->architecture.n_hidden == 3);
  CHECK(read->architecture.hidden == Activation::tanh);
  CHECK(read->data == "xor-pm");
  CHECK(read->parameter_names == loss.layout().names());
  CHECK(io::network_mismatch(io::describe(loss), *read).empty());
  const XorLoss other(Architecture{3, Activation::sigmoid, Activation::sigmoid}, dataset_by_name("xor-pm"));
  CHECK(io::network_mismatch(io::describe(other), *read) == "hidden activation tanh, not sigmoid");
  fs::remove_all(folder);
}

TEST_CASE("parameter points are named in other tools' files, with the network checked") {
  const fs::path folder = fresh_folder("points");
  const XorLoss loss(Architecture{}, dataset_by_name("xor"));
  const std::string path = (folder / "train.h5").string();
  {
    h5::OutputFile file(path, false);
    h5::Provenance p{"xorscape-train", "xorscape-train", 1, 1, {}};
    file.write_provenance(p);
    io::write_network(file.root(), loss);
    const h5::Group runs = file.root().create_group("runs");
    runs.write_index_scale("run", 2);
    std::vector<double> finals(18), initials(18, 0.5);
    for (int i = 0; i < 18; ++i) finals[i] = i;
    runs.write("final_parameters", finals, {{"run", "/parameter_names"}});
    runs.write("initial_parameters", initials, {{"run", "/parameter_names"}});
    file.commit();
  }
  const io::NetworkDescription network = io::describe(loss);
  const cli::ParameterPoint p = cli::parse_point("--center", path + ":run=1", network);
  CHECK(p.values == Params{9, 10, 11, 12, 13, 14, 15, 16, 17});
  CHECK(p.source == path + ":run=1");
  CHECK(cli::parse_point("--center", path + ":run=0,initial", network).values == Params(9, 0.5));
  CHECK_THROWS_WITH(cli::parse_point("--center", path + ":run=2", network), Catch::Contains("run 2 does not exist"));
  CHECK_THROWS_WITH(cli::parse_point("--center", path, network), Catch::Contains("name one"));
  CHECK_THROWS_WITH(cli::parse_point("--center", path + ":class=1", network), Catch::Contains("not known here"));
  const XorLoss tanh_loss(Architecture{2, Activation::tanh, Activation::sigmoid}, dataset_by_name("xor"));
  CHECK_THROWS_WITH(cli::parse_point("--center", path + ":run=1", io::describe(tanh_loss)),
                    Catch::Contains("hidden activation sigmoid, not tanh"));
  const cli::ParameterPoint published = cli::parse_point("--center", "3", network);
  CHECK_FALSE(published.note.empty());
  CHECK(published.source == "published solution 3 (Table 2)");
  CHECK_THROWS_AS(cli::parse_point("--center", "123456789012345678901", network), cli::UsageError);
  CHECK_THROWS_WITH(cli::parse_point("--center", (folder / "none.h5").string(), network), Catch::Contains("does not exist"));
  fs::remove_all(folder);
}

TEST_CASE("the shared option checks refuse unwritable folders, absurd memory and wrapped numbers") {
  CHECK_THROWS_AS(cli::require_writable("--output", "/proc/x.h5"), cli::UsageError);
  CHECK_THROWS_AS(cli::require_writable("--output", "/no-such-folder/x.h5"), cli::UsageError);
  CHECK_NOTHROW(cli::require_writable("--output", (fs::temp_directory_path() / "x.h5").string()));
  CHECK_THROWS_WITH(cli::require_memory("--seeds", 1e18, "the runs"), Catch::Contains("1e+09 GB"));
  CHECK_NOTHROW(cli::require_memory("--seeds", 1e6, "the runs"));
  CHECK(cli::parse_unsigned("--seed", "18446744073709551615") == 18446744073709551615ULL);
  CHECK_THROWS_AS(cli::parse_unsigned("--seed", "18446744073709551616"), cli::UsageError);
  CHECK_THROWS_AS(cli::parse_unsigned("--seed", "-1"), cli::UsageError);
  CHECK_THROWS_AS(cli::parse_range("--range", "-1e308:1e308"), cli::UsageError);
  CHECK(cli::parse_range("--range", "-1e307:1e307").hi == 1e307);
}

TEST_CASE("numerical derivatives of a Potential agree with the analytic ones") {
  const XorLoss loss(Architecture{2, Activation::tanh, Activation::sigmoid}, dataset_by_name("xor-centered"));
  const Params x{0.3, -1.2, 0.7, 0.4, -0.2, 0.9, 1.5, -0.8, 0.1};
  std::vector<double> g(9);
  loss.value_and_gradient(x, g);
  const auto numeric = numerical_gradient(loss, x);
  for (int k = 0; k < 9; ++k) CHECK(g[k] == Approx(numeric[k]).margin(1e-8));
  const Eigen::MatrixXd H = loss.hessian(x), Hn = numerical_hessian(loss, x);
  CHECK((H - Hn).cwiseAbs().maxCoeff() < 1e-6);
  CHECK(safe_norm(std::vector<double>{3e300, 4e300}) == Approx(5e300));
  CHECK(safe_norm(std::vector<double>{0.0, 0.0}) == 0.0);
}
