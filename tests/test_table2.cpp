// The published solutions of Table 2: the data files, the built-in table, and their losses.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "xorscape/core/network.hpp"
#include "xorscape/core/parameters.hpp"

using namespace xorscape;

TEST_CASE("data/table2.txt holds Table 2 exactly as the library's printed rows") {
  std::ifstream in(std::string(XORSCAPE_SOURCE_DIR) + "/data/table2.txt");
  REQUIRE(in);
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    int number = 0;
    fields >> number;
    const auto& printed = published_solution(number).as_printed;
    for (int k = 0; k < 9; ++k) {
      double value = 0;
      fields >> value;
      CHECK(value == printed[k]);
    }
    ++rows;
  }
  CHECK(rows == 5);
}

TEST_CASE("Table 2 rows as printed: 1, 2 and 5 are solutions, 3 and 4 are not") {
  const XorLoss loss({2}, dataset_by_name("xor"));
  auto printed_loss = [&](int number) {
    const auto& row = published_solution(number).as_printed;
    return loss.value(Params(row.begin(), row.end()));
  };
  CHECK(printed_loss(1) == Approx(0.0013058).epsilon(1e-4));
  CHECK(printed_loss(2) == Approx(0.00082397).epsilon(1e-4));
  CHECK(printed_loss(5) == Approx(6.96835e-05).epsilon(1e-4));
  // Row 3 gets case (1,1) wrong (L = 1/4), row 4 cases (0,1) and (1,0) (L = 1/2).
  CHECK(printed_loss(3) == Approx(0.2501).epsilon(1e-3));
  CHECK(printed_loss(4) == Approx(0.5002).epsilon(1e-3));
}

TEST_CASE("every published solution the tools use has near-zero loss") {
  const XorLoss loss({2}, dataset_by_name("xor"));
  for (int number = 1; number <= 5; ++number) {
    INFO("solution " << number);
    const PublishedSolution& s = published_solution(number);
    CHECK(loss.value(s.parameters) < 0.002);
    for (double r : loss.example_losses(s.parameters)) CHECK(r < 0.01);
    CHECK(s.note.empty() == (number != 3 && number != 4));
  }
}

TEST_CASE("data/solution-N.txt files read back to the published solutions") {
  const ParameterLayout layout(2);
  for (int number = 1; number <= 5; ++number) {
    const Params p = read_parameter_file(std::string(XORSCAPE_SOURCE_DIR) + "/data/solution-" +
                                             std::to_string(number) + ".txt",
                                         layout);
    CHECK(p == published_solution(number).parameters);
  }
}

TEST_CASE("parameter assignments need every name once and finite values") {
  const ParameterLayout layout(2);
  const std::string full = "w1_11=1,w1_12=2,w1_21=3,w1_22=4,b1_1=5,b1_2=6,w2_11=7,w2_12=8,b2_1=9";
  CHECK(parse_parameter_assignments(full, layout) == Params{1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK_THROWS_WITH(parse_parameter_assignments("w1_11=1", layout), Catch::Contains("missing"));
  CHECK_THROWS_WITH(parse_parameter_assignments(full + ",w9_99=1", layout), Catch::Contains("w9_99"));
  CHECK_THROWS_WITH(parse_parameter_assignments(full + ",w1_11=2", layout), Catch::Contains("twice"));
  CHECK_THROWS_WITH(parse_parameter_assignments("w1_11=nan" + full.substr(7), layout),
                    Catch::Contains("finite"));
}
