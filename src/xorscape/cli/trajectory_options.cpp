#include "xorscape/cli/trajectory_options.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <sstream>

#include "xorscape/io/checkpoint.hpp"
#include "xorscape/io/network_file.hpp"
#include "xorscape/landscape/slice_file.hpp"

namespace xorscape::cli {

namespace fs = std::filesystem;
namespace tr = xorscape::trajectory;

void add_trajectory_options(Tool& tool) {
  tool.options().add_options()
      ("center", po::value<std::string>()->default_value("1"),
       "center the offsets refer to: published solution 1..5 (Table 2), a parameter file, name=value,..., or "
       "FILE.h5:SELECTOR (docs/parameter-points.md); with --into the file's center")
      ("pair", po::value<std::string>(), "plane A,B: only these two parameters move (e.g. b1_1,b2_1)")
      ("start", po::value<std::vector<std::string>>()->composing(),
       "start offsets X,Y from the center in the --pair plane; several as \"X,Y;X,Y\" or repeated "
       "(write --start=-7.4,8.9 when the first number is negative)")
      ("start-params", po::value<std::vector<std::string>>()->composing(),
       "full-space start: all parameters move; a published solution 1..5, a parameter file, name=value,... or "
       "FILE.h5:SELECTOR such as trajectory.h5:end (repeatable)")
      ("integrator", po::value<std::string>()->default_value("both"), "gd (gradient descent) | flow (gradient flow) | both")
      ("eta", po::value<double>()->default_value(0.1, "0.1"), "learning rate eta of gradient descent (step = eta * gradient); flow time t = eta * epoch")
      ("epochs", po::value<double>()->default_value(6e7, "6e7"), "budget in epochs (flow: flow time eta * epochs); GD runs one update per epoch")
      ("threshold", po::value<double>()->default_value(0.005, "0.005"), "converged when the loss L drops below this (the paper's 0.005, section 3.2)")
      ("gradient-tolerance", po::value<double>()->default_value(1e-6, "1e-6"),
       "trapped when |grad L| in the moving subspace drops below this at a loss above --threshold")
      ("rtol", po::value<double>()->default_value(1e-8, "1e-8"), "flow: relative error tolerance per step")
      ("atol", po::value<double>()->default_value(1e-10, "1e-10"), "flow: absolute error tolerance per step (parameter units)")
      ("max-evaluations", po::value<double>()->default_value(5e7, "5e7"), "flow: gradient-evaluation budget")
      ("store-per-decade", po::value<double>()->default_value(100, "100"), "stored points: log-spaced marks per decade of epochs")
      ("store-arc", po::value<double>()->default_value(0.02, "0.02"), "stored points: a point every this distance (parameter units)")
      ("store-loss", po::value<double>()->default_value(0.002, "0.002"), "stored points: a point every this change of the loss")
      ("into", po::value<std::string>(), "add the trajectories to this slice file (atomically) instead of writing -o")
      ("output,o", po::value<std::string>()->default_value("trajectory.h5"), "HDF5 file to write (without --into)")
      ("force", po::bool_switch(), "overwrite an existing output file (and discard a checkpoint)")
      ("bench", po::bool_switch(), "print gradient-descent epochs/s and flow evaluations, write nothing");
}

namespace {

// The network and center of the slice file given to --into; options given on the command line
// must agree with them.
struct IntoFile {
  io::NetworkDescription network;
  Params center;
  std::string center_source;
  std::vector<std::string> planes;
};

IntoFile read_into(const Tool& tool, const std::string& path) {
  if (!fs::exists(path)) throw UsageError("--into", "'" + path + "' does not exist");
  if (!h5::is_hdf5_file(path)) throw UsageError("--into", "'" + path + "' is not an HDF5 file");
  require_writable("--into", path);
  std::unique_ptr<h5::InputFile> file;
  try {
    file = std::make_unique<h5::InputFile>(path);
  } catch (const std::exception& e) {
    throw UsageError("--into", e.what());
  }
  const h5::Group& root = file->root();
  const auto network = io::read_network(root);
  if (!network || !root.is_dataset("center"))
    throw UsageError("--into", "'" + path + "' is not a slice file (no network description or no /center)");
  IntoFile into{*network, root.read_doubles("center"),
                root.has_attribute("center_source") ? root.attribute_string("center_source") : path + ":center", {}};
  if (root.exists("planes")) into.planes = root.open_group("planes").members();
  try {
    dataset_by_name(network->data);
  } catch (const std::exception& e) {
    throw UsageError("--into", "'" + path + "': " + e.what());
  }
  if (static_cast<int>(into.center.size()) != network->architecture.dimension())
    throw UsageError("--into", "'" + path + "' has a center of " + std::to_string(into.center.size()) + " parameters");
  const Architecture& a = network->architecture;
  for (const auto& [option, file_value] :
       {std::pair{"n-hidden", std::to_string(a.n_hidden)}, std::pair{"activation", to_string(a.hidden)},
        std::pair{"output-activation", to_string(a.output)}, std::pair{"data", network->data}}) {
    const std::string given = option == std::string("n-hidden") ? std::to_string(tool.get<int>(option))
                                                                : tool.get<std::string>(option);
    if (tool.given(option) && given != file_value)
      throw UsageError(std::string("--") + option, "'" + path + "' was made with " + file_value + ", not " + given);
  }
  return into;
}

// -o: writable, not there unless --force or --resume, no interrupted run in the way.
void check_output(const Tool& tool, const std::string& output, bool into) {
  const bool force = tool.get<bool>("force");
  const std::string checkpoint = io::checkpoint_path(output).string();
  if (!into) {
    require_writable("--output", output);
    if (fs::exists(output) && !force && !tool.resume())
      throw UsageError("--output", "'" + output + "' exists; use --force to overwrite it");
  } else if (tool.given("output")) {
    throw UsageError("--output", "give -o or --into, not both");
  }
  if (fs::exists(checkpoint) && !force && !tool.resume())
    throw UsageError("--resume", "'" + checkpoint + "' holds an interrupted run: continue it with --resume, "
                                 "or start afresh with --force");
}

// "X,Y;X,Y;..." offsets from the center.
std::vector<std::pair<double, double>> parse_plane_starts(const std::string& option, const std::string& text) {
  std::vector<std::pair<double, double>> starts;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ';')) {
    if (item.empty()) continue;
    const auto numbers = parse_numbers(option, item);
    if (numbers.size() != 2) throw UsageError(option, "'" + item + "' is not X,Y (two offsets)");
    starts.emplace_back(numbers[0], numbers[1]);
  }
  if (starts.empty()) throw UsageError(option, "needs at least one start X,Y");
  return starts;
}

