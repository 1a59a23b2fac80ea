#include "xorscape/landscape/slice_file.hpp"

#include <algorithm>
#include <stdexcept>

namespace xorscape::slice {


struct SliceFileWriter::Streams {
  std::vector<std::pair<std::string, h5::RowWriter>> items;
};

std::string plane_name(const ParameterLayout& layout, std::pair<int, int> plane) {
  return layout.name(plane.first) + "," + layout.name(plane.second);
}

SliceFileWriter::SliceFileWriter(const std::string& path, bool overwrite, const SliceSpec& spec,
                                 const h5::Provenance& provenance, const std::string& center_note, Storage storage)
    : spec_(spec), storage_(storage),
      block_rows_(std::clamp((256 * 1024) / (8 * spec.x.count), 1, spec.y.count)), file_(path, overwrite) {
  const h5::Group& root = file_.root();
  file_.write_provenance(provenance);
  const Architecture& arch = spec.loss.architecture();
  const ParameterLayout& layout = spec.loss.layout();
  root.set_attribute("n_hidden", static_cast<std::int64_t>(arch.n_hidden));
  root.set_attribute("hidden_activation", to_string(arch.hidden));
  root.set_attribute("output_activation", to_string(arch.output));
  root.set_attribute("data", spec.loss.dataset().name);
  root.set_attribute("reduction", std::string(spec.loss.reduction() == Reduction::mean ? "mean" : "sum"));
  root.set_attribute("l2", spec.loss.l2());
  root.set_attribute("batch", std::string(spec.randomized ? "randomized" : "nonrandomized"));
  root.set_attribute("scans", static_cast<std::int64_t>(spec.randomized ? spec.scans : 1));
  root.set_attribute("simd_level", kernels::to_string(spec.level));
  root.set_attribute("plateau_tolerance", spec.plateau_tolerance);
  root.set_attribute("deflate_level", static_cast<std::int64_t>(storage.deflate_level));
  if (!center_note.empty()) root.set_attribute("center_note", center_note);
  root.write("center", spec.center);
  root.set_attribute_on("center", "names", layout.names());
  root.set_attribute_on("center", "meaning", std::string("the parameter vector every plane passes through"));
  root.write_strings("parameter_names", layout.names());
  std::vector<std::string> order;
  for (const auto& pair : spec.planes) order.push_back(plane_name(layout, pair));
  root.set_attribute("plane_order", order);
  root.create_group("planes");
}

SliceFileWriter::~SliceFileWriter() = default;

void SliceFileWriter::begin_plane(int plane, const PlaneComputation& computation) {
  const ParameterLayout& layout = spec_.loss.layout();
  const auto [a, b] = spec_.planes.at(plane);
  streams_.reset();
  plane_group_ = file_.root().create_group("planes/" + plane_name(layout, {a, b}));
  const h5::Group& g = plane_group_;
  g.set_attribute("x_parameter", layout.name(a));
  g.set_attribute("y_parameter", layout.name(b));
  g.set_attribute("x_index", static_cast<std::int64_t>(a));
  g.set_attribute("y_index", static_cast<std::int64_t>(b));
  g.set_attribute("x_center", spec_.center[a]);
  g.set_attribute("y_center", spec_.center[b]);
  g.set_attribute("cases_per_point", static_cast<std::int64_t>(computation.evaluator().cases_per_point()));
  g.write("x", computation.x());
  g.write("y", computation.y());
  for (const auto& [axis, parameter] : {std::pair{"x", a}, std::pair{"y", b}}) {
    g.set_attribute_on(axis, "units", std::string("offset from center"));
    g.set_attribute_on(axis, "parameter", layout.name(parameter));
  }
  streams_ = std::make_unique<Streams>();
  const hsize_t ny = computation.rows(), nx = computation.columns();
  std::vector<std::string> names{"loss"};
  if (spec_.randomized) names = {"loss", "loss_mean", "loss_std", "loss_nonrandomized"};
  for (const std::string& name : names)
    streams_->items.emplace_back(name, h5::RowWriter(g, name, ny, nx, block_rows_, storage_.deflate_level));
}

void SliceFileWriter::write_block(const PlaneBlock& block) {
  for (auto& [name, stream] : streams_->items) {
    const std::vector<double>& data = name == "loss"        ? block.loss
                                      : name == "loss_mean" ? block.loss_mean
                                      : name == "loss_std"  ? block.loss_std
                                                            : block.loss_nonrandomized;
    stream.write(block.row0, block.rows, data.data());
  }
}

void SliceFileWriter::end_plane(const PlaneStatistics& loss, const PlaneStatistics* mean,
                                const Difference* mean_vs_nonrandomized) {
  std::vector<std::string> names;
  for (const auto& item : streams_->items) names.push_back(item.first);
  streams_.reset();  // closes the datasets before scales are attached
  const h5::Group& g = plane_group_;
  const std::string x_name = g.attribute_string("x_parameter"), y_name = g.attribute_string("y_parameter");
  const std::vector<std::pair<std::string, std::string>> meaning{
      {"loss", spec_.randomized ? "loss of the first randomized scan (every grid point its own batch of 4 cases)"
                                : "loss with the nonrandomized batch (the four cases once)"},
      {"loss_mean", "mean of the loss over the scans"},
      {"loss_std", "sample standard deviation of the loss over the scans (0 for one scan)"},
      {"loss_nonrandomized", "loss with the nonrandomized batch, for comparison with loss_mean"}};
  for (const std::string& name : names) {
    g.attach_scale(name, "y", 0, y_name);
    g.attach_scale(name, "x", 1, x_name);
    g.set_attribute_on(name, "units", std::string("loss (") +
                                          (spec_.loss.reduction() == Reduction::mean ? "mean" : "sum") +
                                          " of squared output errors over the batch)");
    for (const auto& [n, text] : meaning)
      if (n == name) g.set_attribute_on(name, "meaning", text);
  }
  auto write_statistics = [&](const PlaneStatistics& s, const std::string& suffix) {
    g.write("histogram" + suffix, std::span<const std::int64_t>(s.histogram), {s.histogram.size()});
    g.set_attribute_on("histogram" + suffix, "above_last_edge", s.above);
    g.set_attribute_on("histogram" + suffix, "meaning",
                       std::string("grid points per loss bin of ") + (suffix.empty() ? "loss" : "loss_mean") +
                           "; bin k is [edges[k], edges[k+1]), the last bin includes its right edge");
    g.write("plateau_fraction" + suffix, s.plateau_fractions());
    g.set_attribute_on("plateau_fraction" + suffix, "meaning",
                       std::string("share of grid points with |L - level| <= plateau_tolerance, per plateau_levels"));
    g.set_attribute_on("plateau_fraction" + suffix, "plateau_tolerance", s.tolerance);
    g.set_attribute("loss" + suffix + "_min", s.minimum);
    g.set_attribute("loss" + suffix + "_max", s.maximum);
    g.set_attribute("loss" + suffix + "_average", s.count ? s.sum / s.count : 0.0);
  };
  g.write("histogram_edges", loss.edges());
  g.write("plateau_levels", std::vector<double>(std::begin(kPlateauLevels), std::end(kPlateauLevels)));
  write_statistics(loss, "");
  if (mean) write_statistics(*mean, "_mean");
  if (mean_vs_nonrandomized) {
    g.set_attribute("mean_vs_nonrandomized_max_abs", mean_vs_nonrandomized->max_abs);
    g.set_attribute("mean_vs_nonrandomized_mean_abs", mean_vs_nonrandomized->mean_abs());
  }
  plane_group_ = h5::Group();
}

void SliceFileWriter::write_bench(const std::map<std::string, h5::AttributeValue>& attributes) {
  const h5::Group bench = file_.root().create_group("bench");
  for (const auto& [name, value] : attributes) bench.set_attribute(name, value);
}

void SliceFileWriter::commit() {
  streams_.reset();
  plane_group_ = h5::Group();
  file_.commit();
}

}  // namespace xorscape::slice
