#pragma once
// A thin RAII layer over the HDF5 C API: files written atomically (temporary name,
// renamed on commit), existing files changed atomically, groups, attributes, chunked +
// compressed datasets, dimension scales, datasets written a block of rows at a time,
// provenance, and the read side (tests, xorscape-export, parameter points, --resume).
// Errors throw std::runtime_error; HDF5's own error printing is switched off.
//
// Every dataset a tool writes has a dimension scale on every axis (netCDF readers such as
// xarray's h5netcdf engine need one, found in the dataset's group or an ancestor), written
// in one call with its meaning and units, as in H5Easy's dump:
//   g.write_scale("epoch", epochs, {"epochs (parameter updates) done"});
//   g.write("loss", losses, {{"epoch"}, "loss on the full nonrandomized batch"});
#include <hdf5.h>

#include <concepts>
#include <cstdint>
#include <type_traits>
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

// A dataset's shape given without scales ({rows, columns}); not constructible from a braced
// pair of strings, so a call with an Info ({{"epoch"}, "meaning"}) is never ambiguous.
struct Dims {
  std::vector<hsize_t> values;
  Dims() = default;
  Dims(std::initializer_list<hsize_t> dims) : values(dims) {}
  // Only an actual vector of sizes: a braced list of two strings must never become one (through
  // std::vector's iterator-pair constructor).
  template <class V>
    requires std::same_as<std::remove_cvref_t<V>, std::vector<hsize_t>>
  Dims(V&& dims) : values(std::forward<V>(dims)) {}
};

struct StorageOptions {
  // Chunk shape; empty means "choose": whole rows up to about 256 KiB per chunk.
  Dims chunk;
  int deflate_level = 1;  // 0 writes uncompressed (and unchunked when small)
  bool shuffle = true;
};

// How a dataset is described: the dimension scales of its axes (paths relative to the group
// it is written in, or absolute; their lengths give the shape), what it means and its units.
struct Info {
  std::vector<std::string> axes;
  std::string meaning;
  std::string units;
  StorageOptions storage{};
  // A constructor rather than an aggregate: {{"run", "parameter_names"}, "meaning"} leaves the
  // rest at its defaults without -Wmissing-field-initializers noise.
  Info(std::vector<std::string> axes_, std::string meaning_ = "", std::string units_ = "", StorageOptions storage_ = {})
      : axes(std::move(axes_)), meaning(std::move(meaning_)), units(std::move(units_)), storage(std::move(storage_)) {}
};

// How a dimension scale (a coordinate) is described.
struct ScaleInfo {
  std::string meaning;
  std::string units;
  ScaleInfo(std::string meaning_ = "", std::string units_ = "") : meaning(std::move(meaning_)), units(std::move(units_)) {}
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
  void write(const std::string& name, std::span<const double> data, const Dims& dims,
             const StorageOptions& storage = {}) const;
  void write(const std::string& name, std::span<const std::int64_t> data, const Dims& dims,
             const StorageOptions& storage = {}) const;
  void write(const std::string& name, std::span<const std::int32_t> data, const Dims& dims,
             const StorageOptions& storage = {}) const;
  void write_strings(const std::string& name, const std::vector<std::string>& values) const;
  // 1-D convenience.
  void write(const std::string& name, const std::vector<double>& data, const StorageOptions& storage = {}) const {
    write(name, data, {data.size()}, storage);
  }

