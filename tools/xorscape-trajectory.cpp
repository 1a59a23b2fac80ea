// xorscape-trajectory: steepest-descent paths across the loss landscape (Fig. 6 of the
// dissecting paper), restricted to a plane of two parameters or in full space, by gradient
// descent (epochs of learning rate eta) and/or by gradient flow (adaptive Dormand-Prince).
// Writes a file of its own, or adds the paths into an existing slice file (--into).
#include <omp.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "xorscape/cli/cli.hpp"
#include "xorscape/core/parameters.hpp"
#include "xorscape/landscape/trajectory.hpp"
#include "xorscape/landscape/trajectory_file.hpp"

using namespace xorscape;
namespace fs = std::filesystem;
namespace tr = xorscape::trajectory;

namespace {

// One start point: the whole parameter vector and the parameters that move.
struct Start {
  Params parameters;
  std::vector<int> moving;
};

// "X,Y;X,Y;..." offsets from the center.
std::vector<std::pair<double, double>> parse_plane_starts(const std::string& option, const std::string& text) {
  std::vector<std::pair<double, double>> starts;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ';')) {
    if (item.empty()) continue;
    const auto numbers = cli::parse_numbers(option, item);
    if (numbers.size() != 2) throw cli::UsageError(option, "'" + item + "' is not X,Y (two offsets)");
    starts.emplace_back(numbers[0], numbers[1]);
  }
  if (starts.empty()) throw cli::UsageError(option, "needs at least one start X,Y");
  return starts;
}

// What a slice file given to --into says about the landscape it shows.
struct SliceFileFacts {
  Params center;
  std::optional<std::int64_t> n_hidden;
  std::optional<std::string> hidden_activation, output_activation, data;
};

