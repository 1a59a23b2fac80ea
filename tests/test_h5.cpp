// The HDF5 layer: atomic output, no clobbering, attributes, dimension scales, read-back.
#include <catch2/catch.hpp>

#include <filesystem>

#include "xorscape/io/h5.hpp"

using namespace xorscape;
namespace fs = std::filesystem;

namespace {
fs::path fresh_folder(const std::string& name) {
  const fs::path folder = fs::temp_directory_path() / ("xorscape-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}
}  // namespace

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
