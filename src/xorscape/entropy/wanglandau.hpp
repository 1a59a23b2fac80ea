#pragma once
// Wang-Landau sampling of a density of states (Wang & Landau, PRL 86, 2050 and PRE 64, 056101),
// optionally with the 1/t schedule (Belardinelli & Pereyra, PRE 75, 046701), replica exchange
// between overlapping energy windows (Vogel, Li, Wuest & Landau, PRL 110, 210603) and a
// multicanonical production run with the fixed weights 1/g (Berg & Neuhaus) that refines ln g
// from its histogram. Generic over the energy function (a Model, see entropy_models.hpp).
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
// parallel work (OpenMP over walkers), of replica exchange and of checkpointing. Each walker
// draws from its own stream keyed by (run, window), exchanges from streams keyed by
// (run, round, pair): the result depends on the seed only, never on the thread count. A
// distributed version would give each rank its walkers and exchange energies and ln g values
// of neighbours between rounds: Walker and advance_walker need no change for that.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "xorscape/entropy/entropy.hpp"
#include "xorscape/entropy/models.hpp"
#include "xorscape/core/rng.hpp"

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
  std::int64_t round_steps = 1 << 18;   // steps per walker between exchanges (and checkpoints)
  std::int64_t check_interval = 0;      // steps between flatness checks; 0: 20 x window bins, >= 10^4
  std::int64_t discovery_steps = 100000000;  // cap on the discovery phase of each run
  std::int64_t production_steps = 0;    // multicanonical steps per window (0: no production run)
  std::int64_t max_steps = 0;           // cap on Wang-Landau steps per walker (0: none); hit = not converged
  double target_acceptance = 0.4;       // the step size of each coordinate is adapted towards it
  std::string describe() const;
};

enum class Phase : std::int32_t { discovery = 0, wang_landau = 1, production = 2, done = 3 };

// One random walker confined to the bins [first, first + count).
template <class Model>
struct Walker {
  explicit Walker(Model m) : model(std::move(m)) {}
  Model model;
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
  // Discovery only: one state per bin (bins x D), the first seen there.
  std::vector<double> representative;
  std::vector<std::uint8_t> has_representative;

  int local(int global_bin) const { return global_bin - first; }
  bool inside(int global_bin) const { return global_bin >= first && global_bin < first + count; }
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

template <class Model>
class ReplicaExchangeWangLandau {
 public:
  // `identity` describes the model (network, box...): a checkpoint only resumes the same identity.
  ReplicaExchangeWangLandau(Model prototype, LossBinning binning, WangLandauSpec spec, std::string identity,
                            double ln_volume);

  // Advances round by round until every run is finished (returns true) or should_stop() is true
  // between rounds (returns false). after_round is called after each round (checkpoint timing).
  bool run(const std::function<bool()>& should_stop = {}, const std::function<void()>& after_round = {});
  bool finished() const;
  // A rough fraction of the work done (ln f progress), for progress display.
  double progress() const;
  std::int64_t total_steps() const { return total_steps_; }
  std::int64_t rounds() const { return round_; }

  void save(const std::filesystem::path& path) const;  // atomic (temporary + rename)
  void load(const std::filesystem::path& path);        // throws if the identity differs

  RunResult result(int run) const;
  const LossBinning& binning() const { return binning_; }
  const WangLandauSpec& spec() const { return spec_; }
  int windows_used(int run) const { return static_cast<int>(runs_[run].walkers.size()); }

 private:
  struct RunState {
    Phase phase = Phase::discovery;
    std::vector<Walker<Model>> walkers;  // discovery: one; later: one per window
    std::vector<double> discovery_log_steps, discovery_log_ln_f;
    std::vector<std::int64_t> exchanges_tried, exchanges_accepted;
  };
  Walker<Model> make_walker(int run, int window_key, int first, int count, Phase phase) const;
  void start_windows(int run);
  void exchange(int run);
  void transitions(int run);

