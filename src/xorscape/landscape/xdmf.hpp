#pragma once
// ParaView (and VisIt) read HDF5 grids through an XDMF file next to them: a small XML file that
// names, for each plane of a landscape file, its coordinates (the x and y dimension scales) and
// the (y, x) datasets on it, which stay in the HDF5 file. xorscape-slice --xdmf writes FILE.xdmf
// next to FILE.h5 for axis planes (/planes/<A>,<B>) and planes along any directions (/plane).
#include <string>

namespace xorscape::slice {

// The XDMF 3 text for the landscape file at h5_path: one 2DRectMesh grid per plane group (a
// group with datasets x and y), with every numeric dataset of shape (len(y), len(x)) in it as a
// node-centred scalar. The HDF5 file is referenced by its file name alone (the XDMF file sits
// next to it). Throws std::runtime_error when the file has no plane.
std::string xdmf_text(const std::string& h5_path);

// Writes xdmf_text(h5_path) to xdmf_path atomically (a temporary in the same folder, renamed).
void write_xdmf(const std::string& h5_path, const std::string& xdmf_path);

// FILE.h5 -> FILE.xdmf (any other name: NAME.xdmf appended).
std::string xdmf_path_for(const std::string& h5_path);

}  // namespace xorscape::slice
