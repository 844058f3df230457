#include "distinct_files.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

#include "cli_common.hpp"

namespace sfbulk {

namespace {

namespace fs = std::filesystem;

bool isCharacterDevice(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISCHR(info.st_mode);
}

bool skipped(const std::string& path) {
  return path.empty() || path == "-" || isCharacterDevice(path);
}

fs::path normalised(const std::string& path) {
  std::error_code error;
  fs::path resolved = fs::weakly_canonical(fs::absolute(path, error), error);
  if (error) resolved = fs::absolute(path, error).lexically_normal();
  return resolved;
}

}  // namespace

bool sameFile(const std::string& a, const std::string& b) {
  struct stat first {};
  struct stat second {};
  // Hard links and bind mounts have different paths but one inode.
  if (::stat(a.c_str(), &first) == 0 && ::stat(b.c_str(), &second) == 0) {
    return first.st_dev == second.st_dev && first.st_ino == second.st_ino;
  }
  return normalised(a) == normalised(b);
}

void requireDistinctFiles(const std::vector<NamedFile>& inputs,
                          const std::vector<NamedFile>& outputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const NamedFile& output = outputs[i];
    if (skipped(output.path)) continue;
    for (const NamedFile& input : inputs) {
      if (!skipped(input.path) && sameFile(output.path, input.path)) {
        throw UsageError(output.option + " " + output.path + " is the input file (" + input.option +
                         " " + input.path +
                         "): writing it would destroy the input; choose another file");
      }
    }
    for (std::size_t j = 0; j < i; ++j) {
      const NamedFile& other = outputs[j];
      if (!skipped(other.path) && sameFile(output.path, other.path)) {
        throw UsageError(other.option + " " + other.path + " and " + output.option + " " +
                         output.path + " are the same file: give each output its own file");
      }
    }
  }
}

}  // namespace sfbulk
