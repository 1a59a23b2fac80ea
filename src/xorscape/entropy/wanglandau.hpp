#pragma once
// Wang-Landau sampling of a density of states (Wang & Landau, PRL 86, 2050 and PRE 64, 056101),
// optionally with the 1/t schedule (Belardinelli & Pereyra, PRE 75, 046701), replica exchange
// between overlapping energy windows (Vogel, Li, Wuest & Landau, PRL 110, 210603) and a
// multicanonical production run with the fixed weights 1/g (Berg & Neuhaus) that refines ln g
// from its histogram. Generic over the energy function (a SamplerModel, entropy/models.hpp).
//
// Structure, per independent run:
//   1. discovery: one walker over the whole binning at ln f = ln_f_initial until its histogram is
//      first flat (or a step cap). It finds the reachable range and stores one state per bin.
//   2. Wang-Landau: one walker per window, windows spread over the discovered range with the
//      given overlap (the lowest window reaches down to the first bin and the highest up to the
//      last, so rarer extremes can still be found). Walkers exchange configurations with their
//      neighbours between rounds.
//   3. production: fixed weights, histogram H; ln g_refined = ln g + ln H.
// All walkers of all runs advance in rounds of `round_steps` steps; a round is the unit of
// parallel work (OpenMP over walkers) and of replica exchange. Each walker draws from its own
// stream keyed by (run, window), exchanges from streams keyed by (run, round, pair): the result
// depends on the seed only, never on the thread count. A stop (RunControl) is honoured inside a
// round, every kPollSteps steps of a walker and after every newly found bin (which costs O(bins)):
// the walker keeps the steps it still owes the round (round_left), so the next advance, in this
// process or after load(), finishes that same round and the exchange schedule is unchanged.
// save()/load() store the whole state, models included bit for bit (SamplerModel::cache).
// A distributed version would give each rank its walkers and exchange energies and ln g values
// of neighbours between rounds: Walker and advance_walker need no change for that.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "xorscape/core/ranks.hpp"
#include "xorscape/core/rng.hpp"
#include "xorscape/core/run_control.hpp"
#include "xorscape/core/stopwatch.hpp"
#include "xorscape/entropy/entropy.hpp"
#include "xorscape/entropy/models.hpp"
#include "xorscape/io/h5.hpp"

namespace xorscape::entropy {

enum class Schedule { halving, one_over_t };
std::string to_string(Schedule schedule);
Schedule parse_schedule(const std::string& text);  // "halving" or "1/t"; throws std::invalid_argument

struct WangLandauSpec {
  double flatness = 0.8;          // min H >= flatness * mean H over the visited bins of a window
  double ln_f_initial = 1.0;
  double ln_f_final = 1e-8;
  Schedule schedule = Schedule::halving;
  int windows = 1;                // replica-exchange windows per run
  double overlap = 0.75;          // fraction of a window shared with its neighbour
  int runs = 1;                   // independent runs (mean and spread of S)
  std::uint64_t seed = 1;
  std::int64_t round_steps = 1 << 18;   // steps per walker between exchanges
  std::int64_t check_interval = 0;      // steps between flatness checks; 0: 20 x window bins, >= 10^4
  std::int64_t discovery_steps = 100000000;  // cap on the discovery phase of each run
  std::int64_t production_steps = 0;    // multicanonical steps per window (0: no production run)
  std::int64_t max_steps = 0;           // cap on Wang-Landau steps per walker (0: none); hit = not converged
  double target_acceptance = 0.4;       // the step size of each coordinate is adapted towards it
  std::string describe() const;
};

enum class Phase : std::int32_t { discovery = 0, wang_landau = 1, production = 2, done = 3 };

// Steps of a walker between two polls of the RunControl (well under a millisecond).
inline constexpr std::int64_t kPollSteps = 4096;

// What a walker confined to the bins [first, first + count) records besides its model.
struct WalkerRecord {
  RandomStream rng{0};
  int first = 0, count = 0;
  int bin = 0;  // current bin (global index)
  Phase phase = Phase::wang_landau;
  bool one_over_t = false;
  bool converged = false;
  double ln_f = 1.0;
  std::int64_t steps = 0;             // steps in the current phase
  std::int64_t since_check = 0;
  std::int64_t check_interval = 10000;
  std::int64_t round_left = 0;        // steps the walker still owes the current round
  std::vector<double> ln_g;
  std::vector<std::int64_t> histogram;   // Wang-Landau histogram since the last ln f change
  std::vector<std::int64_t> production;  // production-run histogram
  std::vector<std::uint8_t> visited;
  int visited_count = 0;
  std::vector<double> step;  // proposal half-width per coordinate
  std::vector<std::int64_t> proposed, accepted;
  double min_energy = std::numeric_limits<double>::infinity();
  double max_energy = -std::numeric_limits<double>::infinity();
  std::vector<double> min_state;
  std::vector<double> log_steps, log_ln_f;  // ln f after each change, against the phase's steps
  // Discovery only: the first state seen in each bin, row representative_row[b] of representatives
  // (-1: none yet); rows of D values in the order the bins were first reached, so the memory grows
  // with the bins reached rather than with the binning.
  std::vector<std::int32_t> representative_row;
  std::vector<double> representatives;

