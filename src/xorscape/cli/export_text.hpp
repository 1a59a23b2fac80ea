#pragma once
// What xorscape-export prints: HDF5 datasets and attributes as text for gnuplot and shell
// scripts (so no script parses h5dump's output).
//   numeric 1-D    one value per line, after the attached dimension scale's value when there is one
//   numeric 2-D    --format columns (rows as lines), matrix (gnuplot's nonuniform matrix with the
//                  axis scales in the first row and column) or triples (x y z, blank line per row)
//   strings        one per line
//   an attribute   numbers and strings of a list on one line, separated by spaces
#include <cstdio>
#include <string>

#include "xorscape/io/h5.hpp"

namespace xorscape::cli {

enum class ExportFormat { columns, matrix, triples };
// Throws std::invalid_argument for anything but columns, matrix, triples.
ExportFormat parse_export_format(const std::string& text);

void print_dataset(std::FILE* out, const h5::Group& root, const std::string& label, const std::string& path,
                   ExportFormat format, int stride);
void print_attribute(std::FILE* out, const h5::Group& root, const std::string& object, const std::string& name);
// Every dataset below the root: path and shape, one per line.
void print_listing(std::FILE* out, const h5::Group& root);

}  // namespace xorscape::cli
