#include "xorscape/io/h5.hpp"

#include <hdf5_hl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <fstream>
#include <numeric>
#include <stdexcept>

#include "xorscape/version.hpp"

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
  std::vector<hsize_t> chunk = storage.chunk.values;
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

void Group::write(const std::string& name, std::span<const double> data, const Dims& dims,
                  const StorageOptions& storage) const {
  write_numeric(id(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, data.data(), data.size(), sizeof(double), dims.values,
                storage);
}
void Group::write(const std::string& name, std::span<const std::int64_t> data, const Dims& dims,
                  const StorageOptions& storage) const {
  write_numeric(id(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, data.data(), data.size(), sizeof(std::int64_t), dims.values,
                storage);
}
void Group::write(const std::string& name, std::span<const std::int32_t> data, const Dims& dims,
                  const StorageOptions& storage) const {
  write_numeric(id(), name, H5T_STD_I32LE, H5T_NATIVE_INT32, data.data(), data.size(), sizeof(std::int32_t), dims.values,
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

namespace {

hsize_t scale_length(const Group& group, const std::string& scale) {
  if (!group.exists(scale)) throw std::invalid_argument("HDF5: dimension scale '" + scale + "' does not exist");
  const auto dims = group.shape(scale);
  if (dims.size() != 1) throw std::invalid_argument("HDF5: dimension scale '" + scale + "' is not one-dimensional");
  return dims[0];
}

std::vector<hsize_t> shape_of(const Group& group, const Info& info) {
  std::vector<hsize_t> dims;
  for (const std::string& axis : info.axes) dims.push_back(scale_length(group, axis));
  return dims;
}

// The last component of a path: the name netCDF readers give the dimension.
std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

void Group::describe(const std::string& object, const std::string& meaning, const std::string& units) const {
  if (!meaning.empty()) set_attribute_on(object, "meaning", meaning);
  if (!units.empty()) set_attribute_on(object, "units", units);
}

void Group::make_scale(const std::string& name) const {
  Handle s(check(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), "open dataset '" + name + "'"), H5Dclose);
  if (H5DSis_scale(s.id()) <= 0)
    check_status(H5DSset_scale(s.id(), base_name(name).c_str()), "make '" + name + "' a dimension scale");
}

void Group::attach_scales(const std::string& data, const std::vector<std::string>& axes) const {
  for (unsigned d = 0; d < axes.size(); ++d) {
    make_scale(axes[d]);
    attach_scale(data, axes[d], d, base_name(axes[d]));
  }
}

void Group::write(const std::string& name, std::span<const double> data, const Info& info) const {
  write(name, data, shape_of(*this, info), info.storage);
  attach_scales(name, info.axes);
  describe(name, info.meaning, info.units);
}
void Group::write(const std::string& name, std::span<const std::int64_t> data, const Info& info) const {
  write(name, data, shape_of(*this, info), info.storage);
  attach_scales(name, info.axes);
  describe(name, info.meaning, info.units);
}
void Group::write(const std::string& name, std::span<const std::int32_t> data, const Info& info) const {
  write(name, data, shape_of(*this, info), info.storage);
  attach_scales(name, info.axes);
  describe(name, info.meaning, info.units);
}
void Group::write_strings(const std::string& name, const std::vector<std::string>& values, const Info& info) const {
  if (info.axes.size() != 1 || scale_length(*this, info.axes[0]) != values.size())
    throw std::invalid_argument("HDF5 dataset '" + name + "': a string list needs one axis of its length");
  write_strings(name, values);
  attach_scales(name, info.axes);
  describe(name, info.meaning, info.units);
}

void Group::write_scale(const std::string& name, std::span<const double> values, const ScaleInfo& info) const {
  write(name, values, {values.size()}, StorageOptions{{}, 0, false});
  make_scale(name);
  describe(name, info.meaning, info.units);
}
void Group::write_scale(const std::string& name, std::span<const std::int64_t> values, const ScaleInfo& info) const {
  write(name, values, {values.size()}, StorageOptions{{}, 0, false});
  make_scale(name);
  describe(name, info.meaning, info.units);
}
void Group::write_scale(const std::string& name, const std::vector<std::string>& labels, const ScaleInfo& info) const {
  write_strings(name, labels);
  make_scale(name);
  describe(name, info.meaning, info.units);
}
void Group::write_index_scale(const std::string& name, std::size_t count, const ScaleInfo& info) const {
  std::vector<std::int64_t> index(count);
  std::iota(index.begin(), index.end(), std::int64_t{0});
  write_scale(name, std::span<const std::int64_t>(index), info);
}

bool Group::is_dataset(const std::string& path) const {
  if (!exists(path)) return false;
  H5O_info_t info;
  if (H5Oget_info_by_name2(id(), path.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return false;
  return info.type == H5O_TYPE_DATASET;
}

std::string Group::scale_path(const std::string& name, unsigned dim) const {
  Handle d(check(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), "open dataset '" + name + "'"), H5Dclose);
  const int rank = [&] {
    Handle space(check(H5Dget_space(d.id()), "get dataspace"), H5Sclose);
    return H5Sget_simple_extent_ndims(space.id());
  }();
  if (static_cast<int>(dim) >= rank || H5DSget_num_scales(d.id(), dim) <= 0) return "";
  std::string path;
  H5DSiterate_scales(
      d.id(), dim, nullptr,
      [](hid_t, unsigned, hid_t scale, void* out) -> herr_t {
        const ssize_t length = H5Iget_name(scale, nullptr, 0);
        auto* text = static_cast<std::string*>(out);
        text->assign(static_cast<size_t>(std::max<ssize_t>(length, 0)), '\0');
        H5Iget_name(scale, text->data(), text->size() + 1);
        return 1;
      },
      &path);
  return path;
}

std::vector<double> Group::scale_values(const std::string& name, unsigned dim) const {
  const std::string path = scale_path(name, dim);
  if (path.empty()) return {};
  Handle s(check(H5Dopen2(id(), path.c_str(), H5P_DEFAULT), "open scale '" + path + "'"), H5Dclose);
  Handle type(check(H5Dget_type(s.id()), "get type"), H5Tclose);
  if (H5Tget_class(type.id()) == H5T_STRING) {
    std::vector<double> index(static_cast<size_t>(shape(path).at(0)));
    std::iota(index.begin(), index.end(), 0.0);
    return index;
  }
  return read_doubles(path);
}

bool Group::has_attribute_on(const std::string& object, const std::string& name) const {
  if (object == "." || object.empty()) return has_attribute(name);
  return exists(object) && H5Aexists_by_name(id(), object.c_str(), name.c_str(), H5P_DEFAULT) > 0;
}

AttributeValue Group::attribute_on(const std::string& object, const std::string& name) const {
  if (object == "." || object.empty()) return attribute(name);
  Handle o(check(H5Oopen(id(), object.c_str(), H5P_DEFAULT), "open object '" + object + "'"), H5Oclose);
  // A group handle reads attributes the same way for any object kind.
  return Group(std::move(o)).attribute(name);
}

RowWriter::RowWriter(const Group& group, const std::string& name, hsize_t rows, hsize_t columns,
                     hsize_t chunk_rows, int deflate_level)
    : name_(name), columns_(columns) {
  const hsize_t dims[2] = {rows, columns};
  Handle space(check(H5Screate_simple(2, dims, nullptr), "create dataspace"), H5Sclose);
  Handle plist(check(H5Pcreate(H5P_DATASET_CREATE), "create property list"), H5Pclose);
  // Every element is written exactly once, so HDF5 need not write fill values first.
  check_status(H5Pset_fill_time(plist.id(), H5D_FILL_TIME_NEVER), "set fill time");
  if (deflate_level > 0) {
    const hsize_t chunk[2] = {std::min(std::max<hsize_t>(chunk_rows, 1), rows), columns};
    check_status(H5Pset_chunk(plist.id(), 2, chunk), "set chunk");
    check_status(H5Pset_shuffle(plist.id()), "set shuffle");
    check_status(H5Pset_deflate(plist.id(), static_cast<unsigned>(deflate_level)), "set deflate");
  }
  dataset_ = Handle(check(H5Dcreate2(group.id(), name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, plist.id(),
                                     H5P_DEFAULT),
                          "create dataset '" + name + "'"),
                    H5Dclose);
}

void RowWriter::write(hsize_t first_row, hsize_t rows, const double* data) {
  Handle file_space(check(H5Dget_space(dataset_.id()), "get dataspace"), H5Sclose);
  const hsize_t start[2] = {first_row, 0}, count[2] = {rows, columns_};
  check_status(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start, nullptr, count, nullptr),
               "select rows of '" + name_ + "'");
  Handle memory_space(check(H5Screate_simple(2, count, nullptr), "create dataspace"), H5Sclose);
  check_status(H5Dwrite(dataset_.id(), H5T_NATIVE_DOUBLE, memory_space.id(), file_space.id(), H5P_DEFAULT, data),
               "write rows of '" + name_ + "'");
}

std::filesystem::path temporary_path(const std::filesystem::path& path) {
  std::filesystem::path folder = path.parent_path();
  if (folder.empty()) folder = ".";
  return folder / ("." + path.filename().string() + ".tmp" + std::to_string(::getpid()));
}

int remove_stale_temporaries(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  fs::path folder = path.parent_path();
  if (folder.empty()) folder = ".";
  const std::string prefix = "." + path.filename().string() + ".tmp";
  int removed = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(digits));
    // kill(pid, 0) fails with ESRCH exactly when no such process exists.
    if (pid == ::getpid() || !(::kill(pid, 0) != 0 && errno == ESRCH)) continue;
    std::error_code ignored;
    if (fs::remove(entry.path(), ignored)) ++removed;
  }
  return removed;
}

bool is_hdf5_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char signature[8] = {};
  in.read(signature, 8);
  return in.gcount() == 8 && std::string(signature, 8) == "\x89HDF\r\n\x1a\n";
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
  remove_stale_temporaries(path_);
  temporary_ = temporary_path(path_);
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
  if (!std::filesystem::is_regular_file(path) || !is_hdf5_file(path))
    throw std::runtime_error("'" + path.string() + "' is not an HDF5 file");
  root_ = Group(Handle(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open '" + path.string() + "'"),
                       H5Fclose));
}

UpdateFile::UpdateFile(std::filesystem::path path) : path_(std::move(path)) {
  namespace fs = std::filesystem;
  if (!fs::is_regular_file(path_)) throw std::runtime_error("'" + path_.string() + "' does not exist");
  if (!is_hdf5_file(path_)) throw std::runtime_error("'" + path_.string() + "' is not an HDF5 file");
  remove_stale_temporaries(path_);
  temporary_ = temporary_path(path_);
  fs::copy_file(path_, temporary_, fs::copy_options::overwrite_existing);
  const hid_t file = H5Fopen(temporary_.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  if (file < 0) {
    std::error_code ignored;
    fs::remove(temporary_, ignored);
    throw std::runtime_error("'" + path_.string() + "' is not an HDF5 file");
  }
  root_ = Group(Handle(file, H5Fclose));
}

UpdateFile::~UpdateFile() {
  if (!committed_) {
    root_ = Group();
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }
}

void UpdateFile::commit() {
  check_status(H5Fflush(root_.id(), H5F_SCOPE_GLOBAL), "flush '" + temporary_.string() + "'");
  root_ = Group();
  std::filesystem::rename(temporary_, path_);
  committed_ = true;
}

}  // namespace xorscape::h5
