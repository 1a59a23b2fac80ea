#include "xorscape/cli/cli.hpp"

#include <omp.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "xorscape/core/parameters.hpp"
#include "xorscape/version.hpp"

namespace xorscape::cli {

namespace {

std::string shell_quote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:,+@%") ==
                           std::string::npos)
    return word;
  std::string quoted = "'";
  for (char c : word) quoted += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::optional<h5::AttributeValue> to_attribute(const boost::any& value) {
  if (auto v = boost::any_cast<int>(&value)) return static_cast<std::int64_t>(*v);
  if (auto v = boost::any_cast<long>(&value)) return static_cast<std::int64_t>(*v);
  if (auto v = boost::any_cast<long long>(&value)) return static_cast<std::int64_t>(*v);
  if (auto v = boost::any_cast<unsigned>(&value)) return static_cast<std::int64_t>(*v);
  if (auto v = boost::any_cast<std::uint64_t>(&value)) return static_cast<std::int64_t>(*v);
  if (auto v = boost::any_cast<double>(&value)) return *v;
  if (auto v = boost::any_cast<bool>(&value)) return static_cast<std::int64_t>(*v);
  if (auto v = boost::any_cast<std::string>(&value)) return *v;
  if (auto v = boost::any_cast<std::vector<std::string>>(&value)) return *v;
  if (auto v = boost::any_cast<std::vector<double>>(&value)) return *v;
  return std::nullopt;
}

}  // namespace

Tool::Tool(std::string name, std::string summary, std::string default_output)
    : name_(std::move(name)), summary_(std::move(summary)), default_output_(std::move(default_output)),
      options_("Options") {}

int Tool::run(int argc, char** argv, const std::function<int()>& body) {
  for (int i = 0; i < argc; ++i) command_line_ += (i ? " " : "") + shell_quote(argv[i]);
  po::options_description common("Common options");
  common.add_options()
      ("help,h", "print this help and exit")
      ("version", "print the version and exit")
      ("config", po::value<std::string>(), "read options from FILE (Boost config syntax: name = value per line)")
      ("threads", po::value<int>()->default_value(omp_get_max_threads()), "OpenMP threads (results do not depend on it)")
      ("seed", po::value<std::uint64_t>()->default_value(1), "random seed (same seed, same numbers)");
  if (!default_output_.empty())
    common.add_options()
        ("output,o", po::value<std::string>()->default_value(default_output_), "HDF5 file to write")
        ("force", po::bool_switch(), "overwrite an existing output file");
  po::options_description all;
  all.add(options_).add(common);
  try {
    try {
      po::store(po::command_line_parser(argc, argv).options(all).positional(positional_).run(), values_);
      if (values_.count("help")) {
        std::cout << name_ << " — " << summary_ << "\n\nUsage: " << name_ << " [options]\n\n" << all << '\n';
        return 0;
      }
      if (values_.count("version")) {
        std::cout << name_ << " " << kVersion << " (" << kGitCommit << ")\n";
        return 0;
      }
      if (values_.count("config")) {
        const std::string path = values_["config"].as<std::string>();
        std::ifstream in(path);
        if (!in) throw UsageError("--config", "cannot read '" + path + "'");
        po::options_description from_file;
        from_file.add(options_);
        from_file.add_options()
            ("threads", po::value<int>(), "")("seed", po::value<std::uint64_t>(), "");
        if (!default_output_.empty())
          from_file.add_options()("output", po::value<std::string>(), "")("force", po::bool_switch(), "");
        po::store(po::parse_config_file(in, from_file), values_);
      }
      po::notify(values_);
    } catch (const po::error& e) {
      // Boost's messages already name the option ("the argument ('x') for option '--eta' is invalid").
      std::cerr << name_ << ": " << e.what() << '\n';
      return 2;
    }
    threads_ = static_cast<int>(require_at_least("--threads", values_["threads"].as<int>(), 1));
    seed_ = values_["seed"].as<std::uint64_t>();
    if (!default_output_.empty()) {
      output_ = values_["output"].as<std::string>();
      force_ = values_["force"].as<bool>();
      if (output_.empty()) throw UsageError("--output", "must not be empty");
      namespace fs = std::filesystem;
      fs::path folder = fs::path(output_).parent_path();
      if (!folder.empty() && !fs::is_directory(folder))
        throw UsageError("--output", "folder '" + folder.string() + "' does not exist");
      if (fs::exists(output_) && !force_ && !(has("resume") && values_["resume"].as<bool>()))
        throw UsageError("--output", "'" + output_ + "' exists; use --force to overwrite it");
    }
    omp_set_num_threads(threads_);
    RunControl::install_signal_handlers();
    control_.watch_signals(true);
    return body();
  } catch (const UsageError& e) {
    std::cerr << name_ << ": " << e.option() << ": " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << name_ << ": error: " << e.what() << '\n';
    return 1;
  }
}

h5::Provenance Tool::provenance() const {
  h5::Provenance p;
  p.tool = name_;
  p.command_line = command_line_;
  p.seed = seed_;
  p.threads = threads_;
  for (const auto& [option, value] : values_) {
    if (option == "help" || option == "version") continue;
    if (auto attribute = to_attribute(value.value())) p.configuration["option:" + option] = *attribute;
  }
  return p;
}

