#pragma once
// Naming a parameter point inside an output file: FILE.h5:SELECTOR, where SELECTOR is a list of
// key=value pairs and words separated by commas, e.g.
//   train.h5:run=3            the final parameters of run 3 (train.h5:run=3,initial: its start)
//   census.h5:class=7         the representative of stationary class 7
//   trajectory.h5:end         the end point of the file's only trajectory (trajectory=2,start ...)
//   slice.h5 / slice.h5:center, simplesample.h5:min, wanglandau.h5:run=1, anneal.h5:seed=4,arm=eda
// Each domain's file unit reads its own selectors (read_point); cli::parse_point dispatches on
// the file's "tool" attribute and checks the file's network against the tool's.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "xorscape/core/network.hpp"
#include "xorscape/io/h5.hpp"

namespace xorscape::io {

struct PointSelector {
  std::string text;                          // as written (empty: none)
  std::map<std::string, std::string> keys;   // run=3 -> {"run", "3"}
  std::set<std::string> words;               // initial, end, ...
  bool empty() const { return keys.empty() && words.empty(); }
  bool has(const std::string& word) const { return words.count(word) > 0; }
  // The whole number given for key, if any; throws std::invalid_argument if it is not one.
  std::optional<std::int64_t> number(const std::string& key) const;
  // Throws std::invalid_argument naming any key or word not in the given lists.
  void allow(const std::set<std::string>& keys, const std::set<std::string>& words) const;
};

// Throws std::invalid_argument for an empty key or value.
PointSelector parse_selector(const std::string& text);

// Row `row` (0-based) of the (N x D) dataset `path`, as D values; `what` names the rows in the
// message when the row does not exist ("run 7 does not exist (the file has runs 0..3)").
Params read_row(const h5::Group& root, const std::string& path, std::int64_t row, const std::string& what);

}  // namespace xorscape::io
