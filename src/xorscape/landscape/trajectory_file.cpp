#include "xorscape/landscape/trajectory_file.hpp"

#include <algorithm>
#include <stdexcept>

#include "xorscape/landscape/slice_file.hpp"
#include "xorscape/version.hpp"

namespace xorscape::trajectory {

namespace {

std::string join_names(const ParameterLayout& layout, const std::vector<int>& indices) {
  if (static_cast<int>(indices.size()) == layout.dimension()) return "all";
  std::string text;
  for (int index : indices) text += (text.empty() ? "" : ",") + layout.name(index);
  return text;
}

// The next free trajectory number below `trajectories` (foreign member names take none).
int next_number(const h5::Group& trajectories) {
  int k = 0;
  for (const std::string& member : trajectories.members()) {
    try {
      k = std::max(k, std::stoi(member) + 1);
    } catch (const std::exception&) {
      // a foreign member name: not one of ours, does not take a number
    }
  }
  return k;
}

// The stored points: epoch (the scale), loss, the plane offsets x, y and, in full space, parameters.
void write_path(const h5::Group& group, const TrajectoryRecord& record, const Params& center,
                const ParameterLayout& layout) {
  const Path& path = record.result.path;
  const size_t n = path.size();
  const int dimension = path.dimension;
  group.write_scale("epoch", path.epoch,
                    {"epoch of each stored point", record.spec.integrator == Integrator::gradient_descent
                                                       ? "epoch tau"
                                                       : "flow time divided by eta (t = eta tau)"});
  group.write("loss", path.loss, {{"epoch"}, "loss L at the stored point (nonrandomized batch)"});
  // Full parameter vector at stored point i.
  auto parameter = [&](size_t i, int index) {
    for (int j = 0; j < dimension; ++j)
      if (record.moving[j] == index) return path.coordinates[i * dimension + j];
    return center[index];
  };
  if (record.plane) {
    const auto [a, b] = *record.plane;
    std::vector<double> x(n), y(n);
    for (size_t i = 0; i < n; ++i) {
      x[i] = parameter(i, a) - center[a];
      y[i] = parameter(i, b) - center[b];
    }
    group.write("x", x, {{"epoch"}, "offset of " + layout.name(a) + " from the center", "offset of " + layout.name(a) + " from center"});
    group.write("y", y, {{"epoch"}, "offset of " + layout.name(b) + " from the center", "offset of " + layout.name(b) + " from center"});
    group.set_attribute("start_x", record.start_parameters[a] - center[a]);
    group.set_attribute("start_y", record.start_parameters[b] - center[b]);
  }
  if (dimension == layout.dimension()) {
    group.write("parameters", path.coordinates, {{"epoch", "/parameter_names"}, "the whole parameter vector at each stored point"});
    group.set_attribute_on("parameters", "names", layout.names());
  }
}

// How the trajectory was made and how it ended.
void write_outcome(const h5::Group& group, const TrajectoryRecord& record) {
  const TrajectorySpec& spec = record.spec;
  const TrajectoryResult& r = record.result;
  group.set_attribute("eta", spec.eta);
  group.set_attribute("epoch_budget", spec.epochs);
  group.set_attribute("loss_threshold", spec.loss_threshold);
  group.set_attribute("gradient_tolerance", spec.gradient_tolerance);
  if (spec.integrator == Integrator::gradient_flow) {
    group.set_attribute("relative_tolerance", spec.relative_tolerance);
    group.set_attribute("absolute_tolerance", spec.absolute_tolerance);
    group.set_attribute("max_evaluations", static_cast<std::int64_t>(spec.max_evaluations));
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
  group.set_attribute("thinning_per_decade", spec.thinning.per_decade);
  group.set_attribute("thinning_arc_step", spec.thinning.arc_step);
  group.set_attribute("thinning_loss_step", spec.thinning.loss_step);
}

void write_all(const h5::Group& root, const TrajectoryJob& job, const h5::Provenance& provenance) {
  const TrajectoryPlan& plan = job.plan();
  const ParameterLayout& layout = plan.loss.layout();
  for (const TrajectoryRecord& record : job.records()) {
    const h5::Group parent =
        record.plane ? slice::plane_group(root, layout, plan.center, *record.plane)
                     : (root.exists("full_space") ? root.open_group("full_space") : root.create_group("full_space"));
    append_trajectory(parent, record, plan.center, layout, provenance);
  }
}

}  // namespace

int append_trajectory(const h5::Group& parent, const TrajectoryRecord& record, const Params& center,
                      const ParameterLayout& layout, const h5::Provenance& provenance) {
  const h5::Group trajectories =
      parent.exists("trajectories") ? parent.open_group("trajectories") : parent.create_group("trajectories");
  const int k = next_number(trajectories);
  const h5::Group group = trajectories.create_group(std::to_string(k));
  write_path(group, record, center, layout);
  group.set_attribute("integrator", to_string(record.spec.integrator));
  group.set_attribute("moving", join_names(layout, record.moving));
  write_outcome(group, record);
  group.set_attribute("start_source", record.start_source);
  if (!record.start_note.empty()) group.set_attribute("start_note", record.start_note);
  group.set_attribute("tool", provenance.tool);
  group.set_attribute("version", std::string(kVersion));
  group.set_attribute("git_commit", std::string(kGitCommit));
  group.set_attribute("command_line", provenance.command_line);
  group.set_attribute("created_utc", h5::utc_now());
  return k;
}

void write_trajectory_file(const h5::Group& root, const TrajectoryJob& job, const h5::Provenance& provenance) {
  const TrajectoryPlan& plan = job.plan();
  slice::write_landscape_header(root, plan.loss, plan.center, {plan.center_source, plan.center_note});
  root.set_attribute("batch", std::string("nonrandomized"));
  write_all(root, job, provenance);
}

void add_trajectories(const h5::Group& root, const TrajectoryJob& job, const h5::Provenance& provenance) {
  write_all(root, job, provenance);
}

namespace {
// Every trajectory group of the file: the planes' in the order of their names, then full_space's,
// each parent's by number.
std::vector<std::string> trajectory_groups(const h5::Group& root) {
  std::vector<std::string> groups;
  auto collect = [&](const std::string& parent) {
    if (!root.exists(parent + "/trajectories")) return;
    std::vector<std::pair<long long, std::string>> numbered;
    for (const std::string& k : root.open_group(parent + "/trajectories").members()) {
      try {
        numbered.emplace_back(std::stoll(k), k);
      } catch (const std::exception&) {
        // a foreign member: not a trajectory of ours
      }
    }
    std::sort(numbered.begin(), numbered.end());
    for (const auto& [number, k] : numbered) groups.push_back(parent + "/trajectories/" + k);
  };
  if (root.exists("planes")) {
    std::vector<std::string> planes = root.open_group("planes").members();
    std::sort(planes.begin(), planes.end());
    for (const std::string& plane : planes) collect("planes/" + plane);
  }
  collect("full_space");
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
  if (k < 0 || k >= static_cast<std::int64_t>(groups.size()))
    throw std::invalid_argument("trajectory " + std::to_string(k) + " does not exist (the file has " +
                                std::to_string(groups.size()) + ")");
  const h5::Group g = root.open_group(groups[k]);
  const h5::AttributeValue value = g.attribute(selector.has("start") ? "start_parameters" : "end_parameters");
  return std::get<std::vector<double>>(value);
}

std::vector<Params> read_path(const h5::Group& root, const io::PointSelector& selector, std::string& group) {
  selector.allow({"trajectory"}, {});
  std::vector<std::string> groups;
  for (const std::string& g : trajectory_groups(root))
    if (root.is_dataset(g + "/parameters")) groups.push_back(g);
  std::int64_t k = 0;
  if (const auto n = selector.number("trajectory")) {
    const std::vector<std::string> all = trajectory_groups(root);
    if (*n < 0 || *n >= static_cast<std::int64_t>(all.size()))
      throw std::invalid_argument("trajectory " + std::to_string(*n) + " does not exist (the file has " +
                                  std::to_string(all.size()) + ")");
    if (!root.is_dataset(all[*n] + "/parameters"))
      throw std::invalid_argument("trajectory " + std::to_string(*n) +
                                  " moved in a plane only and stores no full-space parameters");
    groups = {all[*n]};
  } else if (groups.size() != 1) {
    throw std::invalid_argument("the file holds " + std::to_string(groups.size()) +
                                " full-space trajectories: name one, e.g. FILE:trajectory=0");
  }
  group = groups[k];
  const std::vector<hsize_t> shape = root.open_group(group).shape("parameters");
  const std::vector<double> values = root.open_group(group).read_doubles("parameters");
  if (shape.size() != 2 || shape[0] == 0) throw std::invalid_argument(group + "/parameters is not an (n x D) table");
  std::vector<Params> path;
  for (hsize_t i = 0; i < shape[0]; ++i)
    path.emplace_back(values.begin() + i * shape[1], values.begin() + (i + 1) * shape[1]);
  return path;
}

}  // namespace xorscape::trajectory
