#include "xorscape/io/parameter_point.hpp"

#include <sstream>

namespace xorscape::io {

std::optional<std::int64_t> PointSelector::number(const std::string& key) const {
  const auto it = keys.find(key);
  if (it == keys.end()) return std::nullopt;
  const std::string& text = it->second;
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    throw std::invalid_argument("'" + key + "=" + text + "' needs a whole number >= 0");
  return std::stoll(text);
}

void PointSelector::allow(const std::set<std::string>& allowed_keys, const std::set<std::string>& allowed_words) const {
  auto list = [&] {
    std::string text;
    for (const auto& k : allowed_keys) text += (text.empty() ? "" : ", ") + k + "=...";
    for (const auto& w : allowed_words) text += (text.empty() ? "" : ", ") + w;
    return text.empty() ? std::string("none") : text;
  };
  for (const auto& [key, value] : keys)
    if (!allowed_keys.count(key)) throw std::invalid_argument("selector '" + key + "' is not known here (" + list() + ")");
  for (const auto& word : words)
    if (!allowed_words.count(word)) throw std::invalid_argument("selector '" + word + "' is not known here (" + list() + ")");
}

PointSelector parse_selector(const std::string& text) {
  PointSelector s;
  s.text = text;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) throw std::invalid_argument("empty item in selector '" + text + "'");
    const size_t eq = item.find('=');
    if (eq == std::string::npos) {
      s.words.insert(item);
    } else {
      if (eq == 0 || eq + 1 == item.size()) throw std::invalid_argument("'" + item + "' is not key=value");
      s.keys[item.substr(0, eq)] = item.substr(eq + 1);
    }
  }
  return s;
}

Params read_row(const h5::Group& root, const std::string& path, std::int64_t row, const std::string& what) {
  if (!root.is_dataset(path)) throw std::invalid_argument("the file has no dataset '" + path + "'");
  const auto shape = root.shape(path);
  if (shape.size() != 2) throw std::invalid_argument("'" + path + "' is not a table of parameter vectors");
  if (row < 0 || static_cast<hsize_t>(row) >= shape[0])
    throw std::invalid_argument(what + " " + std::to_string(row) + " does not exist (the file has " + what + "s 0.." +
                                std::to_string(static_cast<long long>(shape[0]) - 1) + ")");
  const std::vector<double> all = root.read_doubles(path);
  const size_t D = shape[1];
  return Params(all.begin() + static_cast<std::ptrdiff_t>(row * D), all.begin() + static_cast<std::ptrdiff_t>((row + 1) * D));
}

}  // namespace xorscape::io
