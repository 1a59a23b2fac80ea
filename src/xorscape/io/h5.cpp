#include "xorscape/io/h5.hpp"

#include <hdf5_hl.h>
#include "xorscape/version.hpp"
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <numeric>
#include <stdexcept>

namespace xorscape::h5 {

namespace {

// HDF5 prints an error stack on every failure unless told not to; we report through exceptions.
struct SilenceHdf5 {
  SilenceHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }
};
const SilenceHdf5 silence_hdf5;

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) throw std::runtime_error("HDF5: cannot " + what);
  return id;
}
void check_status(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5: cannot " + what);
}

Handle make_space(const std::vector<hsize_t>& dims) {
  if (dims.empty()) return Handle(check(H5Screate(H5S_SCALAR), "create dataspace"), H5Sclose);
  return Handle(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "create dataspace"),
                H5Sclose);
}

Handle string_type() {
  Handle type(check(H5Tcopy(H5T_C_S1), "copy string type"), H5Tclose);
  check_status(H5Tset_size(type.id(), H5T_VARIABLE), "set string size");
  check_status(H5Tset_cset(type.id(), H5T_CSET_UTF8), "set string charset");
  return type;
}

// Chunked and compressed when asked for and the data is not tiny; the default chunk
// keeps whole trailing rows and aims at about 256 KiB.
Handle make_creation_properties(const std::vector<hsize_t>& dims, size_t element_size, const StorageOptions& storage) {
  Handle plist(check(H5Pcreate(H5P_DATASET_CREATE), "create property list"), H5Pclose);
  const hsize_t count = std::accumulate(dims.begin(), dims.end(), hsize_t{1}, std::multiplies<>());
  if (dims.empty() || count * element_size < 4096 || storage.deflate_level <= 0) return plist;
  std::vector<hsize_t> chunk = storage.chunk;
  if (chunk.size() != dims.size()) {
    chunk = dims;
    const hsize_t target = (256 * 1024) / element_size;
    for (size_t d = 0; d < chunk.size(); ++d) {
      hsize_t rest = 1;
      for (size_t e = d + 1; e < chunk.size(); ++e) rest *= chunk[e];
      chunk[d] = std::clamp<hsize_t>(target / std::max<hsize_t>(rest, 1), 1, dims[d]);
    }
  }
  for (size_t d = 0; d < chunk.size(); ++d) chunk[d] = std::clamp<hsize_t>(chunk[d], 1, std::max<hsize_t>(dims[d], 1));
  check_status(H5Pset_chunk(plist.id(), static_cast<int>(chunk.size()), chunk.data()), "set chunk");
  if (storage.shuffle) check_status(H5Pset_shuffle(plist.id()), "set shuffle");
  check_status(H5Pset_deflate(plist.id(), static_cast<unsigned>(storage.deflate_level)), "set deflate");
  return plist;
}

void write_numeric(hid_t group, const std::string& name, hid_t file_type, hid_t memory_type, const void* data,
                   size_t size, size_t element_size, const std::vector<hsize_t>& dims, const StorageOptions& storage) {
  const hsize_t count = std::accumulate(dims.begin(), dims.end(), hsize_t{1}, std::multiplies<>());
  if (count != size) throw std::invalid_argument("HDF5 dataset '" + name + "': shape does not match data size");
  Handle space = make_space(dims);
  Handle plist = make_creation_properties(dims, element_size, storage);
  Handle dataset(check(H5Dcreate2(group, name.c_str(), file_type, space.id(), H5P_DEFAULT, plist.id(), H5P_DEFAULT),
                       "create dataset '" + name + "'"),
                 H5Dclose);
  if (count > 0)
    check_status(H5Dwrite(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write '" + name + "'");
}

template <typename T>
std::vector<T> read_numeric(hid_t group, const std::string& name, hid_t memory_type) {
  Handle dataset(check(H5Dopen2(group, name.c_str(), H5P_DEFAULT), "open dataset '" + name + "'"), H5Dclose);
  Handle space(check(H5Dget_space(dataset.id()), "get dataspace"), H5Sclose);
  const hssize_t count = H5Sget_simple_extent_npoints(space.id());
  std::vector<T> values(static_cast<size_t>(std::max<hssize_t>(count, 0)));
  if (!values.empty())
    check_status(H5Dread(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                 "read '" + name + "'");
  return values;
}

std::vector<std::string> read_string_array(hid_t object, bool is_attribute, const std::string& what) {
  Handle space(check(is_attribute ? H5Aget_space(object) : H5Dget_space(object), "get dataspace"), H5Sclose);
  const hssize_t count = std::max<hssize_t>(H5Sget_simple_extent_npoints(space.id()), 0);
  Handle file_type(check(is_attribute ? H5Aget_type(object) : H5Dget_type(object), "get type"), H5Tclose);
  std::vector<std::string> values;
  if (H5Tis_variable_str(file_type.id()) > 0) {
    Handle memory = string_type();
    std::vector<char*> raw(count, nullptr);
    check_status(is_attribute ? H5Aread(object, memory.id(), raw.data())
                              : H5Dread(object, memory.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()),
                 "read " + what);
    for (char* s : raw) values.emplace_back(s ? s : "");
    H5Dvlen_reclaim(memory.id(), space.id(), H5P_DEFAULT, raw.data());
  } else {
    const size_t width = H5Tget_size(file_type.id());
    std::vector<char> raw(count * width + 1, '\0');
    Handle memory(check(H5Tcopy(H5T_C_S1), "copy string type"), H5Tclose);
    H5Tset_size(memory.id(), width);
    check_status(is_attribute ? H5Aread(object, memory.id(), raw.data())
                              : H5Dread(object, memory.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()),
                 "read " + what);
    for (hssize_t i = 0; i < count; ++i) {
      std::string s(raw.data() + i * width, width);
      s.erase(std::find(s.begin(), s.end(), '\0'), s.end());
      values.push_back(s);
    }
  }
  return values;
}

}  // namespace

Handle::Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
Handle::Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    closer_ = other.closer_;
    other.id_ = -1;
  }
  return *this;
}
Handle::~Handle() { reset(); }
void Handle::reset() {
  if (id_ >= 0 && closer_) closer_(id_);
  id_ = -1;
}

