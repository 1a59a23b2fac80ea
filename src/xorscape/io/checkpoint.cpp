#include "xorscape/io/checkpoint.hpp"

namespace xorscape::io {

std::string checkpoint_identity(const h5::Group& root, const std::filesystem::path& path) {
  if (!root.has_attribute("checkpoint_format") || root.attribute_string("checkpoint_format") != kCheckpointFormat ||
      !root.has_attribute("identity") || !root.exists("state"))
    throw CheckpointMismatch("'" + path.string() + "' is not an xorscape checkpoint");
  return root.attribute_string("identity");
}

}  // namespace xorscape::io
