#include "xorscape/cli/cli.hpp"

#include <fcntl.h>
#include <omp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "xorscape/annealing/annealing_file.hpp"
#include "xorscape/core/parameters.hpp"
#include "xorscape/core/ranks.hpp"
#include "xorscape/entropy/entropy_file.hpp"
#include "xorscape/landscape/trajectory_file.hpp"
#include "xorscape/stationary/stationary_file.hpp"
#include "xorscape/training/training_file.hpp"
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

int max_threads() { return std::max(256, 4 * omp_get_num_procs()); }

void Tool::enable_resume(double default_checkpoint_seconds) {
  resumable_ = true;
  default_checkpoint_seconds_ = default_checkpoint_seconds;
}

po::options_description Tool::common_options(bool for_config_file) const {
  po::options_description common("Common options");
  if (for_config_file) {  // the values a --config file may set, without help texts
    common.add_options()("threads", po::value<int>(), "")("seed", po::value<std::string>(), "");
    if (!default_output_.empty())
      common.add_options()("output", po::value<std::string>(), "")("force", po::bool_switch(), "");
    if (resumable_)
      common.add_options()("resume", po::bool_switch(), "")("checkpoint-every", po::value<double>(), "");
    return common;
  }
  common.add_options()
      ("help,h", "print this help and exit")
      ("version", "print the version and exit")
      ("config", po::value<std::string>(), "read options from FILE (Boost config syntax: name = value per line)")
      ("threads", po::value<int>()->default_value(omp_get_max_threads()),
       ("OpenMP threads, 1.." + std::to_string(max_threads()) + " (results do not depend on it)").c_str())
      ("seed", po::value<std::string>()->default_value("1"), "random seed, 0..2^64-1 (same seed, same numbers)");
  if (!default_output_.empty())
    common.add_options()
        ("output,o", po::value<std::string>()->default_value(default_output_), "HDF5 file to write")
        ("force", po::bool_switch(), "overwrite an existing output file (and discard a checkpoint)");
  if (resumable_)
    common.add_options()
        ("resume", po::bool_switch(), "continue from OUTPUT.checkpoint.h5 (the same options, another thread count is fine)")
        ("checkpoint-every", po::value<double>()->default_value(default_checkpoint_seconds_),
         "seconds between checkpoints to OUTPUT.checkpoint.h5 (one is also written on SIGINT/SIGTERM)");
  return common;
}

std::optional<int> Tool::parse(int argc, char** argv) {
  po::options_description all;
  all.add(options_).add(common_options(false));
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional_).run(), values_);
    if (values_.count("help")) {
      std::cout << name_ << " — " << summary_ << "\n\nUsage: " << name_ << " [options]\n\n" << all << '\n';
      return 0;
    }
    if (values_.count("version")) {
      std::cout << name_ << " " << kVersion << " (" << kGitCommit << "); MPI: "
                << (ranks::available() ? ranks::library_version() : std::string("not built in")) << '\n';
      return 0;
    }
    if (values_.count("config")) {
      const std::string path = values_["config"].as<std::string>();
      std::ifstream in(path);
      if (!in) throw UsageError("--config", "cannot read '" + path + "'");
      po::options_description from_file;
      from_file.add(options_).add(common_options(true));
      po::store(po::parse_config_file(in, from_file), values_);
    }
    po::notify(values_);
  } catch (const po::error& e) {
    // Boost's messages already name the option ("the argument ('x') for option '--eta' is invalid").
    if (ranks::is_root()) std::cerr << name_ << ": " << e.what() << '\n';
    return 2;
  }
  return std::nullopt;
}

void Tool::resolve_common() {
  threads_ = static_cast<int>(require_at_least("--threads", values_["threads"].as<int>(), 1));
  if (threads_ > max_threads())
    throw UsageError("--threads", "at most " + std::to_string(max_threads()) + " (4 per processor of this machine)");
  seed_ = parse_unsigned("--seed", values_["seed"].as<std::string>());
  if (resumable_) {
    resume_ = values_["resume"].as<bool>();
    checkpoint_seconds_ = require_positive("--checkpoint-every", values_["checkpoint-every"].as<double>());
  }
  if (default_output_.empty()) return;
  output_ = values_["output"].as<std::string>();
  force_ = values_["force"].as<bool>();
  require_writable("--output", output_);
  namespace fs = std::filesystem;
  if (fs::exists(output_) && !force_ && !resume_)
    throw UsageError("--output", "'" + output_ + "' exists; use --force to overwrite it");
  const std::string checkpoint = output_ + ".checkpoint.h5";
  if (resumable_ && fs::exists(checkpoint) && !force_ && !resume_)
    throw UsageError("--resume", "'" + checkpoint + "' holds an interrupted run: continue it with --resume, "
                                 "or start afresh with --force");
}