  Model prototype_;
  LossBinning binning_;
  WangLandauSpec spec_;
  std::string identity_;
  double ln_volume_;
  std::vector<RunState> runs_;
  std::int64_t round_ = 0;
  std::int64_t total_steps_ = 0;
};

// ------------------------------------------------------------------ the walker's steps

namespace detail {

template <class Model>
void new_bin(Walker<Model>& w, int i) {
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

template <class Model>
bool histogram_flat(const Walker<Model>& w, double flatness) {
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

template <class Model>
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

template <class Model>
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
  // Wang-Landau.
  if (!w.one_over_t) {
    if (histogram_flat(w, spec.flatness)) {
      w.ln_f *= 0.5;
      std::fill(w.histogram.begin(), w.histogram.end(), 0);
      const double inverse_time = static_cast<double>(w.visited_count) / static_cast<double>(w.steps);
      if (spec.schedule == Schedule::one_over_t && w.ln_f < inverse_time) {
        w.one_over_t = true;
        w.ln_f = inverse_time;
      }
      w.log_steps.push_back(static_cast<double>(w.steps));
      w.log_ln_f.push_back(w.ln_f);
    }
  } else {
    // Belardinelli-Pereyra: ln f = 1/t with t = steps / bins, refreshed at every check.
    w.ln_f = static_cast<double>(w.visited_count) / static_cast<double>(w.steps);
    if (w.log_ln_f.empty() || w.ln_f < 0.5 * w.log_ln_f.back()) {
      w.log_steps.push_back(static_cast<double>(w.steps));
      w.log_ln_f.push_back(w.ln_f);
    }
  }
  if (w.ln_f <= spec.ln_f_final) {
    w.converged = true;
    w.phase = Phase::done;
    w.log_steps.push_back(static_cast<double>(w.steps));
    w.log_ln_f.push_back(w.ln_f);
  } else if (spec.max_steps > 0 && w.steps >= spec.max_steps) {
    w.phase = Phase::done;
  }
}

}  // namespace detail

// n steps of one walker (fewer if its phase ends). The hot loop: one coordinate, a symmetric
// uniform proposal, rejection outside the box or the window, the Wang-Landau (or fixed-weight)
// acceptance, then the histogram and ln g update of the bin the walker is in.
template <class Model>
std::int64_t advance_walker(Walker<Model>& w, const LossBinning& binning, const WangLandauSpec& spec,
                            std::int64_t n) {
  const int D = w.model.dimension();
  const bool production = w.phase == Phase::production;
  const bool discovery = w.phase == Phase::discovery;
  std::int64_t done = 0;
  int cur = w.local(w.bin);
  // The loop works on local copies (generator, counters, pointers) that the compiler can keep in
  // registers; they are written back before every flatness check and at the end.
  double* const ln_g = w.ln_g.data();
  std::int64_t* const histogram = production ? w.production.data() : w.histogram.data();
  std::int64_t* const proposed = w.proposed.data();
  std::int64_t* const accepted = w.accepted.data();
  const double* const step = w.step.data();
  const std::uint8_t* const visited = w.visited.data();
  const int first = w.first, count = w.count;
  while (done < n && w.phase != Phase::done) {
    const std::int64_t chunk = std::min(n - done, w.check_interval - w.since_check);
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
            if (production) allowed = false;  // fixed weights exist only for bins Wang-Landau saw
            else detail::new_bin(w, i);
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
              if (discovery && !w.has_representative[i]) {
                w.has_representative[i] = 1;
                std::copy(w.model.state().begin(), w.model.state().end(),
                          w.representative.begin() + std::size_t(i) * D);
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
  }
  return done;
}

// ------------------------------------------------------------------ the driver

template <class Model>
ReplicaExchangeWangLandau<Model>::ReplicaExchangeWangLandau(Model prototype, LossBinning binning,
                                                            WangLandauSpec spec, std::string identity,
                                                            double ln_volume)
    : prototype_(std::move(prototype)), binning_(binning), spec_(spec), identity_(std::move(identity)),
      ln_volume_(ln_volume) {
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
    w.representative.assign(std::size_t(binning_.bins()) * D, 0.0);
    w.has_representative.assign(binning_.bins(), 0);
    w.has_representative[w.bin] = 1;
    std::copy(x.begin(), x.end(), w.representative.begin() + std::size_t(w.bin) * D);
    runs_[r].walkers.push_back(std::move(w));
  }
}

template <class Model>
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

template <class Model>
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
      if (d.has_representative[b] && (best < 0 || std::abs(b - centre) < std::abs(best - centre))) best = b;
    if (best < 0) throw std::runtime_error("window " + std::to_string(w) + " holds no discovered state");
    std::vector<double> x(d.representative.begin() + std::size_t(best) * D,
                          d.representative.begin() + std::size_t(best + 1) * D);
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

template <class Model>
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

template <class Model>
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

template <class Model>
bool ReplicaExchangeWangLandau<Model>::finished() const {
  for (const auto& rs : runs_)
    if (rs.phase != Phase::done) return false;
  return true;
}

template <class Model>
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

template <class Model>
bool ReplicaExchangeWangLandau<Model>::run(const std::function<bool()>& should_stop,
                                           const std::function<void()>& after_round) {
  while (!finished()) {
    if (should_stop && should_stop()) return false;
    std::vector<Walker<Model>*> active;
    for (auto& rs : runs_)
      if (rs.phase != Phase::done)
        for (auto& w : rs.walkers)
          if (w.phase != Phase::done) active.push_back(&w);
    std::int64_t steps = 0;
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : steps)
    for (std::size_t j = 0; j < active.size(); ++j) {
      Walker<Model>& w = *active[j];
      // Fresh evaluation: incremental updates accumulate rounding; this bounds it and makes a
      // resumed run (which starts from set_state) identical to an uninterrupted one.
      const double energy = w.model.set_state(w.model.state());
      const int b = binning_.index(energy);
      if (w.inside(b) && w.visited[w.local(b)]) w.bin = b;
      steps += advance_walker(w, binning_, spec_, spec_.round_steps);
    }
    total_steps_ += steps;
    for (std::size_t r = 0; r < runs_.size(); ++r) {
      if (runs_[r].phase == Phase::wang_landau || runs_[r].phase == Phase::production) exchange(static_cast<int>(r));
      transitions(static_cast<int>(r));
    }
    ++round_;
    if (after_round) after_round();
  }
  return true;
}

template <class Model>
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
  normalise_ln_g(r.ln_g_wang_landau, r.known_wang_landau, binning_, ln_volume_);
  if (spec_.production_steps > 0) {
    r.ln_g_production =
        join_windows(first, prod, known_prod, binning_.bins(), r.known_production, &r.joins_production);
    normalise_ln_g(r.ln_g_production, r.known_production, binning_, ln_volume_);
  }
  r.exchanges_tried = rs.exchanges_tried;
  r.exchanges_accepted = rs.exchanges_accepted;
  return r;
}

