#include "xorscape/entropy/wanglandau.hpp"

#include <bit>
#include <cstring>
#include <sstream>
#include <variant>

namespace xorscape::entropy {

std::string to_string(Schedule schedule) { return schedule == Schedule::halving ? "halving" : "1/t"; }

Schedule parse_schedule(const std::string& text) {
  if (text == "halving") return Schedule::halving;
  if (text == "1/t") return Schedule::one_over_t;
  throw std::invalid_argument("'" + text + "' is not a schedule (halving, 1/t)");
}

std::string WangLandauSpec::describe() const {
  std::ostringstream s;
  s.precision(17);
  s << "flatness " << flatness << " ln_f " << ln_f_initial << ".." << ln_f_final << " schedule "
    << to_string(schedule) << " windows " << windows << " overlap " << overlap << " runs " << runs << " seed "
    << seed << " round_steps " << round_steps << " check_interval " << check_interval << " discovery_steps "
    << discovery_steps << " production_steps " << production_steps << " max_steps " << max_steps
    << " target_acceptance " << target_acceptance;
  return s.str();
}

namespace detail {

void wang_landau_check(WalkerRecord& w, const WangLandauSpec& spec) {
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

namespace checkpoint {

namespace {

// Checkpoints are written often and read once: no compression.
const h5::StorageOptions kRaw{{}, 0, false};

// The index axis `name` of length n in this group (created by the first array along it).
void axis(const h5::Group& group, const std::string& name, std::size_t n) {
  if (!group.exists(name)) {
    group.write_index_scale(name, n);
  } else if (group.shape(name).at(0) != n) {
    throw std::logic_error("checkpoint axis '" + name + "' has " + std::to_string(group.shape(name).at(0)) +
                           " entries, not " + std::to_string(n));
  }
}

void put(const h5::Group& group, const std::string& name, const std::vector<double>& values, const std::string& along) {
  axis(group, along, values.size());
  group.write(name, std::span<const double>(values), h5::Info{{along}, "", "", kRaw});
}

void put(const h5::Group& group, const std::string& name, const std::vector<std::int64_t>& values,
         const std::string& along) {
  axis(group, along, values.size());
  group.write(name, std::span<const std::int64_t>(values), h5::Info{{along}, "", "", kRaw});
}

Phase phase_of(std::int64_t value) {
  if (value < 0 || value > static_cast<std::int64_t>(Phase::done)) throw std::runtime_error("unknown phase");
  return static_cast<Phase>(value);
}

// Walker fields that are single numbers, as attributes.
void save_walker_numbers(const h5::Group& group, const WalkerRecord& w) {
  const RandomStream::State rng = w.rng.state();
  std::vector<std::int64_t> words(4);
  for (int i = 0; i < 4; ++i) words[i] = static_cast<std::int64_t>(rng.words[i]);
  group.set_attribute("rng_words", words);
  group.set_attribute("rng_spare", rng.spare);
  group.set_attribute("rng_has_spare", static_cast<std::int64_t>(rng.has_spare));
  group.set_attribute("first", static_cast<std::int64_t>(w.first));
  group.set_attribute("count", static_cast<std::int64_t>(w.count));
  group.set_attribute("bin", static_cast<std::int64_t>(w.bin));
  group.set_attribute("phase", static_cast<std::int64_t>(w.phase));
  group.set_attribute("one_over_t", static_cast<std::int64_t>(w.one_over_t));
  group.set_attribute("converged", static_cast<std::int64_t>(w.converged));
  group.set_attribute("ln_f", w.ln_f);
  group.set_attribute("steps", w.steps);
  group.set_attribute("since_check", w.since_check);
  group.set_attribute("check_interval", w.check_interval);
  group.set_attribute("round_left", w.round_left);
  group.set_attribute("visited_count", static_cast<std::int64_t>(w.visited_count));
  // Extremes may be infinite before the first step: stored as bit patterns.
  group.set_attribute("min_energy_bits", std::bit_cast<std::int64_t>(w.min_energy));
  group.set_attribute("max_energy_bits", std::bit_cast<std::int64_t>(w.max_energy));
}

void load_walker_numbers(const h5::Group& group, WalkerRecord& w) {
  RandomStream::State rng{};
  const std::vector<std::int64_t> words = std::get<std::vector<std::int64_t>>(group.attribute("rng_words"));
  if (words.size() != 4) throw std::runtime_error("rng_words needs 4 words");
  for (int i = 0; i < 4; ++i) rng.words[i] = static_cast<std::uint64_t>(words[i]);
  rng.spare = group.attribute_double("rng_spare");
  rng.has_spare = group.attribute_int("rng_has_spare") != 0;
  w.rng = RandomStream(rng);
  w.first = static_cast<int>(group.attribute_int("first"));
  w.count = static_cast<int>(group.attribute_int("count"));
  w.bin = static_cast<int>(group.attribute_int("bin"));
  w.phase = phase_of(group.attribute_int("phase"));
  w.one_over_t = group.attribute_int("one_over_t") != 0;
  w.converged = group.attribute_int("converged") != 0;
  w.ln_f = group.attribute_double("ln_f");
  w.steps = group.attribute_int("steps");
  w.since_check = group.attribute_int("since_check");
  w.check_interval = group.attribute_int("check_interval");
  w.round_left = group.attribute_int("round_left");
  w.visited_count = static_cast<int>(group.attribute_int("visited_count"));
  w.min_energy = std::bit_cast<double>(group.attribute_int("min_energy_bits"));
  w.max_energy = std::bit_cast<double>(group.attribute_int("max_energy_bits"));
}

}  // namespace

void save_counters(const h5::Group& group, const SamplerCounters& counters) {
  group.set_attribute("round", counters.round);
  group.set_attribute("total_steps", counters.total_steps);
  group.set_attribute("round_open", static_cast<std::int64_t>(counters.round_open));
  group.set_attribute("runs", counters.runs);
}

SamplerCounters load_counters(const h5::Group& group) {
  return SamplerCounters{group.attribute_int("round"), group.attribute_int("total_steps"),
                         group.attribute_int("round_open") != 0, group.attribute_int("runs")};
}

std::string run_name(std::size_t run) { return "run_" + std::to_string(run); }
std::string walker_name(std::size_t walker) { return "walker_" + std::to_string(walker); }

void save_run(const h5::Group& group, const RunRecord& run, std::size_t walkers) {
  group.set_attribute("phase", static_cast<std::int64_t>(run.phase));
  group.set_attribute("walkers", static_cast<std::int64_t>(walkers));
  put(group, "discovery_log_steps", run.discovery_log_steps, "discovery_log_entry");
  put(group, "discovery_log_ln_f", run.discovery_log_ln_f, "discovery_log_entry");
  put(group, "exchanges_tried", run.exchanges_tried, "pair");
  put(group, "exchanges_accepted", run.exchanges_accepted, "pair");
}

std::size_t load_run(const h5::Group& group, RunRecord& run) {
  run.phase = phase_of(group.attribute_int("phase"));
  run.discovery_log_steps = group.read_doubles("discovery_log_steps");
  run.discovery_log_ln_f = group.read_doubles("discovery_log_ln_f");
  run.exchanges_tried = group.read_ints("exchanges_tried");
  run.exchanges_accepted = group.read_ints("exchanges_accepted");
  const std::int64_t walkers = group.attribute_int("walkers");
  if (walkers < 1 || walkers > 1000000) throw std::runtime_error("a run with " + std::to_string(walkers) + " walkers");
  return static_cast<std::size_t>(walkers);
}

void save_walker(const h5::Group& group, const WalkerRecord& w, const std::vector<double>& state,
                 const std::vector<double>& cache) {
  save_walker_numbers(group, w);
  put(group, "state", state, "coordinate");
  put(group, "step", w.step, "coordinate");
  put(group, "proposed", w.proposed, "coordinate");
  put(group, "accepted", w.accepted, "coordinate");
  put(group, "min_state", w.min_state, "coordinate");
  put(group, "cache", cache, "cache_entry");
  put(group, "log_steps", w.log_steps, "log_entry");
  put(group, "log_ln_f", w.log_ln_f, "log_entry");
  // ln g and the histograms are zero outside the bins the walker has seen (a walker only ever
  // stands in a visited bin): stored for those bins only, which is all a checkpoint of a walker
  // that has just begun discovering millions of bins needs.
  std::vector<std::int64_t> seen, histogram, production;
  std::vector<double> ln_g;
  for (int b = 0; b < w.count; ++b) {
    if (!w.visited[b]) {
      if (w.ln_g[b] != 0.0 || w.histogram[b] != 0 || w.production[b] != 0)
        throw std::logic_error("a walker has weights in a bin it never saw");
      continue;
    }
    seen.push_back(b);
    ln_g.push_back(w.ln_g[b]);
    histogram.push_back(w.histogram[b]);
    production.push_back(w.production[b]);
  }
  group.write_scale("visited_bin", std::span<const std::int64_t>(seen), {"bins of the window the walker has seen (index from its first bin)"});
  put(group, "ln_g", ln_g, "visited_bin");
  put(group, "histogram", histogram, "visited_bin");
  put(group, "production", production, "visited_bin");
  // Representatives (discovery only): their rows as they are, with the bin of each.
  const std::size_t D = state.size();
  std::vector<std::int64_t> bin_of_row(w.representatives.size() / D, -1);
  for (std::size_t b = 0; b < w.representative_row.size(); ++b)
    if (w.representative_row[b] >= 0) bin_of_row.at(static_cast<std::size_t>(w.representative_row[b])) = static_cast<std::int64_t>(b);
  group.set_attribute("representative_slots", static_cast<std::int64_t>(w.representative_row.size()));
  put(group, "representative_bin", bin_of_row, "representative");
  group.write("representatives", std::span<const double>(w.representatives),
              h5::Info{{"representative", "coordinate"}, "", "", kRaw});
}

void load_walker(const h5::Group& group, WalkerRecord& w, std::vector<double>& state, std::vector<double>& cache) {
  load_walker_numbers(group, w);
  state = group.read_doubles("state");
  cache = group.read_doubles("cache");
  w.step = group.read_doubles("step");
  w.proposed = group.read_ints("proposed");
  w.accepted = group.read_ints("accepted");
  w.min_state = group.read_doubles("min_state");
  w.log_steps = group.read_doubles("log_steps");
  w.log_ln_f = group.read_doubles("log_ln_f");
  const std::size_t D = state.size(), n = static_cast<std::size_t>(std::max(w.count, 0));
  if (w.step.size() != D || w.proposed.size() != D || w.accepted.size() != D || w.log_ln_f.size() != w.log_steps.size())
    throw std::runtime_error("a walker's arrays do not fit its model");
  const std::vector<std::int64_t> seen = group.read_ints("visited_bin");
  const std::vector<double> ln_g = group.read_doubles("ln_g");
  const std::vector<std::int64_t> histogram = group.read_ints("histogram");
  const std::vector<std::int64_t> production = group.read_ints("production");
  if (ln_g.size() != seen.size() || histogram.size() != seen.size() || production.size() != seen.size() ||
      static_cast<std::int64_t>(seen.size()) != w.visited_count)
    throw std::runtime_error("a walker's visited bins do not fit");
  w.ln_g.assign(n, 0.0);
  w.histogram.assign(n, 0);
  w.production.assign(n, 0);
  w.visited.assign(n, 0);
  for (std::size_t j = 0; j < seen.size(); ++j) {
    if (seen[j] < 0 || static_cast<std::size_t>(seen[j]) >= n) throw std::runtime_error("a visited bin outside the window");
    const auto b = static_cast<std::size_t>(seen[j]);
    w.visited[b] = 1;
    w.ln_g[b] = ln_g[j];
    w.histogram[b] = histogram[j];
    w.production[b] = production[j];
  }
  const std::int64_t slots = group.attribute_int("representative_slots");
  const std::vector<std::int64_t> bins = group.read_ints("representative_bin");
  w.representatives = group.read_doubles("representatives");
  if (slots < 0 || w.representatives.size() != bins.size() * D) throw std::runtime_error("representatives do not fit");
  w.representative_row.assign(static_cast<std::size_t>(slots), -1);
  for (std::size_t row = 0; row < bins.size(); ++row) {
    if (bins[row] < 0 || bins[row] >= slots) throw std::runtime_error("a representative outside the binning");
    w.representative_row[static_cast<std::size_t>(bins[row])] = static_cast<std::int32_t>(row);
  }
}

void pack_walker(ranks::Packer& out, const WalkerRecord& w, const std::vector<double>& state,
                 const std::vector<double>& cache) {
  const RandomStream::State rng = w.rng.state();
  for (const std::uint64_t word : rng.words) out.put(word);
  out.put(rng.spare);
  out.put(static_cast<std::uint8_t>(rng.has_spare));
  out.put(w.first);
  out.put(w.count);
  out.put(w.bin);
  out.put(static_cast<std::int32_t>(w.phase));
  out.put(static_cast<std::uint8_t>(w.one_over_t));
  out.put(static_cast<std::uint8_t>(w.converged));
  out.put(w.ln_f);
  out.put(w.steps);
  out.put(w.since_check);
  out.put(w.check_interval);
  out.put(w.round_left);
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
  out.put(w.representative_row);
  out.put(w.representatives);
  out.put(state);
  out.put(cache);
}

void unpack_walker(ranks::Unpacker& in, WalkerRecord& w, std::vector<double>& state, std::vector<double>& cache) {
  RandomStream::State rng{};
  for (std::uint64_t& word : rng.words) word = in.get<std::uint64_t>();
  rng.spare = in.get<double>();
  rng.has_spare = in.get<std::uint8_t>() != 0;
  w.rng = RandomStream(rng);
  w.first = in.get<int>();
  w.count = in.get<int>();
  w.bin = in.get<int>();
  w.phase = phase_of(in.get<std::int32_t>());
  w.one_over_t = in.get<std::uint8_t>() != 0;
  w.converged = in.get<std::uint8_t>() != 0;
  w.ln_f = in.get<double>();
  w.steps = in.get<std::int64_t>();
  w.since_check = in.get<std::int64_t>();
  w.check_interval = in.get<std::int64_t>();
  w.round_left = in.get<std::int64_t>();
  w.ln_g = in.get_vector<double>();
  w.histogram = in.get_vector<std::int64_t>();
  w.production = in.get_vector<std::int64_t>();
  w.visited = in.get_vector<std::uint8_t>();
  w.visited_count = in.get<int>();
  w.step = in.get_vector<double>();
  w.proposed = in.get_vector<std::int64_t>();
  w.accepted = in.get_vector<std::int64_t>();
  w.min_energy = in.get<double>();
  w.max_energy = in.get<double>();
  w.min_state = in.get_vector<double>();
  w.log_steps = in.get_vector<double>();
  w.log_ln_f = in.get_vector<double>();
  w.representative_row = in.get_vector<std::int32_t>();
  w.representatives = in.get_vector<double>();
  state = in.get_vector<double>();
  cache = in.get_vector<double>();
}

}  // namespace checkpoint

}  // namespace xorscape::entropy