  // Data labelled by dimension scales: one axis per scale in info.axes (shape from their lengths),
  // the scales attached, "meaning" and "units" set when not empty.
  void write(const std::string& name, std::span<const double> data, const Info& info) const;
  void write(const std::string& name, std::span<const std::int64_t> data, const Info& info) const;
  void write(const std::string& name, std::span<const std::int32_t> data, const Info& info) const;
  void write_strings(const std::string& name, const std::vector<std::string>& values, const Info& info) const;
  // A 1-D dimension scale (netCDF coordinate variable) named `name`.
  void write_scale(const std::string& name, std::span<const double> values, const ScaleInfo& info = {}) const;
  void write_scale(const std::string& name, std::span<const std::int64_t> values, const ScaleInfo& info = {}) const;
  void write_scale(const std::string& name, const std::vector<std::string>& labels, const ScaleInfo& info = {}) const;
  // 0, 1, ..., count - 1 as a scale (an index axis such as run or seed).
  void write_index_scale(const std::string& name, std::size_t count, const ScaleInfo& info = {}) const;
  // Makes an existing 1-D dataset a dimension scale (a coordinate) without rewriting it.
  void make_scale(const std::string& name) const;
  // Attaches scales (one per axis, as in Info::axes) to an existing dataset.
  void attach_scales(const std::string& data, const std::vector<std::string>& axes) const;
  // "meaning" and "units" of an existing object, when not empty.
  void describe(const std::string& object, const std::string& meaning, const std::string& units = "") const;

  // Makes dataset `scale` a dimension scale labelled `label` and attaches it to dimension
  // `dim` of dataset `data` (both paths relative to this group).
  void attach_scale(const std::string& data, const std::string& scale, unsigned dim, const std::string& label) const;
  // Names dimension `dim` of `data` (H5DSset_label) without a scale.
  void label_dimension(const std::string& data, unsigned dim, const std::string& label) const;

  std::vector<hsize_t> shape(const std::string& name) const;
  // The path of the dimension scale attached to axis `dim` of dataset `name` (empty if none),
  // and its values as numbers (index 0..n-1 for a string scale).
  std::string scale_path(const std::string& name, unsigned dim) const;
  std::vector<double> scale_values(const std::string& name, unsigned dim) const;
  bool is_dataset(const std::string& path) const;
  // Attributes of any object below this group ("." for the group itself).
  bool has_attribute_on(const std::string& object, const std::string& name) const;
  AttributeValue attribute_on(const std::string& object, const std::string& name) const;
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

// A dataset of (rows x columns) doubles written a block of whole rows at a time, for results
// too large to hold (slices streamed to disk). deflate_level 0: contiguous, no fill values.
class RowWriter {
 public:
  RowWriter(const Group& group, const std::string& name, hsize_t rows, hsize_t columns, hsize_t chunk_rows,
            int deflate_level);
  void write(hsize_t first_row, hsize_t rows, const double* data);

 private:
  std::string name_;
  hsize_t columns_;
  Handle dataset_;
};

// The temporary name a file is written under before it is renamed into place:
// ".NAME.tmp<pid>" in the same folder (rename is then atomic).
std::filesystem::path temporary_path(const std::filesystem::path& path);
// Removes ".NAME.tmp<pid>" files of `path` left by processes that no longer run (a run
// killed with SIGKILL cannot clean up after itself). Returns how many were removed.
int remove_stale_temporaries(const std::filesystem::path& path);

// A file being written: created under a temporary name in the target folder and renamed
// to the real name by commit(). Destroyed without commit (exception, signal-driven stop),
// the temporary is removed and nothing appears under the real name. Stale temporaries of
// the same name from killed runs are removed first.
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

// An existing file changed atomically: copied to a temporary in the same folder, changed
// there, and renamed over the original by commit(). Destroyed without commit (exception,
// signal-driven stop) the temporary is removed and the original is untouched.
class UpdateFile {
 public:
  explicit UpdateFile(std::filesystem::path path);
  UpdateFile(const UpdateFile&) = delete;
  UpdateFile& operator=(const UpdateFile&) = delete;
  ~UpdateFile();
  const Group& root() const { return root_; }
  const std::filesystem::path& temporary() const { return temporary_; }
  void commit();

 private:
  std::filesystem::path path_;
  std::filesystem::path temporary_;
  Group root_;
  bool committed_ = false;
};

// True when `path` is an HDF5 file (its signature), without opening it as one.
bool is_hdf5_file(const std::filesystem::path& path);

// The current UTC time as ISO 8601 ("2026-11-23T04:50:00Z").
std::string utc_now();

}  // namespace xorscape::h5
