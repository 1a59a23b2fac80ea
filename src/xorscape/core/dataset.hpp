#pragma once
// Truth tables of XOR in the three encodings the papers use, and batches drawn from them.
#include <array>
#include <string>
#include <string_view>

namespace xorscape {

struct Example {
  double x1;
  double x2;
  double target;
};

struct Dataset {
  std::string name;
  std::array<Example, 4> examples;  // in Table 1 order: (0,0), (0,1), (1,0), (1,1) or their ±1 images
};

// "xor": {0,1} inputs and targets (Table 1 of the dissecting paper).
// "xor-centered": ±1 inputs, target 0 where the inputs agree and 1 where they differ.
// "xor-pm": ±1 inputs, target -0.8 where the inputs agree and +0.8 where they differ.
// Throws std::invalid_argument for any other name.
Dataset dataset_by_name(std::string_view name);

// A batch of M = 4 cases given by their indices into Dataset::examples.
using Batch = std::array<int, 4>;
inline constexpr Batch kNonrandomizedBatch{0, 1, 2, 3};

}  // namespace xorscape
