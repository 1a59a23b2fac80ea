#pragma once
// Where parameter vectors come from: the published solutions of Table 2 (dissecting
// paper), parameter files, and "name=value" lists.
#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "xorscape/core/network.hpp"

namespace xorscape {

struct PublishedSolution {
  int number;                         // 1..5, the row of Table 2
  std::array<double, 9> as_printed;   // the row exactly as printed, Table 2 column order
  Params parameters;                  // what tools use: the printed row, or its corrected reading
  std::string note;                   // empty, or why `parameters` differs from `as_printed`
};

// Throws std::invalid_argument unless 1 <= number <= 5.
const PublishedSolution& published_solution(int number);

// Text format: one "name = value" (or "name value") per line, '#' starts a comment;
// every parameter of the layout must appear exactly once. HDF5 files (.h5) are read
// from the dataset "parameters" (1-D, length D), as xorscape-train writes it.
// Throws std::invalid_argument / std::runtime_error with a message naming the problem.
Params read_parameter_file(const std::filesystem::path& path, const ParameterLayout& layout);
// "w1_11=1.0,w1_12=-2,..." (commas, semicolons or spaces); all D names required.
Params parse_parameter_assignments(std::string_view text, const ParameterLayout& layout);
// The text format above, with a header comment.
std::string format_parameter_file(const Params& parameters, const ParameterLayout& layout,
                                  const std::string& header = "");

}  // namespace xorscape