Group Group::create_group(const std::string& path) const {
  Handle lcpl(check(H5Pcreate(H5P_LINK_CREATE), "create link property list"), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.id(), 1);
  return Group(Handle(check(H5Gcreate2(id(), path.c_str(), lcpl.id(), H5P_DEFAULT, H5P_DEFAULT),
                            "create group '" + path + "'"),
                      H5Gclose));
}

Group Group::open_group(const std::string& path) const {
  return Group(Handle(check(H5Gopen2(id(), path.c_str(), H5P_DEFAULT), "open group '" + path + "'"), H5Gclose));
}

bool Group::exists(const std::string& path) const {
  // Walk the path one link at a time: H5Lexists fails on a missing intermediate.
  // An absolute path ("/planes/x") starts from the file's root; empty components are skipped.
  std::string partial = (!path.empty() && path.front() == '/') ? "/" : "";
  size_t start = 0;
  bool any = false;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const std::string component = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!component.empty()) {
      if (any) partial += '/';
      partial += component;
      any = true;
      if (H5Lexists(id(), partial.c_str(), H5P_DEFAULT) <= 0) return false;
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return any || partial == "/";
}

std::vector<std::string> Group::members() const {
  H5G_info_t info;
  check_status(H5Gget_info(id(), &info), "get group info");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t length = H5Lget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<size_t>(std::max<ssize_t>(length, 0)), '\0');
    H5Lget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size() + 1, H5P_DEFAULT);
    names.push_back(name);
  }
  return names;
}

void Group::set_attribute(const std::string& name, const AttributeValue& value) const {
  set_attribute_on(".", name, value);
}

void Group::set_attribute_on(const std::string& object, const std::string& name, const AttributeValue& value) const {
  if (H5Aexists_by_name(id(), object.c_str(), name.c_str(), H5P_DEFAULT) > 0)
    H5Adelete_by_name(id(), object.c_str(), name.c_str(), H5P_DEFAULT);
  auto create = [&](hid_t type, const std::vector<hsize_t>& dims) {
    Handle space = make_space(dims);
    return Handle(check(H5Acreate_by_name(id(), object.c_str(), name.c_str(), type, space.id(), H5P_DEFAULT,
                                          H5P_DEFAULT, H5P_DEFAULT),
                        "create attribute '" + name + "'"),
                  H5Aclose);
  };
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::int64_t>) {
          Handle a = create(H5T_NATIVE_INT64, {});
          check_status(H5Awrite(a.id(), H5T_NATIVE_INT64, &v), "write attribute '" + name + "'");
        } else if constexpr (std::is_same_v<T, double>) {
          Handle a = create(H5T_NATIVE_DOUBLE, {});
          check_status(H5Awrite(a.id(), H5T_NATIVE_DOUBLE, &v), "write attribute '" + name + "'");
        } else if constexpr (std::is_same_v<T, std::string>) {
          Handle type = string_type();
          Handle a = create(type.id(), {});
          const char* text = v.c_str();
          check_status(H5Awrite(a.id(), type.id(), &text), "write attribute '" + name + "'");
        } else if constexpr (std::is_same_v<T, std::vector<double>>) {
          Handle a = create(H5T_NATIVE_DOUBLE, {v.size()});
          if (!v.empty()) check_status(H5Awrite(a.id(), H5T_NATIVE_DOUBLE, v.data()), "write attribute '" + name + "'");
        } else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) {
          Handle a = create(H5T_NATIVE_INT64, {v.size()});
          if (!v.empty()) check_status(H5Awrite(a.id(), H5T_NATIVE_INT64, v.data()), "write attribute '" + name + "'");
        } else {
          Handle type = string_type();
          Handle a = create(type.id(), {v.size()});
          std::vector<const char*> texts;
          for (const auto& s : v) texts.push_back(s.c_str());
          if (!v.empty()) check_status(H5Awrite(a.id(), type.id(), texts.data()), "write attribute '" + name + "'");
        }
      },
      value);
}