  int local(int global_bin) const { return global_bin - first; }
  bool inside(int global_bin) const { return global_bin >= first && global_bin < first + count; }
};

// One random walker: its record and its model (the energy function at its current state).
template <SamplerModel Model>
struct Walker : WalkerRecord {
  explicit Walker(Model m) : model(std::move(m)) {}
  Model model;
};

// What a run records besides its walkers.
struct RunRecord {
  Phase phase = Phase::discovery;
  std::vector<double> discovery_log_steps, discovery_log_ln_f;
  std::vector<std::int64_t> exchanges_tried, exchanges_accepted;
};

// Everything one run produces; ln g arrays span the whole binning and are normalised to the box
// volume over the bins marked known.
struct RunResult {
  std::vector<double> ln_g_wang_landau, ln_g_production;
  std::vector<std::uint8_t> known_wang_landau, known_production;
  std::vector<int> window_first, window_last, joins_wang_landau, joins_production;
  bool converged = true;
  std::int64_t steps = 0;
  double min_energy = 0.0, max_energy = 0.0;
  std::vector<double> min_state;
  std::vector<std::int64_t> exchanges_tried, exchanges_accepted;  // per neighbour pair
  // Convergence: one entry per ln f change of any walker (window -1 = discovery).
  std::vector<int> log_window;
  std::vector<double> log_steps, log_ln_f;
};

// The checkpoint layout of the sampler's state (wanglandau.cpp): one group per run and per walker,
// every array along an index axis of its group.
namespace checkpoint {
struct SamplerCounters {
  std::int64_t round = 0, total_steps = 0;
  bool round_open = false;
  std::int64_t runs = 0;
};
void save_counters(const h5::Group& group, const SamplerCounters& counters);
SamplerCounters load_counters(const h5::Group& group);
std::string run_name(std::size_t run);
std::string walker_name(std::size_t walker);
void save_run(const h5::Group& group, const RunRecord& run, std::size_t walkers);
// Returns the number of walkers of the run.
std::size_t load_run(const h5::Group& group, RunRecord& run);
void save_walker(const h5::Group& group, const WalkerRecord& walker, const std::vector<double>& state,
                 const std::vector<double>& cache);
// Fills the record; state and cache receive the model's.
void load_walker(const h5::Group& group, WalkerRecord& walker, std::vector<double>& state, std::vector<double>& cache);
// The same state as bytes, for the ranks of an MPI run (core/ranks.hpp): every field, bit for bit.
void pack_walker(ranks::Packer& out, const WalkerRecord& walker, const std::vector<double>& state,
                 const std::vector<double>& cache);
void unpack_walker(ranks::Unpacker& in, WalkerRecord& walker, std::vector<double>& state, std::vector<double>& cache);
}  // namespace checkpoint

// Where a sampler's time went, for the in-run rate and how it compares with --bench (one walker
// on one core): steps / walker_cpu_seconds is the rate per busy core; walker_cpu_seconds /
// walker_seconds the share of its time a stepping thread actually ran (below 1 when other
// processes take the cores); walker_seconds / slots the share of thread-seconds inside the
// parallel rounds that had a walker to step (below 1 when there are fewer walkers owing steps
// than threads, e.g. after some windows converged, or when a thread that has finished its walkers
// waits for another at the end of a round, e.g. 3 walkers on 2 threads).
struct SamplerTiming {
  std::int64_t steps = 0;
  double stepping_seconds = 0.0;     // wall clock inside the parallel rounds
  double slots = 0.0;                // threads x stepping_seconds
  double walker_seconds = 0.0;       // wall clock of the walkers' advances, summed
  double walker_cpu_seconds = 0.0;   // their threads' processor time, summed
};

template <SamplerModel Model>
class ReplicaExchangeWangLandau {
 public:
  ReplicaExchangeWangLandau(Model prototype, LossBinning binning, WangLandauSpec spec, double ln_volume);

  // Advances round by round until every run is finished or control asks to stop (then it returns
  // within kPollSteps steps of each walker, possibly inside a round; the state can be saved).
  // Every call makes progress: each walker owing steps does at least one poll interval of them.
  // Reports control.progress(progress(), 1) after every round.
  void advance(const RunControl& control = RunControl());
  bool finished() const;
  // A rough fraction of the work done (ln f progress), for progress display.
  double progress() const;
  std::int64_t total_steps() const { return total_steps_; }
  // Where this object's time went (not that of runs a checkpoint continues).
  const SamplerTiming& timing() const { return timing_; }
  std::int64_t rounds() const { return round_; }
  // Wall-clock seconds this process spent between the walkers' steps of a round: sharing walkers
  // between MPI ranks and the replica exchanges (not saved: a resumed run counts afresh).
  double exchange_seconds() const { return exchange_seconds_; }

