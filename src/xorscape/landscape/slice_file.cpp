#include "xorscape/landscape/slice_file.hpp"

#include <algorithm>
#include <stdexcept>

#include "xorscape/io/network_file.hpp"

namespace xorscape::slice {

void write_landscape_header(const h5::Group& root, const XorLoss& loss, const Params& center,
                            const CenterOrigin& origin) {
  io::write_network(root, loss);
  root.write("center", center, {{"parameter_names"}, "the parameter vector every plane passes through"});
  root.set_attribute_on("center", "names", loss.layout().names());
  root.set_attribute("center_source", origin.source);
  if (!origin.note.empty()) root.set_attribute("center_note", origin.note);
}

std::string plane_name(const ParameterLayout& layout, std::pair<int, int> plane) {
  return layout.name(plane.first) + "," + layout.name(plane.second);
}

h5::Group plane_group(const h5::Group& root, const ParameterLayout& layout, const Params& center,
                      std::pair<int, int> plane) {
  const std::string path = "planes/" + plane_name(layout, plane);
  if (root.exists(path)) return root.open_group(path);
  const auto [a, b] = plane;
  h5::Group g = root.create_group(path);
  g.set_attribute("x_parameter", layout.name(a));
  g.set_attribute("y_parameter", layout.name(b));
  g.set_attribute("x_index", static_cast<std::int64_t>(a));
  g.set_attribute("y_index", static_cast<std::int64_t>(b));
  g.set_attribute("x_center", center[a]);
  g.set_attribute("y_center", center[b]);
  return g;
}

int block_rows(const SliceSpec& spec) { return std::clamp((256 * 1024) / (8 * spec.x.count), 1, spec.y.count); }

struct SliceFileWriter::Streams {
  std::vector<std::pair<std::string, h5::RowWriter>> items;
};

SliceFileWriter::SliceFileWriter(const std::string& path, bool overwrite, const SliceSpec& spec,
                                 const h5::Provenance& provenance, const CenterOrigin& origin, Storage storage)
    : spec_(spec), storage_(storage), block_rows_(slice::block_rows(spec)), file_(path, overwrite) {
  const h5::Group& root = file_.root();
  file_.write_provenance(provenance);
  write_landscape_header(root, spec.loss, spec.center, origin);
  root.set_attribute("batch", std::string(spec.randomized ? "randomized" : "nonrandomized"));
  root.set_attribute("scans", static_cast<std::int64_t>(spec.randomized ? spec.scans : 1));
  root.set_attribute("simd_level", kernels::to_string(spec.level));
  root.set_attribute("plateau_tolerance", spec.plateau_tolerance);
  root.set_attribute("deflate_level", static_cast<std::int64_t>(storage.deflate_level));
  std::vector<std::string> order;
  for (const auto& pair : spec.planes) order.push_back(plane_name(spec.loss.layout(), pair));
  root.set_attribute("plane_order", order);
  root.create_group("planes");
}

SliceFileWriter::~SliceFileWriter() = default;

void SliceFileWriter::begin_plane(int plane, const PlaneComputation& computation) {
  const ParameterLayout& layout = spec_.loss.layout();
  const auto [a, b] = spec_.planes.at(plane);
  streams_.reset();
  plane_group_ = plane_group(file_.root(), layout, spec_.center, {a, b});
  const h5::Group& g = plane_group_;
  g.set_attribute("cases_per_point", static_cast<std::int64_t>(computation.cases_per_point()));
  for (const auto& [axis, parameter, values] :
       {std::tuple{"x", a, &computation.x()}, std::tuple{"y", b, &computation.y()}}) {
    g.write_scale(axis, *values, {"offsets of " + layout.name(parameter) + " from the center", "offset from center"});
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

namespace {

// The histogram, plateau fractions and loss range of one grid (suffix "" for loss, "_mean").
void write_statistics(const h5::Group& g, const PlaneStatistics& s, const std::string& suffix) {
  const std::string of = suffix.empty() ? "loss" : "loss_mean";
  g.write("histogram" + suffix, std::span<const std::int64_t>(s.histogram),
          {{"histogram_bin"}, "grid points per loss bin of " + of +
                                  "; bin k is [edges[k], edges[k+1]), the last bin includes its right edge"});
  g.set_attribute_on("histogram" + suffix, "above_last_edge", s.above);
  g.write("plateau_fraction" + suffix, s.plateau_fractions(),
          {{"plateau_levels"}, "share of grid points with |L - level| <= plateau_tolerance, per plateau_levels"});
  g.set_attribute_on("plateau_fraction" + suffix, "plateau_tolerance", s.tolerance);
  g.set_attribute("loss" + suffix + "_min", s.minimum);
  g.set_attribute("loss" + suffix + "_max", s.maximum);
  g.set_attribute("loss" + suffix + "_average", s.count ? s.sum / s.count : 0.0);
}

}  // namespace

void SliceFileWriter::end_plane(const PlaneStatistics& loss, const PlaneStatistics* mean,
                                const Difference* mean_vs_nonrandomized) {
  std::vector<std::string> names;
  for (const auto& item : streams_->items) names.push_back(item.first);
  streams_.reset();  // closes the datasets before scales are attached
  const h5::Group& g = plane_group_;
  const std::map<std::string, std::string> meaning{
      {"loss", spec_.randomized ? "loss of the first randomized scan (every grid point its own batch of 4 cases)"
                                : "loss with the nonrandomized batch (the four cases once)"},
      {"loss_mean", "mean of the loss over the scans"},
      {"loss_std", "sample standard deviation of the loss over the scans (0 for one scan)"},
      {"loss_nonrandomized", "loss with the nonrandomized batch, for comparison with loss_mean"}};
  const std::string units = std::string("loss (") + (spec_.loss.reduction() == Reduction::mean ? "mean" : "sum") +
                            " of squared output errors over the batch)";
  for (const std::string& name : names) {
    g.attach_scales(name, {"y", "x"});
    g.describe(name, meaning.at(name), units);
  }
  const std::vector<double> edges = loss.edges();
  std::vector<double> centres(edges.size() - 1);
  for (std::size_t k = 0; k < centres.size(); ++k) centres[k] = 0.5 * (edges[k] + edges[k + 1]);
  g.write_scale("histogram_edges", edges, {"edges of the loss bins of the histograms", "loss"});
  g.write_scale("histogram_bin", centres, {"centre of each loss bin [edges[k], edges[k+1])", "loss"});
  g.write_scale("plateau_levels", std::vector<double>(std::begin(kPlateauLevels), std::end(kPlateauLevels)),
                {"plateau levels L = k/4 (k of the four cases wrong)", "loss"});
  write_statistics(g, loss, "");
  if (mean) write_statistics(g, *mean, "_mean");
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