void read_center(const Tool& tool, const io::NetworkDescription& network, const std::optional<IntoFile>& into,
                 tr::TrajectoryPlan& plan) {
  if (!into && !tool.given("center") && network.architecture.n_hidden != 2 && tool.has("start-params")) {
    // No published solution to default to: full-space paths are shown around their first start.
    const std::string first = tool.get<std::vector<std::string>>("start-params").front();
    const ParameterPoint center = parse_point("--start-params", first, network);
    plan.center = center.values;
    plan.center_source = "the first --start-params point (" + center.source + ")";
    plan.center_note = center.note;
  } else if (!into || tool.given("center")) {
    const ParameterPoint center = parse_point("--center", tool.get<std::string>("center"), network);
    plan.center = center.values;
    plan.center_source = center.source;
    plan.center_note = center.note;
  }
  if (!into) return;
  const ParameterLayout& layout = plan.loss.layout();
  if (tool.given("center"))
    for (int k = 0; k < layout.dimension(); ++k)
      if (std::abs(into->center[k] - plan.center[k]) > 1e-12 * std::max(1.0, std::abs(plan.center[k])))
        throw UsageError("--center", "differs from the center of '" + tool.get<std::string>("into") + "' in " +
                                         layout.name(k) + " (leave --center out to use the file's)");
  plan.center = into->center;
  plan.center_source = into->center_source;
  plan.center_note.clear();
}

void read_spec(const Tool& tool, tr::TrajectorySpec& spec) {
  spec.eta = require_positive("--eta", tool.get<double>("eta"));
  spec.epochs = require_finite("--epochs", tool.get<double>("epochs"));
  if (spec.epochs < 1 || spec.epochs > 1e15) throw UsageError("--epochs", "must be between 1 and 1e15");
  spec.loss_threshold = require_finite("--threshold", tool.get<double>("threshold"));
  if (spec.loss_threshold < 0) throw UsageError("--threshold", "must not be negative");
  spec.gradient_tolerance = require_finite("--gradient-tolerance", tool.get<double>("gradient-tolerance"));
  if (spec.gradient_tolerance < 0) throw UsageError("--gradient-tolerance", "must not be negative");
  spec.relative_tolerance = require_positive("--rtol", tool.get<double>("rtol"));
  spec.absolute_tolerance = require_positive("--atol", tool.get<double>("atol"));
  const double max_evaluations = require_positive("--max-evaluations", tool.get<double>("max-evaluations"));
  if (max_evaluations > 1e15) throw UsageError("--max-evaluations", "must be at most 1e15");
  spec.max_evaluations = static_cast<std::int64_t>(max_evaluations);
  spec.thinning.per_decade = require_finite("--store-per-decade", tool.get<double>("store-per-decade"));
  if (spec.thinning.per_decade < 0 || spec.thinning.per_decade > 1e4)
    throw UsageError("--store-per-decade", "must be between 0 and 10000");
  spec.thinning.arc_step = require_positive("--store-arc", tool.get<double>("store-arc"));
  spec.thinning.loss_step = require_positive("--store-loss", tool.get<double>("store-loss"));
}