double require_finite(const std::string& option, double value) {
  if (!std::isfinite(value)) throw UsageError(option, "must be a finite number");
  return value;
}

double require_positive(const std::string& option, double value) {
  if (!std::isfinite(value) || value <= 0.0) throw UsageError(option, "must be a finite number above 0");
  return value;
}

long long require_at_least(const std::string& option, long long value, long long minimum) {
  if (value < minimum) throw UsageError(option, "must be at least " + std::to_string(minimum));
  return value;
}

namespace {
double parse_number(const std::string& option, const std::string& text) {
  size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw UsageError(option, "'" + text + "' is not a number");
  }
  if (used != text.size()) throw UsageError(option, "'" + text + "' is not a number");
  return require_finite(option, value);
}
}  // namespace

Range parse_range(const std::string& option, const std::string& text) {
  const size_t colon = text.find(':', 1);  // skip a leading sign
  if (colon == std::string::npos) throw UsageError(option, "'" + text + "' is not LO:HI");
  const Range range{parse_number(option, text.substr(0, colon)), parse_number(option, text.substr(colon + 1))};
  if (!(range.lo < range.hi)) throw UsageError(option, "range '" + text + "' is empty or reversed (need LO < HI)");
  return range;
}

std::pair<int, int> parse_resolution(const std::string& option, const std::string& text, int minimum) {
  auto parse_count = [&](const std::string& part) {
    size_t used = 0;
    long long value = -1;
    try {
      value = std::stoll(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != part.size() || part.empty()) throw UsageError(option, "'" + text + "' is not N or NxM");
    if (value < minimum) throw UsageError(option, "resolution must be at least " + std::to_string(minimum));
    if (value > 1000000) throw UsageError(option, "resolution " + part + " is impossibly large");
    return static_cast<int>(value);
  };
  const size_t x = text.find('x');
  if (x == std::string::npos) {
    const int n = parse_count(text);
    return {n, n};
  }
  return {parse_count(text.substr(0, x)), parse_count(text.substr(x + 1))};
}

std::vector<double> parse_numbers(const std::string& option, const std::string& text) {
  std::vector<double> values;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) values.push_back(parse_number(option, item));
  if (values.empty()) throw UsageError(option, "needs at least one number");
  return values;
}

Activation parse_activation(const std::string& option, const std::string& text) {
  try {
    return xorscape::parse_activation(text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(option, e.what());
  }
}

Dataset parse_dataset(const std::string& option, const std::string& text) {
  try {
    return dataset_by_name(text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(option, e.what());
  }
}

std::pair<int, int> parse_pair(const std::string& option, const std::string& text, const ParameterLayout& layout) {
  const size_t comma = text.find(',');
  if (comma == std::string::npos) throw UsageError(option, "'" + text + "' is not A,B (two parameter names)");
  int a = 0, b = 0;
  try {
    a = layout.index(text.substr(0, comma));
    b = layout.index(text.substr(comma + 1));
  } catch (const std::invalid_argument& e) {
    throw UsageError(option, e.what());
  }
  if (a == b) throw UsageError(option, "pair '" + text + "' names the same parameter twice");
  return {a, b};
}

std::vector<std::pair<int, int>> parse_pairs(const std::string& option, const std::string& text,
                                             const ParameterLayout& layout) {
  std::vector<std::pair<int, int>> pairs;
  if (text == "all") {
    for (int a = 0; a < layout.dimension(); ++a)
      for (int b = a + 1; b < layout.dimension(); ++b) pairs.emplace_back(a, b);
    return pairs;
  }
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ';'))
    if (!item.empty()) pairs.push_back(parse_pair(option, item, layout));
  if (pairs.empty()) throw UsageError(option, "needs 'all' or at least one pair A,B");
  return pairs;
}

Params parse_parameters(const std::string& option, const std::string& text, const ParameterLayout& layout) {
  try {
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
      if (layout.n_hidden() != 2)
        throw UsageError(option, "published solution " + text + " has n_h = 2, not " +
                                     std::to_string(layout.n_hidden()));
      return published_solution(std::stoi(text)).parameters;
    }
    if (text.find('=') != std::string::npos) return parse_parameter_assignments(text, layout);
    return read_parameter_file(text, layout);
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    throw UsageError(option, e.what());
  }
}

Progress::Progress(std::string label, double total, std::string unit)
    : label_(std::move(label)), total_(total), unit_(std::move(unit)),
      enabled_(::isatty(STDERR_FILENO) || (std::getenv("XORSCAPE_PROGRESS") &&
                                           std::string(std::getenv("XORSCAPE_PROGRESS")) == "1")),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

Progress::~Progress() { finish(); }

void Progress::update(double done) {
  if (!enabled_ || finished_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(250) && done < total_) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? done / elapsed : 0.0;
  const double eta = rate > 0 ? (total_ - done) / rate : 0.0;
  std::fprintf(stderr, "\r%s: %5.1f%%  %.3g %s/s  ETA %.0f s   ", label_.c_str(),
               total_ > 0 ? 100.0 * done / total_ : 100.0, rate, unit_.c_str(), eta);
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "\r%s: done in %.1f s%30s\n", label_.c_str(), elapsed, "");
}

}  // namespace xorscape::cli
