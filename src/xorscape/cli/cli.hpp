#pragma once
// The command-line conventions every tool shares (DESIGN.md): --help, --version,
// --config FILE, --threads, --seed, -o/--output, --force; bad input exits with status 2
// and one line naming the option; progress on stderr when it is a terminal.
//
// A tool's main reads like a recipe:
//   cli::Tool tool("xorscape-x", "what it does", "x.h5");
//   tool.options().add_options()("eta", po::value<double>()->default_value(0.1), "learning rate");
//   return tool.run(argc, argv, [&] { ...validate, compute, write...; return 0; });
#include <boost/program_options.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "xorscape/core/run_control.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/core/network.hpp"

namespace xorscape::cli {

namespace po = boost::program_options;

// Bad input: reported as "TOOL: --OPTION: MESSAGE" with exit status 2.
class UsageError : public std::runtime_error {
 public:
  UsageError(std::string option, const std::string& message)
      : std::runtime_error(message), option_(std::move(option)) {}
  const std::string& option() const { return option_; }

 private:
  std::string option_;
};

class Tool {
 public:
  // default_output empty: the tool writes no HDF5 file and has no -o/--force.
  Tool(std::string name, std::string summary, std::string default_output = "");

  po::options_description& options() { return options_; }
  // Positional arguments (e.g. the export tool's FILE DATASET).
  po::positional_options_description& positional() { return positional_; }

  // Parses, handles --help/--version, validates the common options, installs the
  // SIGINT/SIGTERM handlers, sets the OpenMP thread count, then calls body.
  // Returns body's status, 0 after --help/--version, 2 for bad input, 1 for failures.
  int run(int argc, char** argv, const std::function<int()>& body);

  const std::string& name() const { return name_; }
  const po::variables_map& values() const { return values_; }
  bool given(const std::string& option) const { return values_.count(option) && !values_[option].defaulted(); }
  template <typename T>
  T get(const std::string& option) const {
    return values_[option].as<T>();
  }
  bool has(const std::string& option) const { return values_.count(option) > 0; }

  int threads() const { return threads_; }
  std::uint64_t seed() const { return seed_; }
  const std::string& output() const { return output_; }
  bool force() const { return force_; }
  const std::string& command_line() const { return command_line_; }
  // Everything an output file records about how it was made.
  h5::Provenance provenance() const;
  // The run's control: stops on SIGINT/SIGTERM (handlers installed by run()).
  RunControl& control() const { return control_; }

 private:
  std::string name_;
  std::string summary_;
  std::string default_output_;
  po::options_description options_;
  po::positional_options_description positional_;
  po::variables_map values_;
  int threads_ = 1;
  std::uint64_t seed_ = 1;
  std::string output_;
  bool force_ = false;
  std::string command_line_;
  mutable RunControl control_;
};

// Validators: each throws UsageError naming `option`.
double require_finite(const std::string& option, double value);
double require_positive(const std::string& option, double value);
long long require_at_least(const std::string& option, long long value, long long minimum);

struct Range {
  double lo;
  double hi;
};
// "LO:HI" with finite LO < HI.
Range parse_range(const std::string& option, const std::string& text);
// "N" (N x N) or "NxM", each at least `minimum`.
std::pair<int, int> parse_resolution(const std::string& option, const std::string& text, int minimum = 2);
// A list of numbers separated by commas, e.g. "0.01,0.1,1".
std::vector<double> parse_numbers(const std::string& option, const std::string& text);
Activation parse_activation(const std::string& option, const std::string& text);
Dataset parse_dataset(const std::string& option, const std::string& text);
// "A,B": two different parameter names of the layout.
std::pair<int, int> parse_pair(const std::string& option, const std::string& text, const ParameterLayout& layout);
// "all" or "A,B;C,D;...".
std::vector<std::pair<int, int>> parse_pairs(const std::string& option, const std::string& text,
                                             const ParameterLayout& layout);
// A published solution number (1..5, n_h = 2), a parameter file, or "name=value,..." (all D names).
Params parse_parameters(const std::string& option, const std::string& text, const ParameterLayout& layout);

// Progress on stderr with rate and ETA, redrawn at most a few times a second, only
// when stderr is a terminal (or XORSCAPE_PROGRESS=1); silent otherwise.
class Progress {
 public:
  Progress(std::string label, double total, std::string unit = "steps");
  ~Progress();
  void update(double done);
  void finish();

 private:
  std::string label_;
  double total_;
  std::string unit_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace xorscape::cli
