// xorscape-export FILE [DATASET]: prints an HDF5 dataset, an attribute or the list of datasets as
// text, for gnuplot and shell scripts (cli/export_text.hpp describes the formats).
#include <cstdio>
#include <memory>

#include "xorscape/cli/cli.hpp"
#include "xorscape/cli/export_text.hpp"

using namespace xorscape;

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-export", "print an HDF5 dataset or attribute as text (columns, gnuplot matrix, triples)");
  tool.options().add_options()
      ("file", cli::po::value<std::string>()->required(), "HDF5 file")
      ("dataset", cli::po::value<std::string>(), "dataset path inside the file (or, with --attribute, the object)")
      ("format", cli::po::value<std::string>()->default_value("columns"), "2-D datasets: columns | matrix | triples")
      ("stride", cli::po::value<int>()->default_value(1), "print every N-th element along each axis")
      ("attribute", cli::po::value<std::string>(), "print attribute NAME of DATASET (a dataset or group; default /)")
      ("list", cli::po::bool_switch(), "list every dataset with its shape");
  tool.positional().add("file", 1).add("dataset", 1);
  return tool.run(argc, argv, [&] {
    const cli::ExportFormat format = [&] {
      try {
        return cli::parse_export_format(tool.get<std::string>("format"));
      } catch (const std::invalid_argument& e) {
        throw cli::UsageError("--format", e.what());
      }
    }();
    const int stride = static_cast<int>(cli::require_at_least("--stride", tool.get<int>("stride"), 1));
    const std::string path = tool.get<std::string>("file");
    std::unique_ptr<h5::InputFile> file;
    try {
      file = std::make_unique<h5::InputFile>(path);
    } catch (const std::exception& e) {
      throw cli::UsageError("file", e.what());
    }
    const h5::Group& root = file->root();
    const std::string object = tool.has("dataset") ? tool.get<std::string>("dataset") : "";
    if (tool.get<bool>("list")) {
      cli::print_listing(stdout, root);
      return 0;
    }
    if (tool.has("attribute")) {
      const std::string target = object.empty() ? "." : object;
      if (target != "." && target != "/" && !root.exists(target))
        throw cli::UsageError("dataset", "'" + target + "' is not in the file");
      try {
        cli::print_attribute(stdout, root, target == "/" ? "." : target, tool.get<std::string>("attribute"));
      } catch (const std::invalid_argument& e) {
        throw cli::UsageError("--attribute", e.what());
      }
      return 0;
    }
    if (object.empty()) throw cli::UsageError("dataset", "name a dataset (or give --attribute or --list)");
    if (!root.is_dataset(object)) throw cli::UsageError("dataset", "'" + object + "' is not a dataset in the file");
    const auto rank = root.shape(object).size();
    if (rank > 2) throw cli::UsageError("dataset", "only 1-D and 2-D datasets can be exported");
    cli::print_dataset(stdout, root, path, object, format, stride);
    return 0;
  });
}
