#pragma once
// The processes a run is spread over: one process alone (the default), or the ranks of an MPI
// launch (`mpirun -np K tool ...`, `srun tool ...`). The one place that talks to MPI; without
// MPI at build time (CMake option XORSCAPE_MPI) every function is the one-process version.
//
// How a distributed job uses it (docs/conventions.md, "Runs across processes"):
//   - every rank builds the same job from the same options and keeps the same state;
//   - work units are shared out by a fixed rule (unit u to rank u mod size), each rank computes
//     its units with its OpenMP threads, and all_gather gives every rank every result, in unit
//     order; so the state after each step is the same on every rank and the same as one process
//     computing all units (bit for bit: a unit's numbers never depend on where it ran);
//   - decisions that depend on the clock or on signals (a checkpoint is due, SIGINT) are agreed
//     with any(), so every rank leaves a loop at the same unit boundary;
//   - only rank 0 writes files and prints; the others stay silent.
// MPI is initialised only when the process was started by an MPI launcher (the launcher's
// environment says so), so a tool started by hand never loads MPI's runtime.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace xorscape::ranks {

// True when built with MPI (CMake found it and XORSCAPE_MPI is on).
bool available();
// The MPI library's own version line, or "none" without MPI.
std::string library_version();
// True when the environment shows an MPI launcher started this process with more than one rank
// (OMPI_COMM_WORLD_SIZE, PMI_SIZE, PMIX_SIZE or SLURM_NTASKS with SLURM_PROCID under srun).
bool launched_with_several();

// Starts MPI when launched by an MPI launcher (and built with it). Throws std::runtime_error
// when launched with several ranks by a build without MPI: each rank would run alone and they
// would overwrite each other's files.
void initialise(int& argc, char**& argv);
// Ends MPI (a no-op when it was never started). Safe to call twice.
void finalise();
// Ends every rank at once with `status` (MPI_Abort), after a failure on one rank that the
// others cannot know of; a plain exit without MPI.
[[noreturn]] void abort(int status);

int rank();
int size();
inline bool is_root() { return rank() == 0; }

// Collective calls: every rank must make the same calls in the same order.
bool any(bool flag);  // logical or over the ranks
void barrier();
// Every rank's bytes, indexed by rank, on every rank.
std::vector<std::vector<std::byte>> all_gather(const std::vector<std::byte>& mine);

// The units [0, count) this rank computes: u with u mod size == rank.
inline bool owns(std::int64_t unit) { return size() == 1 || unit % size() == rank(); }

// Flat serialisation of plain values and vectors of them for all_gather (same machine type on
// every rank: a run is one executable).
class Packer {
 public:
  template <class T>
  void put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const std::byte*>(&value);
    bytes_.insert(bytes_.end(), p, p + sizeof(T));
  }
  template <class T>
  void put(const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    put(static_cast<std::uint64_t>(values.size()));
    const auto* p = reinterpret_cast<const std::byte*>(values.data());
    bytes_.insert(bytes_.end(), p, p + values.size() * sizeof(T));
  }
  const std::vector<std::byte>& bytes() const { return bytes_; }

 private:
  std::vector<std::byte> bytes_;
};

class Unpacker {
 public:
  explicit Unpacker(const std::vector<std::byte>& bytes) : bytes_(bytes) {}
  template <class T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    take(&value, sizeof(T));
    return value;
  }
  template <class T>
  std::vector<T> get_vector() {
    std::vector<T> values(static_cast<std::size_t>(get<std::uint64_t>()));
    take(values.data(), values.size() * sizeof(T));
    return values;
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  void take(void* out, std::size_t n) {
    if (n > bytes_.size() - at_) throw std::runtime_error("ranks: a message is shorter than its contents");
    if (n) std::memcpy(out, bytes_.data() + at_, n);
    at_ += n;
  }
  const std::vector<std::byte>& bytes_;
  std::size_t at_ = 0;
};

}  // namespace xorscape::ranks
