#pragma once

// A private temporary directory for one load. Batch bodies, the input rows kept for the
// result files, and results that arrive out of row order live here instead of in
// memory, so a load's memory does not grow with its size.

#include <string>

namespace sfdc::bulk::detail::load {

class SpoolDir {
 public:
  /// Creates a fresh directory under `parent` (the system temporary directory if empty).
  explicit SpoolDir(const std::string& parent = {});
  ~SpoolDir();  ///< removes the directory and everything in it
  SpoolDir(const SpoolDir&) = delete;
  SpoolDir& operator=(const SpoolDir&) = delete;

  const std::string& path() const noexcept { return path_; }
  /// Path of a file in the directory.
  std::string file(const std::string& name) const;
  /// Delete a file if it exists; never throws.
  static void remove(const std::string& path) noexcept;

 private:
  std::string path_;
};

}  // namespace sfdc::bulk::detail::load
