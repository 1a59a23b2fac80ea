#pragma once
// What the Catch2 tests share: a fresh scratch folder per test, a scoped OpenMP thread count.
#include <omp.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace xorscape::testing {

// An empty folder below the system's temporary folder, unique to this test process; callers
// remove it (std::filesystem::remove_all) when they are done.
inline std::filesystem::path fresh_folder(const std::string& name) {
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() / ("xorscape-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

// OpenMP's thread count set for one scope and restored at its end.
class ThreadCount {
 public:
  explicit ThreadCount(int threads) : saved_(omp_get_max_threads()) { omp_set_num_threads(threads); }
  ~ThreadCount() { omp_set_num_threads(saved_); }
  ThreadCount(const ThreadCount&) = delete;
  ThreadCount& operator=(const ThreadCount&) = delete;

 private:
  int saved_;
};

}  // namespace xorscape::testing