  // The whole state (walkers with their models, random streams, histograms, ln g, logs,
  // representatives, counters); load() throws std::runtime_error for a state that does not fit
  // this sampler's runs and models. Identities (settings) are the caller's to compare.
  void save(const h5::Group& group) const;
  void load(const h5::Group& group);

  RunResult result(int run) const;
  const LossBinning& binning() const { return binning_; }
  const WangLandauSpec& spec() const { return spec_; }
  double ln_volume() const { return ln_volume_; }
  int windows_used(int run) const { return static_cast<int>(runs_[run].walkers.size()); }

 private:
  struct RunState : RunRecord {
    std::vector<Walker<Model>> walkers;  // discovery: one; later: one per window
  };
  Walker<Model> make_walker(int run, int window_key, int first, int count, Phase phase) const;
  void start_windows(int run);
  void open_round();
  void close_round();
  void exchange(int run);
  void transitions(int run);
  // Under MPI: every rank receives the walkers the others advanced this pass (and their steps).
  void share_walkers(const std::vector<Walker<Model>*>& owing, std::vector<std::int64_t>& done) const;

  Model prototype_;
  LossBinning binning_;
  WangLandauSpec spec_;
  double ln_volume_;
  std::vector<RunState> runs_;
  std::int64_t round_ = 0;
  std::int64_t total_steps_ = 0;
  bool round_open_ = false;  // the walkers are inside round round_ (round_left says how far)
  double exchange_seconds_ = 0.0;
  SamplerTiming timing_;
};

// ------------------------------------------------------------------ the walker's steps

namespace detail {

inline void new_bin(WalkerRecord& w, int i) {
  // A bin seen for the first time gets the smallest ln g of the bins already known (so the
  // walker is not pushed out of it) and the flatness count restarts: ln f is not reduced until
  // the histogram is flat over the enlarged set of bins.
  double lowest = std::numeric_limits<double>::infinity();
  for (int j = 0; j < w.count; ++j)
    if (w.visited[j]) lowest = std::min(lowest, w.ln_g[j]);
  w.visited[i] = 1;
  ++w.visited_count;
  w.ln_g[i] = std::isfinite(lowest) ? lowest : 0.0;
  std::fill(w.histogram.begin(), w.histogram.end(), 0);
}

inline bool histogram_flat(const WalkerRecord& w, double flatness) {
  std::int64_t lowest = std::numeric_limits<std::int64_t>::max();
  double sum = 0.0;
  int n = 0;
  for (int j = 0; j < w.count; ++j)
    if (w.visited[j]) {
      lowest = std::min(lowest, w.histogram[j]);
      sum += static_cast<double>(w.histogram[j]);
      ++n;
    }
  return n > 0 && lowest > 0 && static_cast<double>(lowest) >= flatness * sum / n;
}

template <SamplerModel Model>
void adapt_steps(Walker<Model>& w, double target) {
  const int D = w.model.dimension();
  for (int k = 0; k < D; ++k) {
    if (w.proposed[k] < 200) continue;
    const double rate = static_cast<double>(w.accepted[k]) / static_cast<double>(w.proposed[k]);
    const double width = w.model.upper(k) - w.model.lower(k);
    if (rate < target - 0.05) w.step[k] = std::max(w.step[k] * 0.8, 1e-9 * width);
    else if (rate > target + 0.05) w.step[k] = std::min(w.step[k] * 1.25, width);
    w.proposed[k] = w.accepted[k] = 0;
  }
}

// The Wang-Landau part of a check: ln f halved on a flat histogram, or 1/t once it is below
// (visited bins) / steps; convergence at ln_f_final.
void wang_landau_check(WalkerRecord& w, const WangLandauSpec& spec);

template <SamplerModel Model>
void check(Walker<Model>& w, const WangLandauSpec& spec, std::int64_t discovery_cap) {
  w.since_check = 0;
  if (w.phase == Phase::production) {
    if (w.steps >= spec.production_steps) w.phase = Phase::done;
    return;
  }
  adapt_steps(w, spec.target_acceptance);
  if (w.phase == Phase::discovery) {
    if (histogram_flat(w, spec.flatness) || w.steps >= discovery_cap) w.phase = Phase::done;
    return;
  }
  wang_landau_check(w, spec);
}

}  // namespace detail

// Up to n steps of one walker: fewer if its phase ends or control asks to stop (polled every
// kPollSteps steps and after every newly found bin). Returns the steps done. The hot loop: one
// coordinate, a symmetric uniform proposal, rejection outside the box or the window, the
// Wang-Landau (or fixed-weight) acceptance, then the histogram and ln g update of the bin the
// walker is in.
template <SamplerModel Model>
std::int64_t advance_walker(Walker<Model>& w, const LossBinning& binning, const WangLandauSpec& spec,
                            std::int64_t n, const RunControl& control = RunControl()) {
  const int D = w.model.dimension();
  const bool production = w.phase == Phase::production;
  const bool discovery = w.phase == Phase::discovery;
  std::int64_t done = 0;
  int cur = w.local(w.bin);
  // The loop works on local copies (generator, counters, pointers) that the compiler can keep in
  // registers; they are written back before every poll, every flatness check and at the end.
  double* const ln_g = w.ln_g.data();
  std::int64_t* const histogram = production ? w.production.data() : w.histogram.data();
  std::int64_t* const proposed = w.proposed.data();
  std::int64_t* const accepted = w.accepted.data();
  const double* const step = w.step.data();
  const std::uint8_t* const visited = w.visited.data();
  const int first = w.first, count = w.count;
  bool stop = false;
  while (done < n && w.phase != Phase::done && !stop) {
    std::int64_t chunk = std::min({n - done, w.check_interval - w.since_check, kPollSteps});
    RandomStream rng = w.rng;
    const double ln_f = production ? 0.0 : w.ln_f;
    double min_energy = w.min_energy, max_energy = w.max_energy;
    for (std::int64_t s = 0; s < chunk; ++s) {
      const int k = static_cast<int>(rng.below(static_cast<std::uint32_t>(D)));
      const double value = w.model.state()[k] + step[k] * (2.0 * rng.uniform() - 1.0);
      ++proposed[k];
      if (value >= w.model.lower(k) && value <= w.model.upper(k)) {
        const double energy = w.model.propose(k, value);
        const int i = binning.index(energy) - first;  // index() is -1 outside the binning
        if (i >= 0 && i < count && energy >= binning.lo()) {
          bool allowed = true;
          if (!visited[i]) {
            if (production) {
              allowed = false;  // fixed weights exist only for bins Wang-Landau saw
            } else {
              detail::new_bin(w, i);
              if (control.stop_requested()) chunk = s + 1;  // a new bin costs O(bins): poll, end with this step
            }
          }
          if (allowed) {
            const double d = ln_g[cur] - ln_g[i];
            if (d >= 0.0 || rng.uniform() < detail::sampler_exp(d)) {
              w.model.accept();
              ++accepted[k];
              cur = i;
              if (energy < min_energy) {
                min_energy = energy;
                w.min_state = w.model.state();
              }
              if (energy > max_energy) max_energy = energy;
              if (discovery && w.representative_row[i] < 0) {
                w.representative_row[i] = static_cast<std::int32_t>(w.representatives.size() / D);
                w.representatives.insert(w.representatives.end(), w.model.state().begin(), w.model.state().end());
              }
            }
          }
        }
      }
      ln_g[cur] += ln_f;  // ln_f = 0 in production: weights stay fixed
      ++histogram[cur];
    }
    w.rng = rng;
    w.bin = first + cur;
    w.min_energy = min_energy;
    w.max_energy = max_energy;
    w.steps += chunk;
    w.since_check += chunk;
    done += chunk;
    if (w.since_check >= w.check_interval) detail::check(w, spec, spec.discovery_steps);
    stop = control.stop_requested();
  }
  return done;
}

// ------------------------------------------------------------------ the driver

template <SamplerModel Model>
ReplicaExchangeWangLandau<Model>::ReplicaExchangeWangLandau(Model prototype, LossBinning binning,
                                                            WangLandauSpec spec, double ln_volume)
    : prototype_(std::move(prototype)), binning_(binning), spec_(spec), ln_volume_(ln_volume) {
  if (!(spec.flatness > 0.0 && spec.flatness < 1.0)) throw std::invalid_argument("flatness must lie in (0, 1)");
  if (!(spec.ln_f_final > 0.0 && spec.ln_f_final < spec.ln_f_initial))
    throw std::invalid_argument("need 0 < ln_f_final < ln_f_initial");
  if (spec.windows < 1 || spec.runs < 1 || spec.round_steps < 1) throw std::invalid_argument("bad counts");
  if (!(spec.overlap > 0.0 && spec.overlap < 1.0)) throw std::invalid_argument("overlap must lie in (0, 1)");
  runs_.resize(spec.runs);
  for (int r = 0; r < spec.runs; ++r) {
    Walker<Model> w = make_walker(r, 0, 0, binning_.bins(), Phase::discovery);
    const int D = w.model.dimension();
    std::vector<double> x(D);
    for (int k = 0; k < D; ++k) x[k] = w.rng.uniform(w.model.lower(k), w.model.upper(k));
    const double energy = w.model.set_state(x);
    w.bin = binning_.index(energy);
    if (w.bin < 0) throw std::runtime_error("the energy of the first state lies outside the binning");
    w.visited[w.bin] = 1;
    w.visited_count = 1;
    w.min_energy = w.max_energy = energy;
    w.min_state = x;
    w.representative_row.assign(binning_.bins(), -1);
    w.representative_row[w.bin] = 0;
    w.representatives = x;
    runs_[r].walkers.push_back(std::move(w));
  }
}

template <SamplerModel Model>
Walker<Model> ReplicaExchangeWangLandau<Model>::make_walker(int run, int window_key, int first, int count,
                                                            Phase phase) const {
  Walker<Model> w(prototype_);
  w.rng = RandomStream(spec_.seed, {0x574cULL, static_cast<std::uint64_t>(run), static_cast<std::uint64_t>(window_key)});
  w.first = first;
  w.count = count;
  w.phase = phase;
  w.ln_f = spec_.ln_f_initial;
  w.check_interval = spec_.check_interval > 0 ? spec_.check_interval : std::max<std::int64_t>(10000, 20LL * count);
  w.ln_g.assign(count, 0.0);
  w.histogram.assign(count, 0);
  w.production.assign(count, 0);
  w.visited.assign(count, 0);
  const int D = w.model.dimension();
  w.step.resize(D);
  for (int k = 0; k < D; ++k) w.step[k] = 0.1 * (w.model.upper(k) - w.model.lower(k));
  w.proposed.assign(D, 0);
  w.accepted.assign(D, 0);
  return w;
}

template <SamplerModel Model>
void ReplicaExchangeWangLandau<Model>::start_windows(int run) {
  RunState& rs = runs_[run];
  Walker<Model>& d = rs.walkers.front();
  rs.discovery_log_steps = {static_cast<double>(d.steps)};
  rs.discovery_log_ln_f = {d.ln_f};
  int lo = -1, hi = -1;
  for (int i = 0; i < d.count; ++i)
    if (d.visited[i]) {
      if (lo < 0) lo = i;
      hi = i;
    }
  const int span = hi - lo + 1;
  const int W = std::max(1, std::min(spec_.windows, span / 4));
  const double width = std::ceil(span / (1.0 + (W - 1) * (1.0 - spec_.overlap)));
  std::vector<Walker<Model>> walkers;
  const int D = d.model.dimension();
  for (int w = 0; w < W; ++w) {
    int first = lo + static_cast<int>(std::floor(w * width * (1.0 - spec_.overlap) + 0.5));
    int last = std::min(first + static_cast<int>(width), hi + 1);  // exclusive
    if (w == W - 1) last = binning_.bins();
    if (w == 0) first = 0;
    Walker<Model> walker = make_walker(run, w + 1, first, last - first, Phase::wang_landau);
    walker.step = d.step;
    // The discovery's estimate is the starting guess, and its visited bins are the set over
    // which the histogram must be flat: a window cannot declare itself flat over the few bins
    // near its starting state before it has walked its whole range.
    for (int b = first; b < last; ++b)
      if (d.visited[b]) {
        walker.ln_g[b - first] = d.ln_g[b];
        walker.visited[b - first] = 1;
        ++walker.visited_count;
      }
    // Start from the discovered state nearest to the window's centre.
    const double centre = 0.5 * (std::max(first, lo) + std::min(last - 1, hi));
    int best = -1;
    for (int b = first; b < last; ++b)
      if (d.representative_row[b] >= 0 && (best < 0 || std::abs(b - centre) < std::abs(best - centre))) best = b;
    if (best < 0) throw std::runtime_error("window " + std::to_string(w) + " holds no discovered state");
    const auto row = d.representatives.begin() + std::size_t(d.representative_row[best]) * D;
    std::vector<double> x(row, row + D);
    const double energy = walker.model.set_state(x);
    walker.bin = binning_.index(energy);
    if (!walker.inside(walker.bin)) walker.bin = best;  // rounding at an edge: keep the stored bin
    if (!walker.visited[walker.local(walker.bin)]) {
      walker.visited[walker.local(walker.bin)] = 1;
      ++walker.visited_count;
    }
    walker.min_energy = walker.max_energy = energy;
    walker.min_state = x;
    walkers.push_back(std::move(walker));
  }
  // The discovery's extremes stay part of the run's record.
  walkers.front().min_energy = std::min(walkers.front().min_energy, d.min_energy);
  if (d.min_energy <= walkers.front().min_energy) walkers.front().min_state = d.min_state;
  walkers.back().max_energy = std::max(walkers.back().max_energy, d.max_energy);
  rs.walkers = std::move(walkers);
  rs.exchanges_tried.assign(std::max(0, W - 1), 0);
  rs.exchanges_accepted.assign(std::max(0, W - 1), 0);
  rs.phase = Phase::wang_landau;
}

template <SamplerModel Model>
void ReplicaExchangeWangLandau<Model>::exchange(int run) {
  RunState& rs = runs_[run];
  const int W = static_cast<int>(rs.walkers.size());
  for (int p = static_cast<int>(round_ % 2); p + 1 < W; p += 2) {
    Walker<Model>& a = rs.walkers[p];
    Walker<Model>& b = rs.walkers[p + 1];
    if (a.phase != b.phase || a.phase == Phase::done) continue;
    ++rs.exchanges_tried[p];
    if (!a.inside(b.bin) || !b.inside(a.bin)) continue;
    const int ab = a.local(b.bin), aa = a.local(a.bin), bb = b.local(b.bin), ba = b.local(a.bin);
    if (!a.visited[ab] || !b.visited[ba]) continue;
    const double ln_p = a.ln_g[aa] - a.ln_g[ab] + b.ln_g[bb] - b.ln_g[ba];
    RandomStream rng(spec_.seed, {0x5845ULL, static_cast<std::uint64_t>(run), static_cast<std::uint64_t>(round_),
                                  static_cast<std::uint64_t>(p)});
    if (ln_p >= 0.0 || rng.uniform() < std::exp(ln_p)) {
      std::swap(a.model, b.model);
      std::swap(a.bin, b.bin);
      ++rs.exchanges_accepted[p];
      // Extremes travel with the configurations only through later steps; record them per window.
      for (Walker<Model>* w : {&a, &b}) {
        const double e = w->model.energy();
        if (e < w->min_energy) {
          w->min_energy = e;
          w->min_state = w->model.state();
        }
        w->max_energy = std::max(w->max_energy, e);
      }
    }
  }
}

template <SamplerModel Model>
void ReplicaExchangeWangLandau<Model>::transitions(int run) {
  RunState& rs = runs_[run];
  auto all_done = [&] {
    for (const auto& w : rs.walkers)
      if (w.phase != Phase::done) return false;
    return true;
  };
  if (!all_done()) return;
  if (rs.phase == Phase::discovery) {
    start_windows(run);
  } else if (rs.phase == Phase::wang_landau) {
    if (spec_.production_steps > 0) {
      for (auto& w : rs.walkers) {
        w.phase = Phase::production;
        w.steps = 0;
        w.since_check = 0;
      }
      rs.phase = Phase::production;
    } else {
      rs.phase = Phase::done;
    }
  } else if (rs.phase == Phase::production) {
    rs.phase = Phase::done;
  }
}

template <SamplerModel Model>
bool ReplicaExchangeWangLandau<Model>::finished() const {
  for (const auto& rs : runs_)
    if (rs.phase != Phase::done) return false;
  return true;
}

template <SamplerModel Model>
double ReplicaExchangeWangLandau<Model>::progress() const {
  const double span = std::log(spec_.ln_f_initial / spec_.ln_f_final);
  double sum = 0.0;
  int n = 0;
  for (const auto& rs : runs_)
    for (const auto& w : rs.walkers) {
      double p = 0.0;
      if (rs.phase == Phase::done || rs.phase == Phase::production) p = 1.0;
      else if (rs.phase == Phase::wang_landau)
        p = w.phase == Phase::done ? 1.0 : std::clamp(std::log(spec_.ln_f_initial / w.ln_f) / span, 0.0, 1.0);
      sum += p;
      ++n;
    }
  return n ? sum / n : 1.0;
}

template <SamplerModel Model>
void ReplicaExchangeWangLandau<Model>::open_round() {
  for (auto& rs : runs_) {
    if (rs.phase == Phase::done) continue;
    for (auto& w : rs.walkers) {
      if (w.phase == Phase::done) continue;
      // Fresh evaluation: incremental updates accumulate rounding; this bounds it.
      const double energy = w.model.set_state(w.model.state());
      const int b = binning_.index(energy);
      if (w.inside(b) && w.visited[w.local(b)]) w.bin = b;
      w.round_left = spec_.round_steps;
    }
  }
  round_open_ = true;
}

template <SamplerModel Model>
void ReplicaExchangeWangLandau<Model>::close_round() {
  for (std::size_t r = 0; r < runs_.size(); ++r) {
    if (runs_[r].phase == Phase::wang_landau || runs_[r].phase == Phase::production) exchange(static_cast<int>(r));
    transitions(static_cast<int>(r));
  }
  ++round_;
  round_open_ = false;
}

template <SamplerModel Model>
void ReplicaExchangeWangLandau<Model>::share_walkers(const std::vector<Walker<Model>*>& owing,
                                                    std::vector<std::int64_t>& done) const {
  ranks::Packer out;
  for (std::size_t j = 0; j < owing.size(); ++j) {
    if (!ranks::owns(static_cast<std::int64_t>(j))) continue;
    out.put(static_cast<std::uint64_t>(j));
    out.put(done[j]);
    checkpoint::pack_walker(out, *owing[j], owing[j]->model.state(), owing[j]->model.cache());
  }
  const auto gathered = ranks::all_gather(out.bytes());
  std::vector<double> state, cache;
  for (int r = 0; r < ranks::size(); ++r) {
    if (r == ranks::rank()) continue;
    ranks::Unpacker in(gathered[static_cast<std::size_t>(r)]);
    while (!in.done()) {
      const auto j = static_cast<std::size_t>(in.get<std::uint64_t>());
      if (j >= owing.size()) throw std::runtime_error("Wang-Landau: a rank sent a walker outside the round");
      done[j] = in.get<std::int64_t>();
      checkpoint::unpack_walker(in, *owing[j], state, cache);
      owing[j]->model.restore(state, cache);
    }
  }
}

template <SamplerModel Model>
void ReplicaExchangeWangLandau<Model>::advance(const RunControl& control) {
  while (!finished()) {
    if (!round_open_) open_round();
    std::vector<Walker<Model>*> owing;
    for (auto& rs : runs_)
      for (auto& w : rs.walkers)
        if (w.round_left > 0) owing.push_back(&w);
    std::vector<std::int64_t> done(owing.size(), 0);
    std::int64_t steps = 0;  // this process's steps (timing_)
    double cpu = 0.0, busy = 0.0;
    const auto start = SteadyClock::now();
    // Under MPI, walker j of this pass runs on rank j mod ranks; a walker's steps depend only on
    // its own state, so where it ran never changes a number.
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : steps, cpu, busy)
    for (std::size_t j = 0; j < owing.size(); ++j) {
      if (!ranks::owns(static_cast<std::int64_t>(j))) continue;
      Walker<Model>& w = *owing[j];
      const double cpu0 = thread_cpu_seconds();
      const auto started = SteadyClock::now();
      done[j] = advance_walker(w, binning_, spec_, w.round_left, control);
      busy += seconds_since(started);
      cpu += thread_cpu_seconds() - cpu0;
      w.round_left = w.phase == Phase::done ? 0 : w.round_left - done[j];
      steps += done[j];
    }
    const double round_seconds = seconds_since(start);
    timing_.stepping_seconds += round_seconds;
    timing_.slots += static_cast<double>(omp_get_max_threads()) * round_seconds;
    timing_.walker_seconds += busy;
    timing_.walker_cpu_seconds += cpu;
    timing_.steps += steps;
    const auto between = std::chrono::steady_clock::now();
    if (ranks::size() > 1) share_walkers(owing, done);
    for (const std::int64_t d : done) total_steps_ += d;
    bool stopped_inside = false;
    for (const Walker<Model>* w : owing) stopped_inside = stopped_inside || w->round_left > 0;
    if (!stopped_inside) close_round();
    exchange_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - between).count();
    if (stopped_inside) return;
    control.progress(progress(), 1.0);
    if (ranks::any(control.stop_requested())) return;
  }
}