bool Group::has_attribute(const std::string& name) const { return H5Aexists(id(), name.c_str()) > 0; }

std::vector<std::string> Group::attribute_names() const {
  H5O_info_t info;
  check_status(H5Oget_info2(id(), &info, H5O_INFO_NUM_ATTRS), "get object info");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.num_attrs; ++i) {
    const ssize_t length = H5Aget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<size_t>(std::max<ssize_t>(length, 0)), '\0');
    H5Aget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size() + 1, H5P_DEFAULT);
    names.push_back(name);
  }
  return names;
}

AttributeValue Group::attribute(const std::string& name) const {
  Handle a(check(H5Aopen(id(), name.c_str(), H5P_DEFAULT), "open attribute '" + name + "'"), H5Aclose);
  Handle type(check(H5Aget_type(a.id()), "get attribute type"), H5Tclose);
  Handle space(check(H5Aget_space(a.id()), "get attribute space"), H5Sclose);
  const bool scalar = H5Sget_simple_extent_type(space.id()) == H5S_SCALAR;
  const hssize_t count = std::max<hssize_t>(H5Sget_simple_extent_npoints(space.id()), 0);
  switch (H5Tget_class(type.id())) {
    case H5T_INTEGER: {
      std::vector<std::int64_t> v(count);
      if (count) check_status(H5Aread(a.id(), H5T_NATIVE_INT64, v.data()), "read attribute '" + name + "'");
      if (scalar) return v.at(0);
      return v;
    }
    case H5T_FLOAT: {
      std::vector<double> v(count);
      if (count) check_status(H5Aread(a.id(), H5T_NATIVE_DOUBLE, v.data()), "read attribute '" + name + "'");
      if (scalar) return v.at(0);
      return v;
    }
    case H5T_STRING: {
      auto v = read_string_array(a.id(), true, "attribute '" + name + "'");
      if (scalar) return v.at(0);
      return v;
    }
    default: throw std::runtime_error("HDF5: attribute '" + name + "' has an unsupported type");
  }
}

