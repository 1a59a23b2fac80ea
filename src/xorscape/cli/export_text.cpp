#include "xorscape/cli/export_text.hpp"

#include <hdf5.h>

#include <stdexcept>
#include <variant>

namespace xorscape::cli {

ExportFormat parse_export_format(const std::string& text) {
  if (text == "columns") return ExportFormat::columns;
  if (text == "matrix") return ExportFormat::matrix;
  if (text == "triples") return ExportFormat::triples;
  throw std::invalid_argument("'" + text + "' is not columns, matrix or triples");
}

namespace {

bool is_string_dataset(const h5::Group& root, const std::string& path) {
  const hid_t d = H5Dopen2(root.id(), path.c_str(), H5P_DEFAULT);
  if (d < 0) return false;
  const h5::Handle dataset(d, H5Dclose);
  const h5::Handle type(H5Dget_type(dataset.id()), H5Tclose);
  return H5Tget_class(type.id()) == H5T_STRING;
}

std::vector<double> scale_or_index(const h5::Group& root, const std::string& path, unsigned dim, size_t n) {
  std::vector<double> scale = root.scale_values(path, dim);
  if (scale.size() != n) {
    scale.resize(n);
    for (size_t i = 0; i < n; ++i) scale[i] = static_cast<double>(i);
  }
  return scale;
}

}  // namespace

void print_dataset(std::FILE* out, const h5::Group& root, const std::string& label, const std::string& path,
                   ExportFormat format, int stride) {
  const auto shape = root.shape(path);
  std::fprintf(out, "# %s:%s shape", label.c_str(), path.c_str());
  for (auto d : shape) std::fprintf(out, " %llu", static_cast<unsigned long long>(d));
  std::fprintf(out, "\n");
  if (is_string_dataset(root, path)) {
    for (const std::string& s : root.read_strings(path)) std::fprintf(out, "%s\n", s.c_str());
    return;
  }
  const auto data = root.read_doubles(path);
  if (shape.size() <= 1) {
    const bool scaled = !root.scale_path(path, 0).empty() && root.scale_path(path, 0) != "/" + path &&
                        root.scale_path(path, 0) != path;
    const auto scale = scaled ? root.scale_values(path, 0) : std::vector<double>{};
    for (size_t i = 0; i < data.size(); i += stride) {
      if (!scale.empty()) std::fprintf(out, "%.17g ", scale[i]);
      std::fprintf(out, "%.17g\n", data[i]);
    }
    return;
  }
  if (shape.size() != 2) throw std::invalid_argument("only 1-D and 2-D datasets can be exported");
  const size_t rows = shape[0], cols = shape[1];
  const auto row_scale = scale_or_index(root, path, 0, rows);
  const auto col_scale = scale_or_index(root, path, 1, cols);
  if (format == ExportFormat::columns) {
    for (size_t i = 0; i < rows; i += stride) {
      for (size_t j = 0; j < cols; j += stride) std::fprintf(out, j ? " %.17g" : "%.17g", data[i * cols + j]);
      std::fprintf(out, "\n");
    }
  } else if (format == ExportFormat::matrix) {
    // gnuplot "nonuniform matrix": first row N and the column coordinates, then each row
    // starting with its row coordinate. Columns run along x.
    std::fprintf(out, "%zu", (cols + stride - 1) / stride);
    for (size_t j = 0; j < cols; j += stride) std::fprintf(out, " %.10g", col_scale[j]);
    std::fprintf(out, "\n");
    for (size_t i = 0; i < rows; i += stride) {
      std::fprintf(out, "%.10g", row_scale[i]);
      for (size_t j = 0; j < cols; j += stride) std::fprintf(out, " %.10g", data[i * cols + j]);
      std::fprintf(out, "\n");
    }
  } else {
    for (size_t i = 0; i < rows; i += stride) {
      for (size_t j = 0; j < cols; j += stride)
        std::fprintf(out, "%.10g %.10g %.10g\n", col_scale[j], row_scale[i], data[i * cols + j]);
      std::fprintf(out, "\n");
    }
  }
}

void print_attribute(std::FILE* out, const h5::Group& root, const std::string& object, const std::string& name) {
  if (!root.has_attribute_on(object, name))
    throw std::invalid_argument("'" + object + "' has no attribute '" + name + "'");
  const h5::AttributeValue value = root.attribute_on(object, name);
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::int64_t>) std::fprintf(out, "%lld\n", static_cast<long long>(v));
        else if constexpr (std::is_same_v<T, double>) std::fprintf(out, "%.17g\n", v);
        else if constexpr (std::is_same_v<T, std::string>) std::fprintf(out, "%s\n", v.c_str());
        else {
          bool first = true;
          for (const auto& x : v) {
            if (!first) std::fprintf(out, " ");
            first = false;
            if constexpr (std::is_same_v<T, std::vector<std::string>>) std::fprintf(out, "%s", x.c_str());
            else if constexpr (std::is_same_v<T, std::vector<double>>) std::fprintf(out, "%.17g", x);
            else std::fprintf(out, "%lld", static_cast<long long>(x));
          }
          std::fprintf(out, "\n");
        }
      },
      value);
}

void print_listing(std::FILE* out, const h5::Group& root) {
  struct Walk {
    std::FILE* out;
    const h5::Group& root;
    void operator()(const std::string& prefix) const {
      const h5::Group group = prefix.empty() ? root.open_group(".") : root.open_group(prefix);
      for (const std::string& name : group.members()) {
        const std::string path = prefix + "/" + name;
        if (root.is_dataset(path)) {
          std::fprintf(out, "%s", path.c_str());
          for (auto d : root.shape(path)) std::fprintf(out, " %llu", static_cast<unsigned long long>(d));
          std::fprintf(out, "\n");
        } else {
          (*this)(path);
        }
      }
    }
  };
  Walk{out, root}("");
}

}  // namespace xorscape::cli