// ------------------------------------------------------------------ checkpoints

namespace detail {

class CheckpointWriter {
 public:
  explicit CheckpointWriter(const std::filesystem::path& path) : out_(path, std::ios::binary) {
    if (!out_) throw std::runtime_error("cannot write checkpoint '" + path.string() + "'");
  }
  template <class T>
  void put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.write(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  template <class T>
  void put(const std::vector<T>& values) {
    put(static_cast<std::uint64_t>(values.size()));
    out_.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(T)));
  }
  void put(const std::string& text) { put(std::vector<char>(text.begin(), text.end())); }
  void close() {
    out_.close();
    if (!out_) throw std::runtime_error("writing the checkpoint failed");
  }

 private:
  std::ofstream out_;
};

class CheckpointReader {
 public:
  explicit CheckpointReader(const std::filesystem::path& path) : in_(path, std::ios::binary) {
    if (!in_) throw std::runtime_error("cannot read checkpoint '" + path.string() + "'");
  }
  template <class T>
  void get(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    in_.read(reinterpret_cast<char*>(&value), sizeof(T));
    if (!in_) throw std::runtime_error("checkpoint is truncated");
  }
  template <class T>
  void get(std::vector<T>& values) {
    std::uint64_t n = 0;
    get(n);
    if (n > (1ULL << 36)) throw std::runtime_error("checkpoint is corrupt");
    values.resize(n);
    in_.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(n * sizeof(T)));
    if (!in_) throw std::runtime_error("checkpoint is truncated");
  }
  void get(std::string& text) {
    std::vector<char> v;
    get(v);
    text.assign(v.begin(), v.end());
  }

 private:
  std::ifstream in_;
};

