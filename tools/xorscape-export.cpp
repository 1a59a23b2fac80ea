// xorscape-export FILE DATASET: prints an HDF5 dataset as text for gnuplot.
// 1-D: one value per line, with its dimension scale as first column when one is attached.
// 2-D: rows as lines (--format columns), or gnuplot's nonuniform matrix (--format matrix)
// with the axis scales in the first row and column, or x y z triples (--format triples).
#include <hdf5_hl.h>

#include <cstdio>
#include <iostream>

#include "xorscape/cli/cli.hpp"

using namespace xorscape;

namespace {

// The dimension scale attached to dimension `dim` of `dataset`, if any.
std::vector<double> attached_scale(const h5::Group& root, const std::string& dataset, unsigned dim) {
  h5::Handle d(H5Dopen2(root.id(), dataset.c_str(), H5P_DEFAULT), H5Dclose);
  if (d.id() < 0 || H5DSget_num_scales(d.id(), dim) <= 0) return {};
  std::vector<double> values;
  H5DSiterate_scales(
      d.id(), dim, nullptr,
      [](hid_t, unsigned, hid_t scale, void* out) -> herr_t {
        h5::Handle space(H5Dget_space(scale), H5Sclose);
        auto* v = static_cast<std::vector<double>*>(out);
        v->resize(static_cast<size_t>(H5Sget_simple_extent_npoints(space.id())));
        H5Dread(scale, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v->data());
        return 1;
      },
      &values);
  return values;
}

}  // namespace

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-export", "print an HDF5 dataset as text columns or a gnuplot matrix");
  tool.options().add_options()
      ("file", cli::po::value<std::string>()->required(), "HDF5 file")
      ("dataset", cli::po::value<std::string>()->required(), "dataset path inside the file")
      ("format", cli::po::value<std::string>()->default_value("columns"), "columns | matrix | triples")
      ("stride", cli::po::value<int>()->default_value(1), "print every N-th element along each axis");
  tool.positional().add("file", 1).add("dataset", 1);
  return tool.run(argc, argv, [&] {
    const std::string format = tool.get<std::string>("format");
    if (format != "columns" && format != "matrix" && format != "triples")
      throw cli::UsageError("--format", "'" + format + "' is not columns, matrix or triples");
    const int stride = static_cast<int>(cli::require_at_least("--stride", tool.get<int>("stride"), 1));
    std::unique_ptr<h5::InputFile> file;
    try {
      file = std::make_unique<h5::InputFile>(tool.get<std::string>("file"));
    } catch (const std::exception& e) {
      throw cli::UsageError("file", e.what());
    }
    const std::string name = tool.get<std::string>("dataset");
    if (!file->root().exists(name)) throw cli::UsageError("dataset", "'" + name + "' is not in the file");
    const auto shape = file->root().shape(name);
    const auto data = file->root().read_doubles(name);
    std::printf("# %s:%s shape", tool.get<std::string>("file").c_str(), name.c_str());
    for (auto d : shape) std::printf(" %llu", static_cast<unsigned long long>(d));
    std::printf("\n");
    if (shape.size() <= 1) {
      const auto scale = attached_scale(file->root(), name, 0);
      for (size_t i = 0; i < data.size(); i += stride) {
        if (!scale.empty()) std::printf("%.17g ", scale[i]);
        std::printf("%.17g\n", data[i]);
      }
      return 0;
    }
    if (shape.size() != 2) throw cli::UsageError("dataset", "only 1-D and 2-D datasets can be exported");
    const size_t rows = shape[0], cols = shape[1];
    auto row_scale = attached_scale(file->root(), name, 0);
    auto col_scale = attached_scale(file->root(), name, 1);
    if (row_scale.size() != rows) {
      row_scale.resize(rows);
      for (size_t i = 0; i < rows; ++i) row_scale[i] = static_cast<double>(i);
    }
    if (col_scale.size() != cols) {
      col_scale.resize(cols);
      for (size_t j = 0; j < cols; ++j) col_scale[j] = static_cast<double>(j);
    }
    if (format == "columns") {
      for (size_t i = 0; i < rows; i += stride) {
        for (size_t j = 0; j < cols; j += stride) std::printf(j ? " %.17g" : "%.17g", data[i * cols + j]);
        std::printf("\n");
      }
    } else if (format == "matrix") {
      // gnuplot "nonuniform matrix": first row is N then the column coordinates,
      // each following row starts with its row coordinate. Columns run along x.
      std::printf("%zu", (cols + stride - 1) / stride);
      for (size_t j = 0; j < cols; j += stride) std::printf(" %.10g", col_scale[j]);
      std::printf("\n");
      for (size_t i = 0; i < rows; i += stride) {
        std::printf("%.10g", row_scale[i]);
        for (size_t j = 0; j < cols; j += stride) std::printf(" %.10g", data[i * cols + j]);
        std::printf("\n");
      }
    } else {
      for (size_t i = 0; i < rows; i += stride) {
        for (size_t j = 0; j < cols; j += stride)
          std::printf("%.10g %.10g %.10g\n", col_scale[j], row_scale[i], data[i * cols + j]);
        std::printf("\n");
      }
    }
    return 0;
  });
}