template <SamplerModel Model>
RunResult ReplicaExchangeWangLandau<Model>::result(int run) const {
  const RunState& rs = runs_.at(run);
  if (rs.phase != Phase::done) throw std::logic_error("run not finished");
  RunResult r;
  std::vector<int> first;
  std::vector<std::vector<double>> wl, prod;
  std::vector<std::vector<std::uint8_t>> known_wl, known_prod;
  r.min_energy = std::numeric_limits<double>::infinity();
  r.max_energy = -r.min_energy;
  r.log_window.push_back(-1);
  r.log_steps.push_back(rs.discovery_log_steps.empty() ? 0.0 : rs.discovery_log_steps.front());
  r.log_ln_f.push_back(rs.discovery_log_ln_f.empty() ? spec_.ln_f_initial : rs.discovery_log_ln_f.front());
  for (std::size_t w = 0; w < rs.walkers.size(); ++w) {
    const Walker<Model>& walker = rs.walkers[w];
    first.push_back(walker.first);
    r.window_first.push_back(walker.first);
    r.window_last.push_back(walker.first + walker.count - 1);
    wl.push_back(walker.ln_g);
    known_wl.push_back(walker.visited);
    std::vector<double> refined(walker.count, 0.0);
    std::vector<std::uint8_t> known(walker.count, 0);
    for (int i = 0; i < walker.count; ++i)
      if (walker.visited[i] && walker.production[i] > 0) {
        refined[i] = walker.ln_g[i] + std::log(static_cast<double>(walker.production[i]));
        known[i] = 1;
      }
    prod.push_back(std::move(refined));
    known_prod.push_back(std::move(known));
    r.converged = r.converged && walker.converged;
    r.steps += walker.steps;
    if (walker.min_energy < r.min_energy) {
      r.min_energy = walker.min_energy;
      r.min_state = walker.min_state;
    }
    r.max_energy = std::max(r.max_energy, walker.max_energy);
    for (std::size_t j = 0; j < walker.log_steps.size(); ++j) {
      r.log_window.push_back(static_cast<int>(w));
      r.log_steps.push_back(walker.log_steps[j]);
      r.log_ln_f.push_back(walker.log_ln_f[j]);
    }
  }
  r.ln_g_wang_landau = join_windows(first, wl, known_wl, binning_.bins(), r.known_wang_landau, &r.joins_wang_landau);
  mass_to_density(r.ln_g_wang_landau, r.known_wang_landau, binning_);  // flat histograms estimate bin masses
  normalise_ln_g(r.ln_g_wang_landau, r.known_wang_landau, binning_, ln_volume_);
  if (spec_.production_steps > 0) {
    r.ln_g_production =
        join_windows(first, prod, known_prod, binning_.bins(), r.known_production, &r.joins_production);
    mass_to_density(r.ln_g_production, r.known_production, binning_);
    normalise_ln_g(r.ln_g_production, r.known_production, binning_, ln_volume_);
  }
  r.exchanges_tried = rs.exchanges_tried;
  r.exchanges_accepted = rs.exchanges_accepted;
  return r;
}

