// The in-run rate of the Wang-Landau sampler (SamplerTiming, cli::print_in_run_rate): its
// accounting adds up, it does not depend on the results, and the printed line says what it is.
#include <catch2/catch.hpp>
#include <omp.h>

#include <cstdio>
#include <string>

#include "xorscape/cli/entropy_bench.hpp"
#include "xorscape/entropy/wanglandau.hpp"
#include "test_support.hpp"

using namespace xorscape;
using namespace xorscape::entropy;
using xorscape::testing::fresh_folder;
using xorscape::testing::ThreadCount;

TEST_CASE("the Wang-Landau sampler accounts every step it takes and the time its threads spent stepping") {
  const XorLoss loss(Architecture{2, Activation::sigmoid, Activation::sigmoid}, dataset_by_name("xor"));
  const Box box = symmetric_box(9, 10.0);
  WangLandauSpec spec;
  spec.windows = 2;
  spec.runs = 3;  // 3 walkers on 2 threads: some thread slots stay empty
  spec.ln_f_final = 1e-2;
  spec.round_steps = 20000;
  spec.seed = 5;
  const ThreadCount threads(2);
  ReplicaExchangeWangLandau<XorNetworkModel> s(XorNetworkModel(loss, box), LossBinning(0.0, 1.0, 50), spec,
                                               box.ln_volume());
  const SamplerTiming& t = s.timing();
  CHECK(t.steps == 0);
  s.advance();
  REQUIRE(s.finished());
  CHECK(t.steps == s.total_steps());
  CHECK(t.steps > 100000);
  CHECK(t.walker_cpu_seconds > 0.0);
  CHECK(t.walker_cpu_seconds <= t.walker_seconds * 1.05 + 1e-3);  // a thread cannot run longer than it exists
  CHECK(t.walker_seconds <= t.slots * 1.05 + 1e-3);
  CHECK(t.stepping_seconds > 0.0);
  CHECK(t.slots <= 2.0 * t.stepping_seconds * 1.0001);

  const std::string path = (fresh_folder("wanglandau_rate") / "rate.txt").string();
  std::FILE* out = std::fopen(path.c_str(), "w+");
  REQUIRE(out);
  cli::print_in_run_rate(out, t, t.stepping_seconds);
  cli::print_in_run_rate(out, SamplerTiming{}, 1.0);  // nothing stepped: nothing printed
  std::rewind(out);
  char line[1024] = {};
  REQUIRE(std::fgets(line, sizeof line, out));
  const std::string text(line);
  CHECK(text.rfind("rate: ", 0) == 0);
  CHECK(text.find("steps/s per busy core") != std::string::npos);
  CHECK(text.find("stepping took 100 %") != std::string::npos);
  CHECK(std::fgets(line, sizeof line, out) == nullptr);
  std::fclose(out);
}
