#include "xorscape/landscape/xdmf.hpp"

#include <H5Dpublic.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "xorscape/io/h5.hpp"

namespace xorscape::slice {

namespace {

// "Float" 8 or "Int" 4/8 for a dataset, from its stored type.
std::pair<std::string, int> number_type(const h5::Group& g, const std::string& name) {
  const hid_t dataset = H5Dopen2(g.id(), name.c_str(), H5P_DEFAULT);
  const hid_t type = H5Dget_type(dataset);
  const H5T_class_t kind = H5Tget_class(type);
  const int size = static_cast<int>(H5Tget_size(type));
  H5Tclose(type);
  H5Dclose(dataset);
  if (kind == H5T_FLOAT) return {"Float", size};
  if (kind == H5T_INTEGER) return {"Int", size};
  return {"", 0};
}

std::string data_item(const std::string& file, const std::string& path, const std::string& dimensions,
                      const std::pair<std::string, int>& type) {
  return "<DataItem Dimensions=\"" + dimensions + "\" NumberType=\"" + type.first + "\" Precision=\"" +
         std::to_string(type.second) + "\" Format=\"HDF\">" + file + ":" + path + "</DataItem>";
}

void add_grid(std::ostringstream& out, const h5::Group& g, const std::string& path, const std::string& file) {
  const hsize_t nx = g.shape("x").at(0), ny = g.shape("y").at(0);
  const std::string dims = std::to_string(ny) + " " + std::to_string(nx);
  out << "    <Grid Name=\"" << path << "\" GridType=\"Uniform\">\n"
      << "      <Topology TopologyType=\"2DRectMesh\" Dimensions=\"" << dims << "\"/>\n"
      << "      <Geometry GeometryType=\"VXVY\">\n"
      << "        " << data_item(file, path + "/x", std::to_string(nx), {"Float", 8}) << "\n"
      << "        " << data_item(file, path + "/y", std::to_string(ny), {"Float", 8}) << "\n"
      << "      </Geometry>\n";
  for (const std::string& name : g.members()) {
    if (!g.is_dataset(name) || g.shape(name) != std::vector<hsize_t>{ny, nx}) continue;
    const auto type = number_type(g, name);
    if (type.first.empty()) continue;
    out << "      <Attribute Name=\"" << name << "\" AttributeType=\"Scalar\" Center=\"Node\">\n"
        << "        " << data_item(file, path + "/" + name, dims, type) << "\n"
        << "      </Attribute>\n";
  }
  out << "    </Grid>\n";
}

}  // namespace

std::string xdmf_text(const std::string& h5_path) {
  const h5::InputFile input(h5_path);
  const h5::Group& root = input.root();
  const std::string file = std::filesystem::path(h5_path).filename().string();
  std::vector<std::string> planes;
  if (root.exists("plane") && root.is_dataset("plane/y")) planes.push_back("/plane");
  if (root.exists("planes"))
    for (const std::string& name : root.open_group("planes").members()) planes.push_back("/planes/" + name);
  if (planes.empty()) throw std::runtime_error(h5_path + " has no plane to describe in XDMF");
  std::ostringstream out;
  out << "<?xml version=\"1.0\" ?>\n<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n<Xdmf Version=\"3.0\">\n  <Domain>\n";
  if (planes.size() > 1) out << "  <Grid Name=\"planes\" GridType=\"Collection\" CollectionType=\"Spatial\">\n";
  for (const std::string& path : planes) add_grid(out, root.open_group(path), path, file);
  if (planes.size() > 1) out << "  </Grid>\n";
  out << "  </Domain>\n</Xdmf>\n";
  return out.str();
}

void write_xdmf(const std::string& h5_path, const std::string& xdmf_path) {
  const std::string text = xdmf_text(h5_path);
  const std::filesystem::path temporary = h5::temporary_path(xdmf_path);
  {
    std::ofstream stream(temporary);
    stream << text;
    if (!stream.flush()) {
      std::filesystem::remove(temporary);
      throw std::runtime_error("cannot write " + temporary.string());
    }
  }
  std::filesystem::rename(temporary, xdmf_path);
}

std::string xdmf_path_for(const std::string& h5_path) {
  if (h5_path.size() > 3 && h5_path.ends_with(".h5")) return h5_path.substr(0, h5_path.size() - 3) + ".xdmf";
  return h5_path + ".xdmf";
}

}  // namespace xorscape::slice