// ------------------------------------------------------------------ checkpoints

template <SamplerModel Model>
void ReplicaExchangeWangLandau<Model>::save(const h5::Group& group) const {
  checkpoint::save_counters(group, {round_, total_steps_, round_open_, static_cast<std::int64_t>(runs_.size())});
  for (std::size_t r = 0; r < runs_.size(); ++r) {
    const h5::Group run = group.create_group(checkpoint::run_name(r));
    checkpoint::save_run(run, runs_[r], runs_[r].walkers.size());
    for (std::size_t j = 0; j < runs_[r].walkers.size(); ++j) {
      const Walker<Model>& w = runs_[r].walkers[j];
      checkpoint::save_walker(run.create_group(checkpoint::walker_name(j)), w, w.model.state(), w.model.cache());
    }
  }
}

template <SamplerModel Model>
void ReplicaExchangeWangLandau<Model>::load(const h5::Group& group) {
  const checkpoint::SamplerCounters counters = checkpoint::load_counters(group);
  if (counters.runs != static_cast<std::int64_t>(runs_.size()))
    throw std::runtime_error("the checkpoint holds " + std::to_string(counters.runs) + " runs, this sampler " +
                             std::to_string(runs_.size()));
  std::vector<RunState> runs(runs_.size());
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const h5::Group run = group.open_group(checkpoint::run_name(r));
    const std::size_t walkers = checkpoint::load_run(run, runs[r]);
    for (std::size_t j = 0; j < walkers; ++j) {
      Walker<Model> w(prototype_);
      std::vector<double> state, cache;
      checkpoint::load_walker(run.open_group(checkpoint::walker_name(j)), w, state, cache);
      w.model.restore(state, cache);
      if (w.first < 0 || w.count < 1 || w.first + w.count > binning_.bins() ||
          static_cast<int>(w.step.size()) != w.model.dimension())
        throw std::runtime_error("walker " + std::to_string(j) + " of run " + std::to_string(r) +
                                 " does not fit this binning and model");
      runs[r].walkers.push_back(std::move(w));
    }
  }
  runs_ = std::move(runs);
  round_ = counters.round;
  total_steps_ = counters.total_steps;
  round_open_ = counters.round_open;
}

}  // namespace xorscape::entropy

