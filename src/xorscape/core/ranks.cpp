#include "xorscape/core/ranks.hpp"

#include <cstdlib>

#ifdef XORSCAPE_HAVE_MPI
#include <mpi.h>
#endif

namespace xorscape::ranks {

namespace {

long environment_number(const char* name) {
  const char* text = std::getenv(name);
  if (!text || !*text) return -1;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  return (end && *end == '\0') ? value : -1;
}

// The number of ranks an MPI launcher announced, or -1 when no launcher started this process.
long launcher_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "SLURM_STEP_NUM_TASKS"})
    if (const long n = environment_number(name); n > 0) return n;
  if (std::getenv("PMIX_RANK")) return 1;  // a PMIx launch that does not export its size
  return -1;
}

#ifdef XORSCAPE_HAVE_MPI
bool started = false;
bool ended = false;
int my_rank = 0;
int my_size = 1;
#endif

}  // namespace

bool launched_with_several() { return launcher_size() > 1; }

#ifdef XORSCAPE_HAVE_MPI

bool available() { return true; }

std::string library_version() {
  char text[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(text, &length);
  std::string line(text, static_cast<std::size_t>(length));
  if (const auto cut = line.find_first_of(",\n"); cut != std::string::npos) line.resize(cut);
  return line;
}

void initialise(int& argc, char**& argv) {
  if (started || launcher_size() < 0) return;
  int provided = 0;
  // Only the main thread calls MPI; OpenMP threads never do.
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  started = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &my_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &my_size);
}

void finalise() {
  if (!started || ended) return;
  ended = true;
  MPI_Finalize();
}

void abort(int status) {
  if (started && !ended && my_size > 1) MPI_Abort(MPI_COMM_WORLD, status);
  std::exit(status);
}

int rank() { return my_rank; }
int size() { return my_size; }

bool any(bool flag) {
  if (my_size == 1) return flag;
  int mine = flag ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
  return all != 0;
}

void barrier() {
  if (my_size > 1) MPI_Barrier(MPI_COMM_WORLD);
}

std::vector<std::vector<std::byte>> all_gather(const std::vector<std::byte>& mine) {
  if (my_size == 1) return {mine};
  const long long mine_size = static_cast<long long>(mine.size());
  std::vector<long long> sizes(static_cast<std::size_t>(my_size));
  MPI_Allgather(&mine_size, 1, MPI_LONG_LONG, sizes.data(), 1, MPI_LONG_LONG, MPI_COMM_WORLD);
  std::vector<int> counts(sizes.size()), offsets(sizes.size());
  long long total = 0;
  for (std::size_t r = 0; r < sizes.size(); ++r) {
    if (total + sizes[r] > 2147483647LL) throw std::runtime_error("ranks: a gathered message exceeds 2 GiB");
    offsets[r] = static_cast<int>(total);
    counts[r] = static_cast<int>(sizes[r]);
    total += sizes[r];
  }
  std::vector<std::byte> all(static_cast<std::size_t>(total));
  MPI_Allgatherv(mine.data(), static_cast<int>(mine_size), MPI_BYTE, all.data(), counts.data(), offsets.data(),
                 MPI_BYTE, MPI_COMM_WORLD);
  std::vector<std::vector<std::byte>> out(sizes.size());
  for (std::size_t r = 0; r < sizes.size(); ++r)
    out[r].assign(all.begin() + offsets[r], all.begin() + offsets[r] + counts[r]);
  return out;
}

#else

bool available() { return false; }
std::string library_version() { return "none"; }

void initialise(int&, char**&) {
  if (launched_with_several())
    throw std::runtime_error(
        "started by an MPI launcher with several ranks, but this build has no MPI (configure with "
        "-DXORSCAPE_MPI=ON and an MPI library installed); each rank would run alone");
}
void finalise() {}
void abort(int status) { std::exit(status); }
int rank() { return 0; }
int size() { return 1; }
bool any(bool flag) { return flag; }
void barrier() {}
std::vector<std::vector<std::byte>> all_gather(const std::vector<std::byte>& mine) { return {mine}; }

#endif

}  // namespace xorscape::ranks