SliceFileFacts read_slice_file(const std::string& path, const std::optional<std::string>& plane) {
  std::unique_ptr<h5::InputFile> file;
  try {
    file = std::make_unique<h5::InputFile>(path);
  } catch (const std::exception& e) {
    throw cli::UsageError("--into", e.what());
  }
  const h5::Group& root = file->root();
  if (!root.exists("center")) throw cli::UsageError("--into", "'" + path + "' is not a slice file (no /center)");
  SliceFileFacts facts;
  facts.center = root.read_doubles("center");
  if (root.has_attribute("n_hidden")) facts.n_hidden = root.attribute_int("n_hidden");
  if (root.has_attribute("hidden_activation")) facts.hidden_activation = root.attribute_string("hidden_activation");
  if (root.has_attribute("output_activation")) facts.output_activation = root.attribute_string("output_activation");
  if (root.has_attribute("data")) facts.data = root.attribute_string("data");
  if (plane && !root.exists("planes/" + *plane)) {
    std::string present;
    if (root.exists("planes"))
      for (const auto& name : root.open_group("planes").members()) present += (present.empty() ? "" : " ") + name;
    throw cli::UsageError("--into", "'" + path + "' has no plane " + *plane +
                                        (present.empty() ? " (it has no planes)" : " (it has: " + present + ")"));
  }
  return facts;
}

}  // namespace

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-trajectory",
                 "steepest-descent paths (gradient descent and gradient flow) across loss-landscape slices");
  tool.options().add_options()
      ("n-hidden", cli::po::value<int>()->default_value(2), "hidden neurons n_h")
      ("activation", cli::po::value<std::string>()->default_value("sigmoid"), "hidden activation: sigmoid|tanh|relu (output: sigmoid)")
      ("data", cli::po::value<std::string>()->default_value("xor"), "truth table: xor|xor-centered|xor-pm")
      ("center", cli::po::value<std::string>()->default_value("1"),
       "center the offsets refer to: published solution 1..5 (Table 2), a parameter file, or name=value,...")
      ("pair", cli::po::value<std::string>(), "plane A,B: only these two parameters move (e.g. b1_1,b2_1)")
      ("start", cli::po::value<std::vector<std::string>>()->composing(),
       "start offsets X,Y from the center in the --pair plane; several as \"X,Y;X,Y\" or repeated "
       "(write --start=-7.4,8.9 when the first number is negative)")
      ("start-params", cli::po::value<std::vector<std::string>>()->composing(),
       "full-space start: all parameters move; a published solution 1..5, a parameter file or name=value,... (repeatable)")
      ("integrator", cli::po::value<std::string>()->default_value("both"), "gd (gradient descent) | flow (gradient flow) | both")
      ("eta", cli::po::value<double>()->default_value(0.1, "0.1"), "learning rate eta of gradient descent (step = eta * gradient); flow time t = eta * epoch")
      ("epochs", cli::po::value<double>()->default_value(6e7, "6e7"), "budget in epochs (flow: flow time eta * epochs); GD runs one update per epoch")
      ("threshold", cli::po::value<double>()->default_value(0.005, "0.005"), "converged when the loss L drops below this (the paper's 0.005, section 3.2)")
      ("gradient-tolerance", cli::po::value<double>()->default_value(1e-6, "1e-6"),
       "trapped when |grad L| in the moving subspace drops below this at a loss above --threshold")
      ("rtol", cli::po::value<double>()->default_value(1e-8, "1e-8"), "flow: relative error tolerance per step")
      ("atol", cli::po::value<double>()->default_value(1e-10, "1e-10"), "flow: absolute error tolerance per step (parameter units)")
      ("max-evaluations", cli::po::value<double>()->default_value(5e7, "5e7"), "flow: gradient-evaluation budget")
      ("store-per-decade", cli::po::value<double>()->default_value(100, "100"), "stored points: log-spaced marks per decade of epochs")
      ("store-arc", cli::po::value<double>()->default_value(0.02, "0.02"), "stored points: a point every this distance (parameter units)")
      ("store-loss", cli::po::value<double>()->default_value(0.002, "0.002"), "stored points: a point every this change of the loss")
      ("into", cli::po::value<std::string>(), "add the trajectories to this slice file (atomically) instead of writing -o")
      ("output,o", cli::po::value<std::string>()->default_value("trajectory.h5"), "HDF5 file to write (without --into)")
      ("force", cli::po::bool_switch(), "overwrite an existing output file")
      ("bench", cli::po::bool_switch(), "print gradient-descent epochs/s and flow evaluations, write nothing");
  return tool.run(argc, argv, [&] {
    // ---- parse and validate
    const bool bench = tool.get<bool>("bench");
    const std::optional<std::string> into =
        tool.has("into") ? std::optional<std::string>(tool.get<std::string>("into")) : std::nullopt;
    const int n_hidden = static_cast<int>(cli::require_at_least("--n-hidden", tool.get<int>("n-hidden"), 1));
    if (n_hidden > 1000) throw cli::UsageError("--n-hidden", "impossibly large (at most 1000)");
    Architecture architecture{n_hidden, cli::parse_activation("--activation", tool.get<std::string>("activation")),
                              Activation::sigmoid};
    Dataset dataset = cli::parse_dataset("--data", tool.get<std::string>("data"));
    const ParameterLayout layout(n_hidden);

    std::optional<std::pair<int, int>> pair;
    if (tool.has("pair")) pair = cli::parse_pair("--pair", tool.get<std::string>("pair"), layout);
    const std::optional<std::string> plane_label =
        pair ? std::optional<std::string>(tr::plane_name(layout, pair->first, pair->second)) : std::nullopt;

    // With --into the file's center is used; --center, when given, must agree with it.
    Params center;
    std::string center_note;
    if (!into || tool.given("center")) {
      const std::string text = tool.get<std::string>("center");
      center = cli::parse_parameters("--center", text, layout);
      if (n_hidden == 2 && text.find_first_not_of("0123456789") == std::string::npos)
        center_note = published_solution(std::stoi(text)).note;
    }

    if (into) {
      const SliceFileFacts facts = read_slice_file(*into, plane_label);
      if (facts.n_hidden && *facts.n_hidden != n_hidden)
        throw cli::UsageError(tool.given("n-hidden") ? "--n-hidden" : "--into",
                              "'" + *into + "' has n_h = " + std::to_string(*facts.n_hidden) + ", not " +
                                  std::to_string(n_hidden) + " (give --n-hidden " +
                                  std::to_string(*facts.n_hidden) + ")");
      if (facts.hidden_activation) architecture.hidden = cli::parse_activation("--into", *facts.hidden_activation);
      if (facts.output_activation) architecture.output = cli::parse_activation("--into", *facts.output_activation);
      if (facts.data) dataset = cli::parse_dataset("--into", *facts.data);
      if (tool.given("activation") && to_string(architecture.hidden) != tool.get<std::string>("activation"))
        throw cli::UsageError("--activation", "'" + *into + "' was made with " + to_string(architecture.hidden));
      if (tool.given("data") && dataset.name != tool.get<std::string>("data"))
        throw cli::UsageError("--data", "'" + *into + "' was made with " + dataset.name);
      if (static_cast<int>(facts.center.size()) != layout.dimension())
        throw cli::UsageError("--into", "'" + *into + "' has a center of " + std::to_string(facts.center.size()) +
                                            " parameters, n_h = " + std::to_string(n_hidden) + " needs " +
                                            std::to_string(layout.dimension()));
      if (tool.given("center")) {
        for (int k = 0; k < layout.dimension(); ++k)
          if (std::abs(facts.center[k] - center[k]) > 1e-12 * std::max(1.0, std::abs(center[k])))
            throw cli::UsageError("--center", "differs from the center of '" + *into + "' in " + layout.name(k) +
                                                  " (leave --center out to use the file's)");
      }
      center = facts.center;
    } else if (!bench) {
      const std::string output = tool.get<std::string>("output");
      if (output.empty()) throw cli::UsageError("--output", "must not be empty");
      const fs::path folder = fs::path(output).parent_path();
      if (!folder.empty() && !fs::is_directory(folder))
        throw cli::UsageError("--output", "folder '" + folder.string() + "' does not exist");
      if (fs::exists(output) && !tool.get<bool>("force"))
        throw cli::UsageError("--output", "'" + output + "' exists; use --force to overwrite it");
    }
    const XorLoss loss(architecture, dataset);

    tr::TrajectorySpec spec;
    spec.eta = cli::require_positive("--eta", tool.get<double>("eta"));
    spec.epochs = cli::require_finite("--epochs", tool.get<double>("epochs"));
    if (spec.epochs < 1 || spec.epochs > 1e15) throw cli::UsageError("--epochs", "must be between 1 and 1e15");
    spec.loss_threshold = cli::require_finite("--threshold", tool.get<double>("threshold"));
    if (spec.loss_threshold < 0) throw cli::UsageError("--threshold", "must not be negative");
    spec.gradient_tolerance = cli::require_finite("--gradient-tolerance", tool.get<double>("gradient-tolerance"));
    if (spec.gradient_tolerance < 0) throw cli::UsageError("--gradient-tolerance", "must not be negative");
    spec.relative_tolerance = cli::require_positive("--rtol", tool.get<double>("rtol"));
    spec.absolute_tolerance = cli::require_positive("--atol", tool.get<double>("atol"));
    const double max_evaluations = cli::require_positive("--max-evaluations", tool.get<double>("max-evaluations"));
    if (max_evaluations > 1e15) throw cli::UsageError("--max-evaluations", "must be at most 1e15");
    spec.max_evaluations = static_cast<std::int64_t>(max_evaluations);
    spec.thinning.per_decade = cli::require_finite("--store-per-decade", tool.get<double>("store-per-decade"));
    if (spec.thinning.per_decade < 0 || spec.thinning.per_decade > 1e4)
      throw cli::UsageError("--store-per-decade", "must be between 0 and 10000");
    spec.thinning.arc_step = cli::require_positive("--store-arc", tool.get<double>("store-arc"));
    spec.thinning.loss_step = cli::require_positive("--store-loss", tool.get<double>("store-loss"));

    std::vector<tr::Integrator> integrators;
    const std::string integrator = tool.get<std::string>("integrator");
    if (integrator == "both") integrators = {tr::Integrator::gradient_descent, tr::Integrator::gradient_flow};
    else if (integrator == "gd" || integrator == "flow") integrators = {tr::parse_integrator(integrator)};
    else throw cli::UsageError("--integrator", "'" + integrator + "' is not gd, flow or both");

    std::vector<Start> starts;
    if (tool.has("start")) {
      if (!pair) throw cli::UsageError("--start", "needs --pair A,B (the plane the offsets are in)");
      for (const std::string& text : tool.get<std::vector<std::string>>("start"))
        for (const auto& [x, y] : parse_plane_starts("--start", text)) {
          Start s{center, {pair->first, pair->second}};
          s.parameters[pair->first] += x;
          s.parameters[pair->second] += y;
          starts.push_back(s);
        }
    }
    if (tool.has("start-params")) {
      std::vector<int> all(layout.dimension());
      for (int k = 0; k < layout.dimension(); ++k) all[k] = k;
      for (const std::string& text : tool.get<std::vector<std::string>>("start-params"))
        starts.push_back({cli::parse_parameters("--start-params", text, layout), all});
    }
    if (bench && starts.empty() && n_hidden == 2) {
      // The paper's slowest plane case unless told otherwise: (b1_1, b2_1) from (15, -2).
      pair = {layout.index("b1_1"), layout.index("b2_1")};
      Start s{center, {pair->first, pair->second}};
      s.parameters[pair->first] += 15.0;
      s.parameters[pair->second] -= 2.0;
      starts.push_back(s);
    }
    if (starts.empty()) throw cli::UsageError("--start", "give --pair A,B with --start X,Y, or --start-params");

    // ---- benchmark
    if (bench) {
      std::printf("xorscape-trajectory --bench (n_h = %d, %d thread(s) unused: one trajectory is sequential)\n",
                  n_hidden, tool.threads());
      for (const Start& s : starts) {
        const tr::RestrictedLoss restricted(loss, center, s.moving);
        tr::TrajectorySpec run_spec = spec;
        if (!tool.given("epochs")) run_spec.epochs = 2e7;
        std::printf("start %s, moving %zu parameter(s), budget %.3g epochs\n",
                    s.moving.size() == 2 ? tr::plane_name(layout, s.moving[0], s.moving[1]).c_str() : "full space",
                    s.moving.size(), run_spec.epochs);
        double gd_evaluations = 0;
        for (tr::Integrator method : integrators) {
          run_spec.integrator = method;
          const auto begin = std::chrono::steady_clock::now();
          const tr::TrajectoryResult r = run(restricted, restricted.restrict(s.parameters), run_spec, tool.control());
          const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
          if (method == tr::Integrator::gradient_descent) {
            gd_evaluations = static_cast<double>(r.evaluations);
            std::printf("  gd   : %-9s after %.6g epochs, L = %.6f, %.3g s, %.3g epochs/s\n",
                        tr::to_string(r.outcome).c_str(), r.final_epoch, r.final_loss, seconds,
                        r.final_epoch / std::max(seconds, 1e-9));
          } else {
            std::printf("  flow : %-9s at epoch %.6g, L = %.6f, %lld gradient evaluations (%lld accepted, %lld "
                        "rejected steps), %.3g s",
                        tr::to_string(r.outcome).c_str(), r.final_epoch, r.final_loss,
                        static_cast<long long>(r.evaluations), static_cast<long long>(r.accepted_steps),
                        static_cast<long long>(r.rejected_steps), seconds);
            if (gd_evaluations > 0) std::printf(", %.0fx fewer evaluations than gd", gd_evaluations / r.evaluations);
            std::printf("\n");
          }
          if (tool.control().stop_requested()) break;
        }
        // The full-space gradient through the general backpropagation, for comparison.
        std::vector<double> gradient(layout.dimension());
        Params p = s.parameters;
        const long long repeats = 2'000'000;
        const auto begin = std::chrono::steady_clock::now();
        double sink = 0;
        for (long long i = 0; i < repeats; ++i) {
          sink += loss.value_and_gradient(p, gradient);
          p[0] -= 1e-12 * gradient[0];
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
        std::printf("  reference XorLoss::value_and_gradient (all %d partials): %.3g evaluations/s (checksum %.3g)\n",
                    layout.dimension(), repeats / seconds, sink);
      }
      return 0;
    }

    // ---- compute: every (start, integrator) is independent; each is deterministic
    struct Job {
      size_t start;
      tr::Integrator integrator;
    };
    std::vector<Job> jobs;
    for (size_t s = 0; s < starts.size(); ++s)
      for (tr::Integrator method : integrators) jobs.push_back({s, method});
    std::vector<tr::TrajectoryRecord> records(jobs.size());
    std::vector<double> reached(jobs.size(), 0.0);
    cli::Progress progress("trajectories", spec.epochs * static_cast<double>(jobs.size()), "epochs");
    std::string failure;
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t j = 0; j < jobs.size(); ++j) {
      try {
        const Start& s = starts[jobs[j].start];
        const tr::RestrictedLoss restricted(loss, s.parameters, s.moving);
        tr::TrajectoryRecord& record = records[j];
        record.spec = spec;
        record.spec.integrator = jobs[j].integrator;
        record.moving = s.moving;
        record.start_parameters = s.parameters;
        record.start_loss = loss.value(s.parameters);
        if (s.moving.size() == 2 && pair) record.plane = pair;
        if (s.moving.size() == static_cast<size_t>(layout.dimension()) && pair) record.plane = pair;
        RunControl job_control([&](double epoch, double) {
#pragma omp critical(trajectory_progress)
          {
            reached[j] = epoch;
            double total = 0;
            for (double r : reached) total += r;
            progress.update(total);
          }
        });
        job_control.watch_signals(true);
        record.result = tr::run(restricted, restricted.restrict(s.parameters), record.spec, job_control);
        record.end_parameters = restricted.full(record.result.end.data());
        record.end_analysis = tr::analyse_end_point(loss, restricted, record.result.end);
#pragma omp critical(trajectory_progress)
        {
          reached[j] = spec.epochs;
          double total = 0;
          for (double r : reached) total += r;
          progress.update(total);
        }
      } catch (const std::exception& e) {
#pragma omp critical(trajectory_failure)
        failure = e.what();
      }
    }
    progress.finish();
    if (!failure.empty()) throw std::runtime_error(failure);
    if (tool.control().stop_requested()) {
      std::cerr << "xorscape-trajectory: interrupted; nothing was written\n";
      return 130;
    }
    for (const auto& record : records) {
      const auto& r = record.result;
      std::fprintf(stderr, "%s %s start L=%.4f -> %s at epoch %.6g, L=%.6g, |grad|=%.3g (%lld evaluations)\n",
                   record.plane ? tr::plane_name(layout, record.plane->first, record.plane->second).c_str()
                                : "full-space",
                   tr::to_string(record.spec.integrator).c_str(), record.start_loss, tr::to_string(r.outcome).c_str(),
                   r.final_epoch, r.final_loss, r.final_gradient_norm, static_cast<long long>(r.evaluations));
    }

    // ---- write
    const h5::Provenance provenance = tool.provenance();
    auto write_all = [&](const h5::Group& root) {
      for (const auto& record : records) {
        const h5::Group parent =
            record.plane ? tr::plane_group(root, layout, center, record.plane->first, record.plane->second)
                         : (root.exists("full_space") ? root.open_group("full_space") : root.create_group("full_space"));
        tr::append_trajectory(parent, record, center, layout, provenance);
      }
    };
    if (into) {
      h5::UpdateFile update(*into);
      write_all(update.root());
      update.commit();
      std::fprintf(stderr, "xorscape-trajectory: added %zu trajectories to %s\n", records.size(), into->c_str());
    } else {
      h5::OutputFile file(tool.get<std::string>("output"), tool.get<bool>("force"));
      file.write_provenance(provenance);
      tr::write_landscape_header(file.root(), loss, center, center_note);
      write_all(file.root());
      file.commit();
      std::fprintf(stderr, "xorscape-trajectory: wrote %s\n", tool.get<std::string>("output").c_str());
    }
    return 0;
  });
}
