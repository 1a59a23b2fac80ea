#pragma once
// The one runner of long jobs (ALPSCore's run(stop_callback)): it owns --resume, periodic
// checkpoints, SIGINT/SIGTERM, the exit status after a signal, the progress display, the
// output file and the clean-up of checkpoints and temporary files. A tool's main builds the
// job from its options and hands it over:
//
//   cli::Tool tool("xorscape-x", "...", "x.h5");
//   tool.enable_resume();
//   ... options ...
//   return tool.run(argc, argv, [&] {
//     XJob job(read_x_spec(tool));
//     return cli::run_job(tool, job, [&](const h5::Group& root) { x_file::write(root, job.result()); });
//   });
//
// What it does, in order:
//   1. --resume: loads OUTPUT.checkpoint.h5 (status 2 when it was made with other settings or
//      is not a checkpoint). Without a checkpoint: an OUTPUT that exists is finished, so there is
//      nothing to do (status 0) unless the job can extend it (Extendable); no OUTPUT either:
//      status 2, there is nothing to resume.
//   2. advances the job with the tool's RunControl: progress on stderr (a bar on a terminal,
//      a line per checkpoint otherwise), a deadline every --checkpoint-every seconds at which
//      the state is saved atomically, and SIGINT/SIGTERM, after which the state is saved and
//      the tool exits with status 130 (kExitStopped).
//   3. writes OUTPUT atomically (provenance, then write(root)), removes the checkpoint.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>

#include "xorscape/cli/cli.hpp"
#include "xorscape/io/checkpoint.hpp"

namespace xorscape::cli {

// A job that can continue from its own finished output (e.g. a census extended to more trials):
// returns true when the output was loaded and there is more to do.
template <class Job>
concept Extendable = io::Resumable<Job> && requires(Job& job, const h5::Group& root) {
  { job.extend(root) } -> std::convertible_to<bool>;
};

// Messages and the progress display shared by the runners (runner.cpp).
namespace runner_detail {
void attach_progress(const Tool& tool);
void note(const Tool& tool, const std::string& message);
bool stderr_is_terminal();
void finish_progress(const Tool& tool);
// Under MPI (core/ranks.hpp): whether this process writes files, and a flag agreed by all ranks.
bool is_root();
bool any_rank(bool flag);
}  // namespace runner_detail

// Where a job's result goes.
enum class OutputMode {
  new_file,         // OUTPUT is written afresh (provenance, then write(root)); without a checkpoint,
                    // an existing OUTPUT is a finished run
  update_existing,  // OUTPUT exists and write(root) changes it atomically (h5::UpdateFile), e.g. the
                    // trajectories xorscape-trajectory --into adds to a slice file; its root keeps
                    // its own provenance
};

// run_job with the output named by the tool rather than by -o (the checkpoint is OUTPUT.checkpoint.h5).
template <io::Resumable Job>
int run_job(const Tool& tool, Job& job, const std::filesystem::path& output, OutputMode mode,
            const std::function<void(const h5::Group&)>& write);

template <io::Resumable Job>
int run_job(const Tool& tool, Job& job, const std::function<void(const h5::Group&)>& write) {
  return run_job(tool, job, tool.output(), OutputMode::new_file, write);
}

template <io::Resumable Job>
int run_job(const Tool& tool, Job& job, const std::filesystem::path& output, OutputMode mode,
            const std::function<void(const h5::Group&)>& write) {
  namespace fs = std::filesystem;
  using Clock = std::chrono::steady_clock;
  const fs::path checkpoint = io::checkpoint_path(output);
  if (runner_detail::is_root()) {
    h5::remove_stale_temporaries(output);
    h5::remove_stale_temporaries(checkpoint);
  }
  if (tool.resume()) {
    if (fs::exists(checkpoint)) {
      try {
        io::load_checkpoint(checkpoint, job);
      } catch (const io::CheckpointMismatch& e) {
        throw UsageError("--resume", e.what());
      }
      char done[32];
      std::snprintf(done, sizeof done, "%.0f %%", 100.0 * job.fraction_done());
      runner_detail::note(tool, "continuing from " + checkpoint.string() + " (" + done + " done)");
    } else if (mode == OutputMode::new_file && fs::exists(output)) {
      bool more = false;
      if constexpr (Extendable<Job>) {
        try {
          h5::InputFile finished(output);
          more = job.extend(finished.root());
        } catch (const UsageError&) {
          throw;
        } catch (const std::exception& e) {
          throw UsageError("--resume", "cannot continue '" + output.string() + "': " + e.what());
        }
      }
      if (!more) {
        runner_detail::note(tool, output.string() + " is complete; nothing to resume");
        return 0;
      }
      runner_detail::note(tool, "extending " + output.string());
    } else if (mode == OutputMode::new_file) {
      throw UsageError("--resume", "nothing to resume: neither '" + checkpoint.string() + "' nor '" +
                                       output.string() + "' exists");
    } else {
      throw UsageError("--resume", "nothing to resume: '" + checkpoint.string() + "' does not exist");
    }
  }
  RunControl& control = tool.control();
  runner_detail::attach_progress(tool);
  const auto start = Clock::now();
  const auto every = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(tool.checkpoint_seconds()));
  while (!job.finished()) {
    control.set_deadline(Clock::now() + every);
    job.advance(control);
    control.clear_deadline();
    if (job.finished()) break;
    // Under MPI a distributed job keeps the same state on every rank; rank 0 saves it, and the
    // ranks agree on whether a signal reached any of them.
    if (runner_detail::is_root()) io::save_checkpoint(checkpoint, job, tool.provenance());
    const bool interrupted = runner_detail::any_rank(control.interrupted());
    char line[160];
    if (interrupted) {
      runner_detail::finish_progress(tool);
      std::snprintf(line, sizeof line, "stopped at %.1f %%; checkpoint written to ", 100.0 * job.fraction_done());
      runner_detail::note(tool, line + checkpoint.string() + " (continue with the same options and --resume)");
      return kExitStopped;
    }
    if (!runner_detail::stderr_is_terminal()) {
      std::snprintf(line, sizeof line, "%.1f %% done after %.0f s; checkpoint ", 100.0 * job.fraction_done(),
                    std::chrono::duration<double>(Clock::now() - start).count());
      runner_detail::note(tool, line + checkpoint.string());
    }
  }
  runner_detail::finish_progress(tool);
  if (!runner_detail::is_root()) return 0;
  if (mode == OutputMode::new_file) {
    h5::OutputFile file(output, true);
    file.write_provenance(tool.provenance());
    write(file.root());
    file.commit();
  } else {
    h5::UpdateFile file(output);
    write(file.root());
    file.commit();
  }
  std::error_code ignored;
  fs::remove(checkpoint, ignored);
  return 0;
}

// For a computation that is not resumable (a slice, a benchmark): after it returned, a stop by
// SIGINT/SIGTERM gives status 130 and one line saying nothing was written.
int stopped(const Tool& tool);

}  // namespace xorscape::cli
