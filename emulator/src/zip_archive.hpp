#pragma once

// Reading the zip archives of binary attachment batches (ZIP_CSV, ZIP_XML, ZIP_JSON jobs):
// the central directory, stored and deflated entries, each checked against its CRC-32.
// Sizes are bounded before anything is inflated, so a small archive cannot expand into an
// unbounded amount of memory.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::emulator::server {

/// The archive cannot be read: malformed, encrypted, an unsupported method, or over a
/// limit. The message says which.
class ZipError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ZipEntry {
  std::string name;  ///< the path inside the archive, '/'-separated
  bool directory = false;
  std::string data;  ///< the inflated bytes (empty for a directory)
};

struct ZipLimits {
  std::size_t maxFiles = 1000;                   ///< entries that are not directories
  std::size_t maxTotalBytes = 20 * 1024 * 1024;  ///< the sum of the inflated files
};

/// The archive's entries in central-directory order. Throws ZipError.
std::vector<ZipEntry> readZip(std::string_view archive, const ZipLimits& limits);

}  // namespace sfdc::emulator::server