inline constexpr std::uint64_t kCheckpointMagic = 0x31504b43534f5258ULL;  // "XROSCKP1"

}  // namespace detail

template <class Model>
void ReplicaExchangeWangLandau<Model>::save(const std::filesystem::path& path) const {
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    detail::CheckpointWriter out(temporary);
    out.put(detail::kCheckpointMagic);
    out.put(identity_ + "\n" + spec_.describe() + "\n" + binning_.describe());
    out.put(round_);
    out.put(total_steps_);
    out.put(static_cast<std::uint64_t>(runs_.size()));
    for (const RunState& rs : runs_) {
      out.put(rs.phase);
      out.put(rs.discovery_log_steps);
      out.put(rs.discovery_log_ln_f);
      out.put(rs.exchanges_tried);
      out.put(rs.exchanges_accepted);
      out.put(static_cast<std::uint64_t>(rs.walkers.size()));
      for (const Walker<Model>& w : rs.walkers) {
        out.put(w.model.state());
        out.put(w.rng.state());
        out.put(w.first);
        out.put(w.count);
        out.put(w.bin);
        out.put(w.phase);
        out.put(w.one_over_t);
        out.put(w.converged);
        out.put(w.ln_f);
        out.put(w.steps);
        out.put(w.since_check);
        out.put(w.check_interval);
        out.put(w.ln_g);
        out.put(w.histogram);
        out.put(w.production);
        out.put(w.visited);
        out.put(w.visited_count);
        out.put(w.step);
        out.put(w.proposed);
        out.put(w.accepted);
        out.put(w.min_energy);
        out.put(w.max_energy);
        out.put(w.min_state);
        out.put(w.log_steps);
        out.put(w.log_ln_f);
        out.put(w.representative);
        out.put(w.has_representative);
      }
    }
    out.close();
  }
  std::filesystem::rename(temporary, path);
}

template <class Model>
void ReplicaExchangeWangLandau<Model>::load(const std::filesystem::path& path) {
  detail::CheckpointReader in(path);
  std::uint64_t magic = 0;
  in.get(magic);
  if (magic != detail::kCheckpointMagic) throw std::runtime_error("'" + path.string() + "' is not a checkpoint");
  std::string identity;
  in.get(identity);
  if (identity != identity_ + "\n" + spec_.describe() + "\n" + binning_.describe())
    throw std::invalid_argument("checkpoint '" + path.string() + "' was written with different settings");
  in.get(round_);
  in.get(total_steps_);
  std::uint64_t runs = 0;
  in.get(runs);
  runs_.assign(runs, RunState{});
  for (RunState& rs : runs_) {
    in.get(rs.phase);
    in.get(rs.discovery_log_steps);
    in.get(rs.discovery_log_ln_f);
    in.get(rs.exchanges_tried);
    in.get(rs.exchanges_accepted);
    std::uint64_t walkers = 0;
    in.get(walkers);
    for (std::uint64_t j = 0; j < walkers; ++j) {
      Walker<Model> w(prototype_);
      std::vector<double> x;
      in.get(x);
      RandomStream::State state{};
      in.get(state);
      w.rng = RandomStream(state);
      in.get(w.first);
      in.get(w.count);
      in.get(w.bin);
      in.get(w.phase);
      in.get(w.one_over_t);
      in.get(w.converged);
      in.get(w.ln_f);
      in.get(w.steps);
      in.get(w.since_check);
      in.get(w.check_interval);
      in.get(w.ln_g);
      in.get(w.histogram);
      in.get(w.production);
      in.get(w.visited);
      in.get(w.visited_count);
      in.get(w.step);
      in.get(w.proposed);
      in.get(w.accepted);
      in.get(w.min_energy);
      in.get(w.max_energy);
      in.get(w.min_state);
      in.get(w.log_steps);
      in.get(w.log_ln_f);
      in.get(w.representative);
      in.get(w.has_representative);
      w.model.set_state(x);
      rs.walkers.push_back(std::move(w));
    }
  }
}

}  // namespace xorscape::entropy

namespace xorscape::entropy {
// A single Wang-Landau walker over the whole binning from a uniform random state, outside any
// driver: for benchmarks and for studies of the sampler itself.
template <class Model>
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
