// core/ranks.hpp in one process (the MPI path itself: tests/e2e_mpi_census.sh under mpirun).
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "xorscape/core/ranks.hpp"

using namespace xorscape;

TEST_CASE("ranks: one process owns every unit and gathers its own bytes", "[ranks]") {
  REQUIRE(ranks::size() == 1);
  REQUIRE(ranks::rank() == 0);
  REQUIRE(ranks::is_root());
  for (std::int64_t u : {0, 1, 7, 1000}) REQUIRE(ranks::owns(u));
  REQUIRE(ranks::any(true));
  REQUIRE_FALSE(ranks::any(false));
  const std::vector<std::byte> mine{std::byte{1}, std::byte{2}, std::byte{3}};
  const auto all = ranks::all_gather(mine);
  REQUIRE(all.size() == 1);
  REQUIRE(all[0] == mine);
}

TEST_CASE("ranks: packed values and vectors read back in order, bit for bit", "[ranks]") {
  ranks::Packer out;
  const std::vector<double> point{0.1, -2.5e-300, 1.0 / 3.0};
  const std::vector<int> empty;
  out.put(std::int64_t{-42});
  out.put(point);
  out.put(std::uint8_t{7});
  out.put(empty);
  out.put(3.25);
  ranks::Unpacker in(out.bytes());
  REQUIRE(in.get<std::int64_t>() == -42);
  const auto back = in.get_vector<double>();
  REQUIRE(back == point);
  REQUIRE(in.get<std::uint8_t>() == 7);
  REQUIRE(in.get_vector<int>().empty());
  REQUIRE_FALSE(in.done());
  REQUIRE(in.get<double>() == 3.25);
  REQUIRE(in.done());
  // Reading past the end is an error, not garbage.
  REQUIRE_THROWS_AS(in.get<int>(), std::runtime_error);
  std::vector<std::byte> truncated(out.bytes().begin(), out.bytes().begin() + 12);
  ranks::Unpacker short_in(truncated);
  short_in.get<std::int64_t>();
  REQUIRE_THROWS_AS(short_in.get_vector<double>(), std::runtime_error);
}

TEST_CASE("ranks: a build without MPI refuses a launch with several ranks", "[ranks]") {
  // The environment of an Open MPI launch with 2 ranks, seen by a process that is not in one.
  REQUIRE_FALSE(ranks::launched_with_several());
  setenv("OMPI_COMM_WORLD_SIZE", "2", 1);
  const bool several = ranks::launched_with_several();
  unsetenv("OMPI_COMM_WORLD_SIZE");
  REQUIRE(several);
  setenv("SLURM_STEP_NUM_TASKS", "1", 1);
  const bool one = ranks::launched_with_several();
  unsetenv("SLURM_STEP_NUM_TASKS");
  REQUIRE_FALSE(one);
}
