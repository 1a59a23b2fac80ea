// The HDF5 layer: atomic output, no clobbering, attributes, dimension scales, read-back.
#include <catch2/catch.hpp>

#include "test_support.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "xorscape/io/h5.hpp"

using namespace xorscape;
using testing::fresh_folder;
namespace fs = std::filesystem;

TEST_CASE("an output file appears under its name only after commit") {
  const fs::path folder = fresh_folder("atomic");
  const fs::path path = folder / "result.h5";
  {
    h5::OutputFile file(path, false);
    file.root().write("values", std::vector<double>{1, 2, 3});
    CHECK_FALSE(fs::exists(path));
  }  // destroyed without commit: as if interrupted
  CHECK_FALSE(fs::exists(path));
  CHECK(fs::is_empty(folder));
  {
    h5::OutputFile file(path, false);
    file.root().write("values", std::vector<double>{1, 2, 3});
    file.commit();
  }
  CHECK(fs::exists(path));
  CHECK_THROWS_WITH(h5::OutputFile(path, false), Catch::Contains("--force"));
  CHECK_NOTHROW(h5::OutputFile(path, true));
  fs::remove_all(folder);
}

TEST_CASE("datasets, attributes, provenance and dimension scales read back") {
  const fs::path folder = fresh_folder("layout");
  const fs::path path = folder / "layout.h5";
  {
    h5::OutputFile file(path, false);
    h5::Provenance provenance{"xorscape-test", "xorscape-test --seed 5", 5, 2, {{"option:eta", 0.25}}};
    file.write_provenance(provenance);
    const h5::Group plane = file.root().create_group("planes/b1_1,b2_1");
    std::vector<double> loss(300 * 200);
    for (size_t i = 0; i < loss.size(); ++i) loss[i] = 0.001 * static_cast<double>(i % 1000);
    plane.write("loss", loss, {300, 200});
    std::vector<double> rows(300), cols(200);
    for (int i = 0; i < 300; ++i) rows[i] = -15 + 0.1 * i;
    for (int j = 0; j < 200; ++j) cols[j] = -10 + 0.1 * j;
    plane.write("delta_b2_1", rows);
    plane.write("delta_b1_1", cols);
    plane.attach_scale("loss", "delta_b2_1", 0, "delta b2_1");
    plane.attach_scale("loss", "delta_b1_1", 1, "delta b1_1");
    plane.set_attribute("center", std::vector<double>{1, 2, 3});
    plane.set_attribute("units", std::string("dimensionless"));
    plane.write_strings("names", {"a", "bb", "ccc"});
    file.commit();
  }
  h5::InputFile file(path);
  const h5::Group& root = file.root();
  CHECK(root.attribute_string("tool") == "xorscape-test");
  CHECK(root.attribute_int("seed") == 5);
  CHECK(root.attribute_int("threads") == 2);
  CHECK(root.attribute_double("option:eta") == 0.25);
  for (const char* name : {"version", "git_commit", "command_line", "created_utc"}) CHECK(root.has_attribute(name));
  REQUIRE(root.exists("planes/b1_1,b2_1/loss"));
  CHECK_FALSE(root.exists("planes/nothing/loss"));
  CHECK(root.exists("/planes/b1_1,b2_1/loss"));
  CHECK(root.exists("/planes//b1_1,b2_1/"));
  CHECK_FALSE(root.exists("/planes/nothing"));
  CHECK(root.exists("/"));
  const h5::Group plane = root.open_group("planes/b1_1,b2_1");
  CHECK(plane.shape("loss") == std::vector<hsize_t>{300, 200});
  const auto loss = plane.read_doubles("loss");
  CHECK(loss[12345] == Approx(0.345));
  CHECK(std::get<std::vector<double>>(plane.attribute("center")) == std::vector<double>{1, 2, 3});
  CHECK(plane.read_strings("names") == std::vector<std::string>{"a", "bb", "ccc"});
  CHECK(plane.attribute_string("units") == "dimensionless");
  fs::remove_all(folder);
}