double Group::attribute_double(const std::string& name) const {
  const AttributeValue v = attribute(name);
  if (auto d = std::get_if<double>(&v)) return *d;
  if (auto i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  throw std::runtime_error("HDF5: attribute '" + name + "' is not a number");
}
std::int64_t Group::attribute_int(const std::string& name) const {
  const AttributeValue v = attribute(name);
  if (auto i = std::get_if<std::int64_t>(&v)) return *i;
  throw std::runtime_error("HDF5: attribute '" + name + "' is not an integer");
}
std::string Group::attribute_string(const std::string& name) const {
  const AttributeValue v = attribute(name);
  if (auto s = std::get_if<std::string>(&v)) return *s;
  throw std::runtime_error("HDF5: attribute '" + name + "' is not a string");
}

void Group::write(const std::string& name, std::span<const double> data, const std::vector<hsize_t>& dims,
                  const StorageOptions& storage) const {
  write_numeric(id(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, data.data(), data.size(), sizeof(double), dims,
                storage);
}
void Group::write(const std::string& name, std::span<const std::int64_t> data, const std::vector<hsize_t>& dims,
                  const StorageOptions& storage) const {
  write_numeric(id(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, data.data(), data.size(), sizeof(std::int64_t), dims,
                storage);
}
void Group::write(const std::string& name, std::span<const std::int32_t> data, const std::vector<hsize_t>& dims,
                  const StorageOptions& storage) const {
  write_numeric(id(), name, H5T_STD_I32LE, H5T_NATIVE_INT32, data.data(), data.size(), sizeof(std::int32_t), dims,
                storage);
}

void Group::write_strings(const std::string& name, const std::vector<std::string>& values) const {
  Handle type = string_type();
  Handle space = make_space({values.size()});
  Handle dataset(check(H5Dcreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                       "create dataset '" + name + "'"),
                 H5Dclose);
  std::vector<const char*> texts;
  for (const auto& s : values) texts.push_back(s.c_str());
  if (!values.empty())
    check_status(H5Dwrite(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()),
                 "write '" + name + "'");
}

void Group::attach_scale(const std::string& data, const std::string& scale, unsigned dim,
                         const std::string& label) const {
  Handle d(check(H5Dopen2(id(), data.c_str(), H5P_DEFAULT), "open dataset '" + data + "'"), H5Dclose);
  Handle s(check(H5Dopen2(id(), scale.c_str(), H5P_DEFAULT), "open dataset '" + scale + "'"), H5Dclose);
  if (H5DSis_scale(s.id()) <= 0) check_status(H5DSset_scale(s.id(), label.c_str()), "make '" + scale + "' a scale");
  check_status(H5DSattach_scale(d.id(), s.id(), dim), "attach scale '" + scale + "' to '" + data + "'");
  check_status(H5DSset_label(d.id(), dim, label.c_str()), "label dimension of '" + data + "'");
}

void Group::label_dimension(const std::string& data, unsigned dim, const std::string& label) const {
  Handle d(check(H5Dopen2(id(), data.c_str(), H5P_DEFAULT), "open dataset '" + data + "'"), H5Dclose);
  check_status(H5DSset_label(d.id(), dim, label.c_str()), "label dimension of '" + data + "'");
}

std::vector<hsize_t> Group::shape(const std::string& name) const {
  Handle dataset(check(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), "open dataset '" + name + "'"), H5Dclose);
  Handle space(check(H5Dget_space(dataset.id()), "get dataspace"), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.id());
  std::vector<hsize_t> dims(static_cast<size_t>(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  return dims;
}

std::vector<double> Group::read_doubles(const std::string& name) const {
  return read_numeric<double>(id(), name, H5T_NATIVE_DOUBLE);
}
std::vector<std::int64_t> Group::read_ints(const std::string& name) const {
  return read_numeric<std::int64_t>(id(), name, H5T_NATIVE_INT64);
}
std::vector<std::string> Group::read_strings(const std::string& name) const {
  Handle dataset(check(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), "open dataset '" + name + "'"), H5Dclose);
  return read_string_array(dataset.id(), false, "'" + name + "'");
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

OutputFile::OutputFile(std::filesystem::path path, bool overwrite) : path_(std::move(path)), overwrite_(overwrite) {
  namespace fs = std::filesystem;
  if (fs::exists(path_) && !overwrite)
    throw std::runtime_error("'" + path_.string() + "' exists (use --force to overwrite)");
  fs::path folder = path_.parent_path();
  if (folder.empty()) folder = ".";
  if (!fs::is_directory(folder)) throw std::runtime_error("folder '" + folder.string() + "' does not exist");
  temporary_ = folder / ("." + path_.filename().string() + ".tmp" + std::to_string(::getpid()));
  root_ = Group(Handle(check(H5Fcreate(temporary_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                             "create '" + temporary_.string() + "'"),
                       H5Fclose));
}

OutputFile::~OutputFile() {
  if (!committed_) {
    root_ = Group();
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }
}

void OutputFile::write_provenance(const Provenance& provenance) const {
  for (const auto& [name, value] : provenance.configuration) root_.set_attribute(name, value);
  root_.set_attribute("tool", provenance.tool);
  root_.set_attribute("version", std::string(kVersion));
  root_.set_attribute("git_commit", std::string(kGitCommit));
  root_.set_attribute("command_line", provenance.command_line);
  root_.set_attribute("seed", static_cast<std::int64_t>(provenance.seed));
  root_.set_attribute("created_utc", utc_now());
  root_.set_attribute("threads", static_cast<std::int64_t>(provenance.threads));
}

void OutputFile::commit() {
  check_status(H5Fflush(root_.id(), H5F_SCOPE_GLOBAL), "flush '" + temporary_.string() + "'");
  root_ = Group();
  if (std::filesystem::exists(path_) && !overwrite_)
    throw std::runtime_error("'" + path_.string() + "' appeared while this run was writing (use --force)");
  std::filesystem::rename(temporary_, path_);
  committed_ = true;
}

InputFile::InputFile(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) throw std::runtime_error("'" + path.string() + "' does not exist");
  root_ = Group(Handle(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open '" + path.string() + "'"),
                       H5Fclose));
}

}  // namespace xorscape::h5
