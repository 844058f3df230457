#pragma once

// A private temporary directory for one load. Batch bodies, the input rows kept for the
// result files, and results that arrive out of row order live here instead of in
// memory, so a load's memory does not grow with its size.
//
// The files hold record data, so the directory is created 0700 and its files 0600
// whatever the umask. Its name carries the owner's pid (`sfdc-bulk-load-<pid>-<random>`)
// so that the directories a killed process left behind can be told apart from those
// of loads still running, and removed by the next load in the same parent. A live
// directory is also held under an flock, so a load whose pid is not visible (another
// pid namespace sharing the directory) is not mistaken for a dead one.

#include <string>

namespace sfdc::bulk::detail::load {

class SpoolDir {
 public:
  /// Creates a fresh directory under `parent` (the system temporary directory if empty),
  /// first removing the spool directories of dead processes found there. Throws
  /// FileError when `parent` is missing, not a directory or not writable.
  explicit SpoolDir(const std::string& parent = {});
  ~SpoolDir();  ///< removes the directory and everything in it
  SpoolDir(const SpoolDir&) = delete;
  SpoolDir& operator=(const SpoolDir&) = delete;

  const std::string& path() const noexcept { return path_; }
  /// Path of a file in the directory.
  std::string file(const std::string& name) const;
  /// Creates (or empties) the file `name` in the directory with mode 0600 and returns
  /// its path, ready to be opened for writing. Throws FileError.
  std::string create(const std::string& name) const;
  /// Delete a file if it exists; never throws.
  static void remove(const std::string& path) noexcept;

  /// Removes the spool directories in `parent` whose owning process is gone and that
  /// belong to the current user; returns how many were removed. Never throws.
  static std::size_t removeStale(const std::string& parent) noexcept;

 private:
  std::string path_;
  int lockFd_ = -1;  ///< the directory, flocked while the load runs
};

}  // namespace sfdc::bulk::detail::load
