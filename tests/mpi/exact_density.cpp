// The exact density of states through the MPI path (tests/e2e_mpi_wanglandau.sh): replica-exchange
// Wang-Landau with a production run on E = |x|^2 in [-1, 1]^4 (80 bins, 3 windows: the settings and seed of the one-process test in test_entropy.cpp), run alone
// or under mpirun. Rank 0 prints every ln g as a hexadecimal float (so runs compare bit for bit) and
// exits 1 when any bin with E <= 1 is further from the exact density than the tolerances of the
// one-process test (0.1 for Wang-Landau to ln f = 1e-5, 0.04 after 3e6 production steps).
// Usage: xorscape-mpi-exact-density THREADS
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "xorscape/core/ranks.hpp"
#include "xorscape/entropy/wanglandau.hpp"

using namespace xorscape;
using namespace xorscape::entropy;

int main(int argc, char** argv) {
  ranks::initialise(argc, argv);
  omp_set_num_threads(argc > 1 ? std::atoi(argv[1]) : 1);
  const int d = 4, bins = 80;
  WangLandauSpec spec;
  spec.windows = 3;
  spec.runs = 1;
  spec.ln_f_final = 1e-5;
  spec.seed = 9;
  spec.round_steps = 20000;
  spec.check_interval = 2000;
  spec.production_steps = 3000000;
  const LossBinning binning(0.0, d, bins);
  ReplicaExchangeWangLandau<SquaredNormModel> sampler(SquaredNormModel(d), binning, spec, d * std::log(2.0));
  sampler.advance();
  int status = sampler.finished() ? 0 : 1;
  if (ranks::is_root()) {
    for (int run = 0; run < spec.runs; ++run) {
      const RunResult r = sampler.result(run);
      double worst_wl = 0.0, worst_prod = 0.0;
      for (int b = 0; b < bins; ++b) {
        std::printf("%d %d %a %a %d %d\n", run, b, r.ln_g_wang_landau[b], r.ln_g_production[b],
                    r.known_wang_landau[b], r.known_production[b]);
        if (binning.upper_edge(b) > 1.0 + 1e-12) continue;
        const double exact = SquaredNormModel::exact_ln_mean_density(d, binning.lower_edge(b), binning.upper_edge(b));
        worst_wl = std::max(worst_wl, std::abs(r.ln_g_wang_landau[b] - exact));
        worst_prod = std::max(worst_prod, std::abs(r.ln_g_production[b] - exact));
      }
      std::fprintf(stderr, "run %d: worst |ln g - exact| over E <= 1: Wang-Landau %.4f, production %.4f\n", run,
                   worst_wl, worst_prod);
      if (!(worst_wl < 0.1 && worst_prod < 0.04)) status = 1;
    }
    std::printf("steps %lld rounds %lld\n", static_cast<long long>(sampler.total_steps()),
                static_cast<long long>(sampler.rounds()));
    std::fprintf(stderr, "%d ranks\n", ranks::size());
  }
  ranks::finalise();
  return status;
}
