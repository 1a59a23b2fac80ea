#pragma once
// xorscape-wanglandau's computation as a resumable job (io/checkpoint.hpp): the replica-exchange
// Wang-Landau sampler of the XOR network's loss, and what its runs give together: the estimates
// of every run on the bins every run reached, their mean and spread over runs, and the
// microcanonical inflection-point analysis of the mean curve.
#include <cstdint>
#include <string>
#include <vector>

#include "xorscape/core/run_control.hpp"
#include "xorscape/entropy/entropy.hpp"
#include "xorscape/entropy/models.hpp"
#include "xorscape/entropy/wanglandau.hpp"
#include "xorscape/io/h5.hpp"

namespace xorscape::entropy {

using NetworkSampler = ReplicaExchangeWangLandau<XorNetworkModel>;

// The runs of a finished sampler, combined.
struct WangLandauSummary {
  std::vector<RunResult> runs;
  bool production = false;  // the runs have a multicanonical production estimate
  // The Wang-Landau estimates of the K runs (rows 0..K-1) and, with production, their production
  // estimates (rows K..2K-1), on one loss axis: the bins every estimate knows.
  CombinedEntropy combined;
  MeanAndSpread wang_landau;  // over the runs' Wang-Landau estimates
  MeanAndSpread refined;      // over the runs' production estimates (empty without production)
  // The estimate S(L) stands for: the production estimate where there is one.
  const MeanAndSpread& estimate() const { return production ? refined : wang_landau; }
  // Row r of combined.each that is run r's estimate.
  const std::vector<double>& run_estimate(int run) const {
    return combined.each[(production ? runs.size() : 0) + static_cast<std::size_t>(run)];
  }
  // The inflection-point analysis of estimate().mean (when at least 7 bins were reached).
  bool analysed = false;
  double smoothing = 0.0;  // half-width in L of the local fit
  Derivatives derivatives;
  std::vector<Feature> features;
  // Over runs.
  bool converged = true;
  double lowest_loss = 1e300, highest_loss = -1e300;
};

WangLandauSummary summarise(const NetworkSampler& sampler, double smoothing);

// A simple-sampling histogram of the same network and box (xorscape-wanglandau --compare).
struct SimpleSamplingReference {
  std::string path;
  LossBinning binning;
  std::vector<double> counts;
  double samples = 0.0;
};

// Wang-Landau against simple sampling on the common bins of their binnings (common_bins), over
// the bins every run knows and where simple sampling is precise: its standard error of S at most
// `precision_cut`. The Wang-Landau error is the standard error of the mean over the K >= 2 runs
// (each run normalised on its own, so the normalisation's error is part of the spread), its
// variance pooled over the compared bins within +-kComparisonPooling: a variance from K runs alone
// has K - 1 degrees of freedom, and (residual / sigma)^2 then averages (K - 1) / (K - 3) (3 for
// K = 4) even without a bias; pooled over 11 neighbours it averages about 1. The two errors are
// combined in quadrature.
inline constexpr int kComparisonPooling = 5;
struct Comparison {
  double precision_cut = 0.0;
  int pooling = 0;
  int common_bins = 0;  // common bins before the cut
  std::vector<double> lower, upper, loss;  // the compared bins
  std::vector<double> wang_landau, wang_landau_bin_error, wang_landau_error, simple, simple_error, residual, sigma;
  AgreementStatistics statistics;
};
// Throws std::runtime_error when fewer than 2 runs or no bin passes the cut.
Comparison compare_with_simple_sampling(const WangLandauSummary& summary, const LossBinning& binning,
                                        const SimpleSamplingReference& reference, double ln_volume,
                                        double precision_cut);

class WangLandauJob {
 public:
  // smoothing: the half-width in L of the local fit behind beta(L) (summary()).
  WangLandauJob(EntropyProblem problem, WangLandauSpec spec, double smoothing);
  std::string identity() const;
  bool finished() const { return sampler_.finished(); }
  double fraction_done() const { return sampler_.progress(); }
  void advance(const RunControl& control);
  void save(const h5::Group& group) const;
  void load(const h5::Group& group);

  const EntropyProblem& problem() const { return problem_; }
  const NetworkSampler& sampler() const { return sampler_; }
  double smoothing() const { return smoothing_; }
  // Wall-clock seconds spent in advance(), summed over resumed runs.
  double seconds() const { return seconds_; }
  WangLandauSummary summary() const { return summarise(sampler_, smoothing_); }

 private:
  EntropyProblem problem_;
  double smoothing_;
  NetworkSampler sampler_;
  double seconds_ = 0.0;
};

// Benchmarks: Wang-Landau steps of one sigmoid-network walker (1000 bins, box R = 10,
// ln f = 1e-3) after a warm-up of 10^6 steps, per second of its thread's processor time and of
// wall-clock time; and two such walkers (n_h = 2) on `threads` threads, steps per wall-clock second.
struct StepRates {
  double per_cpu_second = 0.0;
  double per_second = 0.0;
};
StepRates wang_landau_step_rates(int n_hidden, std::int64_t steps);
double two_walker_rate(int threads, std::int64_t steps);

}  // namespace xorscape::entropy
