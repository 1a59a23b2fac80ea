#pragma once
// A thin RAII layer over the HDF5 C API: files written atomically (temporary name,
// renamed on commit), groups, attributes, chunked + compressed datasets, dimension
// scales, provenance, and the read side used by tests and xorscape-export.
// Errors throw std::runtime_error; HDF5's own error printing is switched off.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <variant>
#include <string>
#include <vector>

namespace xorscape::h5 {

// Owns one HDF5 identifier and closes it with the matching H5*close.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer);
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  ~Handle();
  hid_t id() const { return id_; }
  void reset();

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

struct StorageOptions {
  // Chunk shape; empty means "choose": whole rows up to about 256 KiB per chunk.
  std::vector<hsize_t> chunk;
  int deflate_level = 1;  // 0 writes uncompressed (and unchunked when small)
  bool shuffle = true;
};

using AttributeValue = std::variant<std::int64_t, double, std::string, std::vector<double>, std::vector<std::int64_t>,
                                    std::vector<std::string>>;

// A group (the file's root is a group too).
class Group {
 public:
  Group() = default;
  explicit Group(Handle handle) : handle_(std::move(handle)) {}
  hid_t id() const { return handle_.id(); }

  Group create_group(const std::string& path) const;
  Group open_group(const std::string& path) const;
  bool exists(const std::string& path) const;
  std::vector<std::string> members() const;

  void set_attribute(const std::string& name, const AttributeValue& value) const;
  void set_attribute_on(const std::string& object, const std::string& name, const AttributeValue& value) const;
  bool has_attribute(const std::string& name) const;
  std::vector<std::string> attribute_names() const;
  AttributeValue attribute(const std::string& name) const;
  double attribute_double(const std::string& name) const;
  std::int64_t attribute_int(const std::string& name) const;
  std::string attribute_string(const std::string& name) const;

  // Datasets: data is row-major with the given shape (product of dims == data.size()).
  void write(const std::string& name, std::span<const double> data, const std::vector<hsize_t>& dims,
             const StorageOptions& storage = {}) const;
  void write(const std::string& name, std::span<const std::int64_t> data, const std::vector<hsize_t>& dims,
             const StorageOptions& storage = {}) const;
  void write(const std::string& name, std::span<const std::int32_t> data, const std::vector<hsize_t>& dims,
             const StorageOptions& storage = {}) const;
  void write_strings(const std::string& name, const std::vector<std::string>& values) const;
  // 1-D convenience.
  void write(const std::string& name, const std::vector<double>& data, const StorageOptions& storage = {}) const {
    write(name, data, {data.size()}, storage);
  }

  // Makes dataset `scale` a dimension scale labelled `label` and attaches it to dimension
  // `dim` of dataset `data` (both paths relative to this group).
  void attach_scale(const std::string& data, const std::string& scale, unsigned dim, const std::string& label) const;
  // Names dimension `dim` of `data` (H5DSset_label) without a scale.
  void label_dimension(const std::string& data, unsigned dim, const std::string& label) const;

  std::vector<hsize_t> shape(const std::string& name) const;
  std::vector<double> read_doubles(const std::string& name) const;  // any numeric type, converted
  std::vector<std::int64_t> read_ints(const std::string& name) const;
  std::vector<std::string> read_strings(const std::string& name) const;

 private:
  Handle handle_;
};

struct Provenance {
  std::string tool;
  std::string command_line;
  std::uint64_t seed = 0;
  int threads = 1;
  // The resolved configuration: every option and its value.
  std::map<std::string, AttributeValue> configuration;
};

// A file being written: created under a temporary name in the target folder and renamed
// to the real name by commit(). Destroyed without commit (exception, signal-driven stop),
// the temporary is removed and nothing appears under the real name.
class OutputFile {
 public:
  // Throws std::runtime_error if `path` exists and !overwrite, or the folder is missing.
  OutputFile(std::filesystem::path path, bool overwrite);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();
  const Group& root() const { return root_; }
  const std::filesystem::path& path() const { return path_; }
  void write_provenance(const Provenance& provenance) const;
  void commit();

 private:
  std::filesystem::path path_;
  std::filesystem::path temporary_;
  Group root_;
  bool overwrite_;
  bool committed_ = false;
};

class InputFile {
 public:
  explicit InputFile(const std::filesystem::path& path);
  const Group& root() const { return root_; }

 private:
  Group root_;
};

// The current UTC time as ISO 8601 ("2026-11-23T04:50:00Z").
std::string utc_now();

}  // namespace xorscape::h5
