#include "duplicates_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli_common.hpp"

namespace sfbulk {

std::vector<std::string> undeletedDuplicateIds(const sfdc::bulk::LoadResult& result) {
  std::vector<std::string> ids;
  for (const auto& duplicate : result.duplicates) {
    if (duplicate.deleted) continue;
    ids.insert(ids.end(), duplicate.recordIds.begin(), duplicate.recordIds.end());
  }
  return ids;
}

std::string directoryOf(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string duplicatesDirectory(const std::string& errorFile, const std::string& successFile) {
  if (!errorFile.empty()) return directoryOf(errorFile);
  if (!successFile.empty()) return directoryOf(successFile);
  return ".";
}

std::string writeDuplicatesFile(const std::string& directory, const std::string& jobId,
                                const std::vector<std::string>& ids) {
  const std::string stem = (directory == "/" ? "" : directory) + "/" + jobId + "-duplicates";
  std::string path;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    path = stem + (attempt == 0 ? "" : "-" + std::to_string(attempt)) + ".csv";
    // O_EXCL: the name is taken only if nobody has it, so no existing file is replaced.
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && (errno != EEXIST || attempt >= 999)) {
      throw LocalIoError("cannot create " + path + ": " + std::strerror(errno));
    }
  }
  std::string text = "Id\n";
  for (const auto& id : ids) text += id + "\n";
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      throw LocalIoError("cannot write " + path + ": " + std::strerror(error));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw LocalIoError("cannot write " + path + ": " + std::strerror(errno));
  return path;
}

}  // namespace sfbulk
