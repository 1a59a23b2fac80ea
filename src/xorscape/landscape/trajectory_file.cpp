#include "xorscape/landscape/trajectory_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "xorscape/version.hpp"

namespace xorscape::trajectory {

void write_landscape_header(const h5::Group& root, const XorLoss& loss, const Params& center,
                            const std::string& center_note) {
  root.set_attribute("n_hidden", static_cast<std::int64_t>(loss.architecture().n_hidden));
  root.set_attribute("hidden_activation", to_string(loss.architecture().hidden));
  root.set_attribute("output_activation", to_string(loss.architecture().output));
  root.set_attribute("data", loss.dataset().name);
  root.set_attribute("batch", std::string("nonrandomized"));
  if (!center_note.empty()) root.set_attribute("center_note", center_note);
  root.write("center", center);
  root.set_attribute_on("center", "meaning", std::string("the parameter vector all planes pass through"));
  root.write_strings("parameter_names", loss.layout().names());
  root.set_attribute_on("center", "names", loss.layout().names());
}

std::string plane_name(const ParameterLayout& layout, int a, int b) { return layout.name(a) + "," + layout.name(b); }

h5::Group plane_group(const h5::Group& root, const ParameterLayout& layout, const Params& center, int a, int b) {
  const std::string path = "planes/" + plane_name(layout, a, b);
  if (root.exists(path)) return root.open_group(path);
  h5::Group plane = root.create_group(path);
  plane.set_attribute("x_parameter", layout.name(a));
  plane.set_attribute("y_parameter", layout.name(b));
  plane.set_attribute("x_index", static_cast<std::int64_t>(a));
  plane.set_attribute("y_index", static_cast<std::int64_t>(b));
  plane.set_attribute("x_center", center[a]);
  plane.set_attribute("y_center", center[b]);
  return plane;
}

namespace {

std::string join_names(const ParameterLayout& layout, const std::vector<int>& indices) {
  if (static_cast<int>(indices.size()) == layout.dimension()) return "all";
  std::string text;
  for (int index : indices) text += (text.empty() ? "" : ",") + layout.name(index);
  return text;
}

}  // namespace

int append_trajectory(const h5::Group& parent, const TrajectoryRecord& record, const Params& center,
                      const ParameterLayout& layout, const h5::Provenance& provenance) {
  const h5::Group trajectories =
      parent.exists("trajectories") ? parent.open_group("trajectories") : parent.create_group("trajectories");
  int k = 0;
  for (const std::string& member : trajectories.members()) {
    try {
      k = std::max(k, std::stoi(member) + 1);
    } catch (const std::exception&) {
      // a foreign member name: not one of ours, does not take a number
    }
  }
  const h5::Group group = trajectories.create_group(std::to_string(k));
  const TrajectoryResult& r = record.result;
  const Path& path = r.path;
  const size_t n = path.size();
  const int dimension = path.dimension;
  const bool full_space = dimension == layout.dimension();

  // Full parameter vector at stored point i.
  auto parameter = [&](size_t i, int index) {
    for (int j = 0; j < dimension; ++j)
      if (record.moving[j] == index) return path.coordinates[i * dimension + j];
    return center[index];
  };

  group.write("epoch", path.epoch);
  group.write("loss", path.loss);
  group.set_attribute_on("epoch", "units",
                         std::string(record.spec.integrator == Integrator::gradient_descent
                                         ? "epoch tau"
                                         : "flow time divided by eta (t = eta tau)"));
  group.set_attribute_on("loss", "meaning", std::string("loss L at the stored point (nonrandomized batch)"));
  group.attach_scale("loss", "epoch", 0, "epoch");
  if (record.plane) {
    const auto [a, b] = *record.plane;
    std::vector<double> x(n), y(n);
    for (size_t i = 0; i < n; ++i) {
      x[i] = parameter(i, a) - center[a];
      y[i] = parameter(i, b) - center[b];
    }
    group.write("x", x);
    group.write("y", y);
    group.set_attribute_on("x", "units", "offset of " + layout.name(a) + " from center");
    group.set_attribute_on("y", "units", "offset of " + layout.name(b) + " from center");
    group.attach_scale("x", "epoch", 0, "epoch");
    group.attach_scale("y", "epoch", 0, "epoch");
    group.set_attribute("start_x", record.start_parameters[a] - center[a]);
    group.set_attribute("start_y", record.start_parameters[b] - center[b]);
  }
  if (full_space) {
    std::vector<double> parameters(path.coordinates);
    group.write("parameters", parameters, {n, static_cast<hsize_t>(dimension)});
    group.set_attribute_on("parameters", "names", layout.names());
    group.attach_scale("parameters", "epoch", 0, "epoch");
      }

  group.set_attribute("integrator", to_string(record.spec.integrator));
  group.set_attribute("moving", join_names(layout, record.moving));
  group.set_attribute("eta", record.spec.eta);
  group.set_attribute("epoch_budget", record.spec.epochs);
  group.set_attribute("loss_threshold", record.spec.loss_threshold);
  group.set_attribute("gradient_tolerance", record.spec.gradient_tolerance);
  if (record.spec.integrator == Integrator::gradient_flow) {
    group.set_attribute("relative_tolerance", record.spec.relative_tolerance);
    group.set_attribute("absolute_tolerance", record.spec.absolute_tolerance);
    group.set_attribute("max_evaluations", static_cast<std::int64_t>(record.spec.max_evaluations));
    group.set_attribute("accepted_steps", static_cast<std::int64_t>(r.accepted_steps));
    group.set_attribute("rejected_steps", static_cast<std::int64_t>(r.rejected_steps));
  }
  group.set_attribute("outcome", to_string(r.outcome));
  group.set_attribute("start_loss", record.start_loss);
  group.set_attribute("final_loss", r.final_loss);
  group.set_attribute("final_gradient_norm", r.final_gradient_norm);
  group.set_attribute("final_epoch", r.final_epoch);
  group.set_attribute("start_parameters", record.start_parameters);
  group.set_attribute("end_parameters", record.end_parameters);
  group.set_attribute("final_full_gradient_norm", record.end_analysis.full_gradient_norm);
  group.set_attribute("final_hessian_eigenvalues", record.end_analysis.hessian_eigenvalues);
  group.set_attribute("evaluations", static_cast<std::int64_t>(r.evaluations));
  group.set_attribute("thinning_per_decade", record.spec.thinning.per_decade);
  group.set_attribute("thinning_arc_step", record.spec.thinning.arc_step);
  group.set_attribute("thinning_loss_step", record.spec.thinning.loss_step);
  group.set_attribute("tool", provenance.tool);
  group.set_attribute("version", std::string(kVersion));
  group.set_attribute("git_commit", std::string(kGitCommit));
  group.set_attribute("command_line", provenance.command_line);
  group.set_attribute("created_utc", h5::utc_now());
  return k;
}

namespace {
// Every trajectory group of the file, in the order of their paths.
std::vector<std::string> trajectory_groups(const h5::Group& root) {
  std::vector<std::string> groups;
  auto collect = [&](const std::string& parent) {
    if (!root.exists(parent + "/trajectories")) return;
    for (const std::string& k : root.open_group(parent + "/trajectories").members())
      groups.push_back(parent + "/trajectories/" + k);
  };
  if (root.exists("planes"))
    for (const std::string& plane : root.open_group("planes").members()) collect("planes/" + plane);
  collect("full_space");
  std::sort(groups.begin(), groups.end());
  return groups;
}
}  // namespace

Params read_point(const h5::Group& root, const io::PointSelector& selector) {
  selector.allow({"trajectory"}, {"center", "start", "end"});
  const std::vector<std::string> groups = trajectory_groups(root);
  const bool wants_trajectory = selector.number("trajectory") || selector.has("start") || selector.has("end");
  if (selector.has("center") || (!wants_trajectory && groups.size() != 1)) {
    if (wants_trajectory) throw std::invalid_argument("center and a trajectory exclude each other");
    return root.read_doubles("center");
  }
  std::int64_t k = 0;
  if (const auto n = selector.number("trajectory")) {
    k = *n;
  } else if (groups.size() != 1) {
    throw std::invalid_argument("the file holds " + std::to_string(groups.size()) +
                                " trajectories: name one, e.g. FILE:trajectory=0,end");
  }
  if (k >= static_cast<std::int64_t>(groups.size()))
    throw std::invalid_argument("trajectory " + std::to_string(k) + " does not exist (the file has " +
                                std::to_string(groups.size()) + ")");
  const h5::Group g = root.open_group(groups[k]);
  const h5::AttributeValue value = g.attribute(selector.has("start") ? "start_parameters" : "end_parameters");
  return std::get<std::vector<double>>(value);
}

}  // namespace xorscape::trajectory