TEST_CASE("a dataset written with its axes has a scale on every axis, its meaning and units") {
  const fs::path folder = fresh_folder("axes");
  const fs::path path = folder / "axes.h5";
  {
    h5::OutputFile file(path, false);
    const h5::Group& root = file.root();
    root.write_scale("parameter_names", std::vector<std::string>{"a", "b", "c"}, {"names"});
    const h5::Group runs = root.create_group("runs");
    runs.write_index_scale("run", 2, {"run index"});
    runs.write("final", std::vector<double>{1, 2, 3, 4, 5, 6}, {{"run", "/parameter_names"}, "final values", "m"});
    runs.write("epochs", std::span<const std::int64_t>(std::vector<std::int64_t>{7, 8}), {{"run"}});
    CHECK_THROWS_AS(runs.write("wrong", std::vector<double>{1, 2, 3}, {{"run"}}), std::invalid_argument);
    CHECK_THROWS_AS(runs.write("missing", std::vector<double>{1, 2}, {{"nowhere"}}), std::invalid_argument);
    file.commit();
  }
  h5::InputFile file(path);
  const h5::Group runs = file.root().open_group("runs");
  CHECK(runs.shape("final") == std::vector<hsize_t>{2, 3});
  CHECK(runs.scale_path("final", 0) == "/runs/run");
  CHECK(runs.scale_path("final", 1) == "/parameter_names");
  CHECK(runs.scale_values("final", 0) == std::vector<double>{0, 1});
  CHECK(runs.scale_values("final", 1) == std::vector<double>{0, 1, 2});  // string scale: index
  CHECK(std::get<std::string>(runs.attribute_on("final", "meaning")) == "final values");
  CHECK(std::get<std::string>(runs.attribute_on("final", "units")) == "m");
  CHECK(runs.read_ints("epochs") == std::vector<std::int64_t>{7, 8});
  CHECK(runs.scale_path("epochs", 1).empty());  // no such axis
  CHECK(runs.is_dataset("final"));
  CHECK_FALSE(runs.is_dataset("nothing"));
  CHECK_FALSE(file.root().is_dataset("runs"));
  fs::remove_all(folder);
}

TEST_CASE("a dataset streamed a block of rows at a time reads back whole") {
  const fs::path folder = fresh_folder("rows");
  const fs::path path = folder / "rows.h5";
  for (int deflate : {0, 1}) {
    {
      h5::OutputFile file(path, true);
      h5::RowWriter writer(file.root(), "grid", 5, 3, 2, deflate);
      const std::vector<double> first{0, 1, 2, 3, 4, 5}, second{6, 7, 8, 9, 10, 11}, last{12, 13, 14};
      writer.write(0, 2, first.data());
      writer.write(2, 2, second.data());
      writer.write(4, 1, last.data());
      file.commit();
    }
    h5::InputFile file(path);
    std::vector<double> expected(15);
    for (int i = 0; i < 15; ++i) expected[i] = i;
    CHECK(file.root().read_doubles("grid") == expected);
  }
  fs::remove_all(folder);
}

TEST_CASE("temporaries of runs that no longer exist are removed, a live run's are kept") {
  const fs::path folder = fresh_folder("stale");
  const fs::path path = folder / "out.h5";
  // A pid far above any real one (pid_max is at most 2^22): a killed run's leftover.
  const fs::path dead = folder / ".out.h5.tmp4999999";
  const fs::path alive = folder / (".out.h5.tmp" + std::to_string(::getppid()));
  const fs::path other = folder / ".other.h5.tmp4999999";
  for (const auto& p : {dead, alive, other}) std::ofstream(p) << "x";
  CHECK(h5::remove_stale_temporaries(path) == 1);
  CHECK_FALSE(fs::exists(dead));
  CHECK(fs::exists(alive));
  CHECK(fs::exists(other));
  // An OutputFile cleans up before it starts writing.
  std::ofstream(dead) << "x";
  {
    h5::OutputFile file(path, true);
    CHECK_FALSE(fs::exists(dead));
  }
  CHECK(h5::temporary_path(path).filename().string() == ".out.h5.tmp" + std::to_string(::getpid()));
  fs::remove_all(folder);
}

TEST_CASE("an update abandoned before commit leaves the file untouched; a committed one changes it") {
  const fs::path folder = fresh_folder("update");
  const fs::path path = folder / "file.h5";
  {
    h5::OutputFile file(path, false);
    file.root().write("a", std::vector<double>{1});
    file.commit();
  }
  {
    h5::UpdateFile update(path);
    update.root().write("b", std::vector<double>{2});
  }
  CHECK_FALSE(h5::InputFile(path).root().exists("b"));
  {
    h5::UpdateFile update(path);
    update.root().write("b", std::vector<double>{2});
    update.commit();
  }
  CHECK(h5::InputFile(path).root().read_doubles("b") == std::vector<double>{2});
  std::ofstream(folder / "text.h5") << "not hdf5";
  CHECK_THROWS_WITH(h5::UpdateFile(folder / "text.h5"), Catch::Contains("not an HDF5 file"));
  CHECK_THROWS_WITH(h5::InputFile(folder / "text.h5"), Catch::Contains("not an HDF5 file"));
  CHECK(h5::is_hdf5_file(path));
  CHECK_FALSE(h5::is_hdf5_file(folder / "text.h5"));
  CHECK(fs::directory_iterator(folder) != fs::directory_iterator());
  for (const auto& entry : fs::directory_iterator(folder)) CHECK(entry.path().filename().string().find(".tmp") == std::string::npos);
  fs::remove_all(folder);
}