int Tool::run(int argc, char** argv, const std::function<int()>& body) {
  for (int i = 0; i < argc; ++i) command_line_ += (i ? " " : "") + shell_quote(argv[i]);
  struct EndRanks {
    ~EndRanks() { ranks::finalise(); }
  } end_ranks;
  try {
    try {
      ranks::initialise(argc, argv);
    } catch (const std::exception& e) {
      throw UsageError("mpirun", e.what());
    }
    // Only rank 0 prints results; the other ranks report failures only (docs/conventions.md).
    if (!ranks::is_root() && !std::freopen("/dev/null", "w", stdout))
      throw std::runtime_error("cannot silence the standard output of rank " + std::to_string(ranks::rank()));
    if (const std::optional<int> status = parse(argc, argv)) return *status;
    if (ranks::size() > 1 && !distributes_)
      throw UsageError("mpirun", name_ + " runs in one process; start it without mpirun/srun (the tools that "
                                         "spread their work over ranks: xorscape-stationary, xorscape-wanglandau)");
    resolve_common();
    omp_set_num_threads(threads_);
    RunControl::install_signal_handlers();
    control_.watch_signals(true);
    return body();
  } catch (const UsageError& e) {
    // Every rank validates the same options and finds the same fault; rank 0 says it.
    if (ranks::is_root()) std::cerr << name_ << ": " << e.option() << ": " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    if (ranks::size() == 1) {
      std::cerr << name_ << ": error: " << e.what() << '\n';
      return 1;
    }
    // The other ranks may be waiting for this one: end them all.
    std::cerr << name_ << ": error on rank " << ranks::rank() << ": " << e.what() << '\n';
    ranks::abort(1);
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
  p.configuration["option:seed"] = static_cast<std::int64_t>(seed_);  // the parsed number, not its text
  if (ranks::size() > 1) p.configuration["ranks"] = static_cast<std::int64_t>(ranks::size());
  return p;
}

void require_writable(const std::string& option, const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) throw UsageError(option, "must not be empty");
  if (fs::is_directory(path)) throw UsageError(option, "'" + path + "' is a folder, not a file name");
  fs::path folder = fs::path(path).parent_path();
  if (folder.empty()) folder = ".";
  if (!fs::is_directory(folder)) throw UsageError(option, "folder '" + folder.string() + "' does not exist");
  const fs::path probe = folder / ("." + fs::path(path).filename().string() + ".probe" + std::to_string(::getpid()));
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0)
    throw UsageError(option, "cannot create files in folder '" + folder.string() + "' (" + std::strerror(errno) + ")");
  ::close(fd);
  ::unlink(probe.c_str());
}

void require_memory(const std::string& option, double bytes, const std::string& what) {
  const double available = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGESIZE));
  if (!(bytes <= 0.8 * available)) {
    char text[160];
    std::snprintf(text, sizeof text, "%s would need about %.3g GB of memory; this machine has %.3g GB", what.c_str(),
                  bytes / 1e9, available / 1e9);
    throw UsageError(option, text);
  }
}

std::uint64_t parse_unsigned(const std::string& option, const std::string& text) {
  if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos)
    throw UsageError(option, "'" + text + "' is not a whole number from 0 to 18446744073709551615");
  errno = 0;
  const unsigned long long value = std::strtoull(text.c_str(), nullptr, 10);
  if (value == std::numeric_limits<unsigned long long>::max() && errno == ERANGE)
    throw UsageError(option, "'" + text + "' is larger than 18446744073709551615");
  return value;
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
  if (!std::isfinite(range.hi - range.lo))
    throw UsageError(option, "range '" + text + "' is too wide (its width overflows a double)");
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