namespace xorscape::entropy {
// A single Wang-Landau walker over the whole binning from a uniform random state, outside any
// driver: for benchmarks and for studies of the sampler itself.
template <SamplerModel Model>
Walker<Model> standalone_walker(Model model, const LossBinning& binning, std::uint64_t seed, double ln_f) {
  Walker<Model> w(std::move(model));
  w.rng = RandomStream(seed, {0x424eULL});
  w.first = 0;
  w.count = binning.bins();
  w.phase = Phase::wang_landau;
  w.ln_f = ln_f;
  w.check_interval = std::max<std::int64_t>(10000, 20LL * w.count);
  w.ln_g.assign(w.count, 0.0);
  w.histogram.assign(w.count, 0);
  w.production.assign(w.count, 0);
  w.visited.assign(w.count, 0);
  const int D = w.model.dimension();
  w.step.resize(D);
  std::vector<double> x(D);
  for (int k = 0; k < D; ++k) {
    w.step[k] = 0.1 * (w.model.upper(k) - w.model.lower(k));
    x[k] = w.rng.uniform(w.model.lower(k), w.model.upper(k));
  }
  w.proposed.assign(D, 0);
  w.accepted.assign(D, 0);
  w.bin = binning.index(w.model.set_state(x));
  if (w.bin < 0) throw std::runtime_error("the energy of the first state lies outside the binning");
  w.visited[w.bin] = 1;
  w.visited_count = 1;
  w.min_state = x;
  return w;
}
}  // namespace xorscape::entropy
