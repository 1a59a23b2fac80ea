#pragma once
// The command-line conventions every tool shares (DESIGN.md): --help, --version,
// --config FILE, --threads, --seed, -o/--output, --force, and for resumable tools --resume and
// --checkpoint-every; bad input exits with status 2 and one line naming the option, before any
// work starts; progress on stderr when it is a terminal.
//
// Exit status of every tool:
//   0    done (also: --resume of a run that had already finished)
//   1    a failure while working (an I/O error, say); nothing is left under the output name
//   2    bad input, found before any work started
//   130  stopped by SIGINT or SIGTERM; a resumable tool has written its checkpoint
//
// A tool's main reads like a recipe:
//   cli::Tool tool("xorscape-x", "what it does", "x.h5");
//   tool.options().add_options()("eta", po::value<double>()->default_value(0.1), "learning rate");
//   return tool.run(argc, argv, [&] { ...validate, compute, write...; return 0; });
#include <boost/program_options.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "xorscape/core/run_control.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/io/network_file.hpp"
#include "xorscape/core/network.hpp"

namespace xorscape::cli {

namespace po = boost::program_options;

inline constexpr int kExitStopped = 130;
class Progress;
// The most OpenMP threads a tool accepts: 4 per processor the system reports, and at least 256.
int max_threads();

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
  // Adds --resume and --checkpoint-every (a tool driven by cli::run_job).
  void enable_resume(double default_checkpoint_seconds = 60.0);
  bool resumable() const { return resumable_; }
  // The tool spreads its work over the ranks of an MPI launch (core/ranks.hpp); the others refuse
  // to start under mpirun/srun with several ranks (status 2).
  void enable_distribution() { distributes_ = true; }

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
  bool resume() const { return resume_; }
  double checkpoint_seconds() const { return checkpoint_seconds_; }
  const std::string& command_line() const { return command_line_; }
  // Everything an output file records about how it was made.
  h5::Provenance provenance() const;
  // The run's control: stops on SIGINT/SIGTERM (handlers installed by run()).
  RunControl& control() const { return control_; }
  // The tool's progress display on stderr (created on first use).
  Progress& progress() const;

 private:
  // The common options, declared here and, without help texts, for --config files.
  po::options_description common_options(bool for_config_file) const;
  // Reads the command line (and a --config file) into values_; a status when the tool is done
  // already (--help, --version: 0; a malformed option: 2).
  std::optional<int> parse(int argc, char** argv);
  // Checks and stores the common options (threads, seed, output, resume) before any work.
  void resolve_common();

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
  bool resumable_ = false;
  bool distributes_ = false;
  bool resume_ = false;
  double default_checkpoint_seconds_ = 60.0;
  double checkpoint_seconds_ = 60.0;
  std::string command_line_;
  mutable RunControl control_;
  mutable std::unique_ptr<Progress> progress_;
};

// Validators: each throws UsageError naming `option`.
// A file that will be written: its folder exists and takes a new file (probed by creating and
// removing one), and it is not a folder itself.
void require_writable(const std::string& option, const std::string& path);
// The estimated memory a run needs against the machine's physical memory.
void require_memory(const std::string& option, double bytes, const std::string& what);
// A whole number from 0 to 2^64 - 1 (no sign, no wrap-around).
std::uint64_t parse_unsigned(const std::string& option, const std::string& text);
double require_finite(const std::string& option, double value);
double require_positive(const std::string& option, double value);
long long require_at_least(const std::string& option, long long value, long long minimum);

struct Range {
  double lo;
  double hi;
};
// "LO:HI" with finite LO < HI and a finite width HI - LO.
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
// A parameter point as a user names it (docs/parameter-points.md):
//   1..5                 a published solution (Table 2 of the dissecting paper, n_h = 2)
//   name=value,...       all D parameters by name
//   FILE                 a text file of "name = value" lines
//   FILE.h5[:SELECTOR]   a point in an output of any xorscape tool (train.h5:run=3,
//                        census.h5:class=7, trajectory.h5:end, slice.h5:center, ...); the file's
//                        network must be the tool's (n_h, activations, data)
struct ParameterPoint {
  Params values;
  std::string source;  // what was named, for provenance ("published solution 3", "train.h5:run=3")
  std::string note;    // why the values differ from what was named (published rows 3 and 4), else empty
};
ParameterPoint parse_point(const std::string& option, const std::string& text, const io::NetworkDescription& network);

// Progress on stderr with rate and ETA, redrawn at most a few times a second, only
// when stderr is a terminal (or XORSCAPE_PROGRESS=1); silent otherwise.
// The rate and ETA count only the work done since the display started (a resumed run does not
// look faster than it is). An empty unit shows percent and ETA only.
class Progress {
 public:
  Progress(std::string label, double total, std::string unit = "steps");
  ~Progress();
  void update(double done);
  void update(double done, double total);
  void finish();
  // A RunControl progress sink that updates this display.
  RunControl::ProgressSink sink();

 private:
  std::string label_;
  double total_;
  std::string unit_;
  bool enabled_;
  bool finished_ = false;
  bool started_ = false;
  double first_done_ = 0.0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace xorscape::cli