namespace {

using PointReader = Params (*)(const h5::Group&, const io::PointSelector&);

// The domain file unit that knows where a tool's files keep their points.
PointReader point_reader(const std::string& tool) {
  static const std::map<std::string, PointReader> readers{
      {"xorscape-train", training::read_point},          {"xorscape-converge", training::read_point},
      {"xorscape-slice", trajectory::read_point},        {"xorscape-trajectory", trajectory::read_point},
      {"xorscape-simplesample", entropy::read_point},    {"xorscape-wanglandau", entropy::read_point},
      {"xorscape-anneal", annealing::read_point},        {"xorscape-stationary", stationary::read_point}};
  const auto it = readers.find(tool);
  return it == readers.end() ? nullptr : it->second;
}

// FILE.h5[:SELECTOR]: the split after the file name's HDF5 suffix.
std::pair<std::string, std::string> split_file_selector(const std::string& text) {
  for (const char* suffix : {".h5:", ".hdf5:"}) {
    const size_t at = text.find(suffix);
    if (at != std::string::npos) {
      const size_t colon = at + std::string(suffix).size() - 1;
      return {text.substr(0, colon), text.substr(colon + 1)};
    }
  }
  return {text, ""};
}

ParameterPoint point_from_file(const std::string& option, const std::string& text,
                               const io::NetworkDescription& network) {
  const auto [path, selector_text] = split_file_selector(text);
  const int D = static_cast<int>(network.parameter_names.size());
  std::unique_ptr<h5::InputFile> file;
  try {
    file = std::make_unique<h5::InputFile>(path);
  } catch (const std::exception& e) {
    throw UsageError(option, e.what());
  }
  const h5::Group& root = file->root();
  ParameterPoint point{{}, text, ""};
  try {
    const io::PointSelector selector = io::parse_selector(selector_text);
    const std::string tool = root.has_attribute("tool") ? root.attribute_string("tool") : "";
    if (const PointReader reader = point_reader(tool)) {
      point.values = reader(root, selector);
    } else if (root.is_dataset("parameters") && selector.empty()) {
      point.values = root.read_doubles("parameters");
    } else {
      throw std::invalid_argument("is not an xorscape output with parameter points");
    }
    // A point that IS the file's center or initialisation keeps the note saying why it differs
    // from a printed Table 2 row; a trained or moved point does not.
    const bool center = selector.has("center") || (selector.empty() && (tool == "xorscape-slice" || tool == "xorscape-converge"));
    const bool initial = selector.has("initial");
    if (center && root.has_attribute("center_note")) point.note = root.attribute_string("center_note");
    if (initial && tool == "xorscape-train" && root.has_attribute("init_note")) point.note = root.attribute_string("init_note");
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    throw UsageError(option, "'" + text + "': " + e.what());
  }
  if (const auto found = io::read_network(root)) {
    const std::string mismatch = io::network_mismatch(network, *found);
    if (!mismatch.empty())
      throw UsageError(option, "'" + path + "' describes another network: " + mismatch +
                                   " (give the matching --n-hidden, --activation, --output-activation, --data)");
  }
  if (static_cast<int>(point.values.size()) != D)
    throw UsageError(option, "'" + text + "' has " + std::to_string(point.values.size()) + " parameters, n_h = " +
                                 std::to_string(network.architecture.n_hidden) + " needs " + std::to_string(D));
  for (double v : point.values)
    if (!std::isfinite(v)) throw UsageError(option, "'" + text + "' holds a value that is not finite");
  return point;
}

}  // namespace

ParameterPoint parse_point(const std::string& option, const std::string& text, const io::NetworkDescription& network) {
  const ParameterLayout layout(network.architecture.n_hidden);
  try {
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
      if (layout.n_hidden() != 2)
        throw UsageError(option, "published solution " + text + " has n_h = 2, not " +
                                     std::to_string(layout.n_hidden()));
      if (text.size() > 2) throw UsageError(option, "published solution " + text + " does not exist (1..5)");
      const PublishedSolution& s = published_solution(std::stoi(text));
      return {s.parameters, "published solution " + text + " (Table 2)", s.note};
    }
    const std::string file_part = split_file_selector(text).first;
    if (h5::is_hdf5_file(file_part) || (file_part.size() > 3 && (file_part.ends_with(".h5") || file_part.ends_with(".hdf5"))))
      return point_from_file(option, text, network);
    if (text.find('=') != std::string::npos) return {parse_parameter_assignments(text, layout), "name=value list", ""};
    return {read_parameter_file(text, layout), "parameter file " + text, ""};
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

void Progress::update(double done) { update(done, total_); }

void Progress::update(double done, double total) {
  if (!enabled_ || finished_) return;
  total_ = total;
  const auto now = std::chrono::steady_clock::now();
  if (!started_) {
    started_ = true;
    first_done_ = done;
    start_ = now;
  }
  if (now - last_ < std::chrono::milliseconds(250) && done < total_) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? (done - first_done_) / elapsed : 0.0;
  const double eta = rate > 0 ? (total_ - done) / rate : 0.0;
  const double percent = total_ > 0 ? 100.0 * done / total_ : 100.0;
  if (unit_.empty())
    std::fprintf(stderr, "\r%s: %5.1f%%  %.0f s  ETA %.0f s   ", label_.c_str(), percent, elapsed, eta);
  else
    std::fprintf(stderr, "\r%s: %5.1f%%  %.3g %s/s  ETA %.0f s   ", label_.c_str(), percent, rate, unit_.c_str(), eta);
  std::fflush(stderr);
}

RunControl::ProgressSink Progress::sink() {
  return [this](double done, double total) { update(done, total); };
}

Progress& Tool::progress() const {
  if (!progress_) progress_ = std::make_unique<Progress>(name_, 1.0, "");
  return *progress_;
}

void Progress::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "\r%s: done in %.1f s%30s\n", label_.c_str(), elapsed, "");
}

}  // namespace xorscape::cli
