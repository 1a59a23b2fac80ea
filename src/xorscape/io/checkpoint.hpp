#pragma once
// The checkpoint contract (ALPSCore's mcbase: save/load/run(stop_callback)). A long job
//   - has an identity: one line naming everything that must agree for a saved state to be
//     continued (network, data, options that change the numbers, seed);
//   - advances until it is finished or its RunControl asks it to stop, and on every return
//     leaves a state that save() can store (work units interrupted half-way are dropped and
//     redone after a resume, so a resumed run reaches exactly the uninterrupted result);
//   - saves that state to an HDF5 group and loads it back.
// cli::run_job drives every resumable tool through this contract.
//
// A checkpoint file OUTPUT.checkpoint.h5 holds the root attributes
//   checkpoint_format  "xorscape checkpoint 1"
//   identity           the job's identity
//   fraction_done      how far the job was (0..1)
// plus the tool's provenance, and the job's state in the group /state. It is written like
// every output: under a temporary name, renamed into place when complete.
#include <concepts>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "xorscape/core/run_control.hpp"
#include "xorscape/io/h5.hpp"

namespace xorscape::io {

template <class Job>
concept Resumable = requires(Job& job, const Job& saved, const h5::Group& group, const RunControl& control) {
  { saved.identity() } -> std::convertible_to<std::string>;
  { saved.finished() } -> std::convertible_to<bool>;
  { saved.fraction_done() } -> std::convertible_to<double>;
  job.advance(control);
  saved.save(group);
  job.load(group);
};

inline constexpr const char* kCheckpointFormat = "xorscape checkpoint 1";

// OUTPUT.checkpoint.h5 next to the output.
inline std::filesystem::path checkpoint_path(const std::filesystem::path& output) {
  return output.string() + ".checkpoint.h5";
}

// A checkpoint that exists but cannot be continued: another identity, another program's
// file, or not a checkpoint at all. The message says which.
class CheckpointMismatch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <Resumable Job>
void save_checkpoint(const std::filesystem::path& path, const Job& job, const h5::Provenance& provenance) {
  h5::OutputFile file(path, true);
  file.write_provenance(provenance);
  file.root().set_attribute("checkpoint_format", std::string(kCheckpointFormat));
  file.root().set_attribute("identity", std::string(job.identity()));
  file.root().set_attribute("fraction_done", static_cast<double>(job.fraction_done()));
  job.save(file.root().create_group("state"));
  file.commit();
}

// Reads the identity a checkpoint was made with; throws CheckpointMismatch for a file that is
// not a checkpoint.
std::string checkpoint_identity(const h5::Group& root, const std::filesystem::path& path);

template <Resumable Job>
void load_checkpoint(const std::filesystem::path& path, Job& job) {
  std::string identity;
  try {
    h5::InputFile file(path);
    identity = checkpoint_identity(file.root(), path);
    if (identity != std::string(job.identity()))
      throw CheckpointMismatch("'" + path.string() + "' was made with other settings (" + identity +
                               "); this run has (" + std::string(job.identity()) + ")");
    job.load(file.root().open_group("state"));
  } catch (const CheckpointMismatch&) {
    throw;
  } catch (const std::exception& e) {
    throw CheckpointMismatch("cannot continue from '" + path.string() + "': " + e.what());
  }
}

}  // namespace xorscape::io