std::vector<tr::Integrator> read_integrators(const Tool& tool) {
  const std::string integrator = tool.get<std::string>("integrator");
  if (integrator == "both") return {tr::Integrator::gradient_descent, tr::Integrator::gradient_flow};
  if (integrator == "gd" || integrator == "flow") return {tr::parse_integrator(integrator)};
  throw UsageError("--integrator", "'" + integrator + "' is not gd, flow or both");
}

// A start in the plane: the center plus offsets, every moving value finite.
tr::Start plane_start(const tr::TrajectoryPlan& plan, double x, double y, const std::string& text) {
  const auto [a, b] = *plan.plane;
  tr::Start start{plan.center, {a, b}, "offsets " + text + " from the center in plane " +
                                           slice::plane_name(plan.loss.layout(), *plan.plane), ""};
  start.parameters[a] += x;
  start.parameters[b] += y;
  if (!std::isfinite(start.parameters[a]) || !std::isfinite(start.parameters[b]))
    throw UsageError("--start", "the start " + text + " plus the center is not a finite point");
  return start;
}

void read_starts(const Tool& tool, const io::NetworkDescription& network, bool bench, tr::TrajectoryPlan& plan) {
  const ParameterLayout& layout = plan.loss.layout();
  if (tool.has("start")) {
    if (!plan.plane) throw UsageError("--start", "needs --pair A,B (the plane the offsets are in)");
    for (const std::string& text : tool.get<std::vector<std::string>>("start"))
      for (const auto& [x, y] : parse_plane_starts("--start", text)) {
        std::ostringstream offsets;
        offsets.precision(17);
        offsets << x << ',' << y;
        plan.starts.push_back(plane_start(plan, x, y, offsets.str()));
      }
  }
  if (tool.has("start-params")) {
    std::vector<int> all(layout.dimension());
    for (int k = 0; k < layout.dimension(); ++k) all[k] = k;
    for (const std::string& text : tool.get<std::vector<std::string>>("start-params")) {
      const ParameterPoint point = parse_point("--start-params", text, network);
      plan.starts.push_back({point.values, all, point.source, point.note});
    }
  }
  if (bench && plan.starts.empty() && layout.n_hidden() == 2) {
    // The paper's slowest plane case unless told otherwise: (b1_1, b2_1) from (15, -2).
    plan.plane = std::pair{layout.index("b1_1"), layout.index("b2_1")};
    plan.starts.push_back(plane_start(plan, 15.0, -2.0, "15,-2"));
  }
  if (plan.starts.empty()) throw UsageError("--start", "give --pair A,B with --start X,Y, or --start-params");
}

}  // namespace

TrajectoryRequest read_trajectory_request(const Tool& tool, const NetworkOptions& network) {
  TrajectoryRequest request;
  tr::TrajectoryPlan& plan = request.plan;
  request.bench = tool.get<bool>("bench");
  request.epochs_given = tool.given("epochs");
  io::NetworkDescription description = network.description();
  std::optional<IntoFile> into;
  if (tool.has("into") && !request.bench) {
    request.into = tool.get<std::string>("into");
    into = read_into(tool, *request.into);
    description = into->network;
  }
  request.output = tool.get<std::string>("output");
  if (!request.bench) check_output(tool, into ? *request.into : request.output, into.has_value());
  plan.loss = XorLoss(description.architecture, dataset_by_name(description.data), description.reduction, description.l2);
  const ParameterLayout& layout = plan.loss.layout();
  if (tool.has("pair")) plan.plane = parse_pair("--pair", tool.get<std::string>("pair"), layout);
  if (into && plan.plane &&
      std::find(into->planes.begin(), into->planes.end(), slice::plane_name(layout, *plan.plane)) == into->planes.end())
    throw UsageError("--into", "'" + *request.into + "' has no plane " + slice::plane_name(layout, *plan.plane));
  read_center(tool, description, into, plan);
  read_spec(tool, plan.spec);
  plan.integrators = read_integrators(tool);
  read_starts(tool, description, request.bench, plan);
  // Each trajectory running at once holds the Hessian of the loss at its end point (D x D).
  const double D = layout.dimension();
  require_memory("--n-hidden", 16.0 * D * D * std::min<double>(tool.threads(), plan.size()), "the end-point Hessians");
  return request;
}

}  // namespace xorscape::cli
