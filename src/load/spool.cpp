#include "spool.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sfdc/bulk/error.hpp>
#include <system_error>
#include <vector>

namespace sfdc::bulk::detail::load {

namespace fs = std::filesystem;

namespace {

constexpr const char kPrefix[] = "sfdc-bulk-load-";

std::string errnoText(int error) { return std::strerror(error); }

fs::path spoolParent(const std::string& parent) {
  if (!parent.empty()) return fs::path(parent);
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) {
    throw FileError("load: no temporary directory for spooling batches: " + ec.message(), "");
  }
  return base;
}

void checkParent(const fs::path& parent) {
  struct stat info {};
  if (::stat(parent.c_str(), &info) != 0) {
    const int error = errno;
    throw FileError(
        "load: the spool directory '" + parent.string() + "' cannot be used: " + errnoText(error),
        parent.string());
  }
  if (!S_ISDIR(info.st_mode)) {
    throw FileError("load: the spool directory '" + parent.string() + "' is not a directory",
                    parent.string());
  }
  if (::access(parent.c_str(), W_OK | X_OK) != 0) {
    const int error = errno;
    throw FileError(
        "load: the spool directory '" + parent.string() + "' is not writable: " + errnoText(error),
        parent.string());
  }
}

// The pid in `sfdc-bulk-load-<pid>-<anything>`, or 0 when `name` is not such a name.
pid_t ownerPid(const std::string& name) {
  const std::size_t prefix = sizeof kPrefix - 1;
  if (name.compare(0, prefix, kPrefix) != 0) return 0;
  const std::size_t dash = name.find('-', prefix);
  if (dash == std::string::npos || dash == prefix || dash - prefix > 9) return 0;
  long long pid = 0;
  for (std::size_t i = prefix; i < dash; ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    pid = pid * 10 + (name[i] - '0');
  }
  return pid > 0 ? static_cast<pid_t>(pid) : 0;
}

}  // namespace

SpoolDir::SpoolDir(const std::string& parent) {
  const fs::path base = spoolParent(parent);
  checkParent(base);
  removeStale(base.string());
  // mkdtemp creates the directory 0700 under any umask, with a name no one else holds.
  std::string pattern = (base / (kPrefix + std::to_string(::getpid()) + "-XXXXXX")).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    const int error = errno;
    throw FileError(
        "load: cannot create a spool directory under '" + base.string() + "': " + errnoText(error),
        base.string());
  }
  path_ = buffer.data();
  lockFd_ = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lockFd_ >= 0) ::flock(lockFd_, LOCK_EX | LOCK_NB);
}

SpoolDir::~SpoolDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
  if (lockFd_ >= 0) ::close(lockFd_);
}

std::string SpoolDir::file(const std::string& name) const {
  return (fs::path(path_) / name).string();
}

std::string SpoolDir::create(const std::string& name) const {
  const std::string path = file(name);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    throw FileError("load: cannot create the spool file '" + path + "': " + errnoText(error), path);
  }
  // The umask may have taken bits away from 0600; give them back so the file can be
  // reopened, and no more.
  const bool ok = ::fchmod(fd, 0600) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok) {
    throw FileError(
        "load: cannot set the mode of the spool file '" + path + "': " + errnoText(error), path);
  }
  return path;
}

void SpoolDir::remove(const std::string& path) noexcept {
  if (path.empty()) return;
  std::error_code ec;
  fs::remove(path, ec);
}

std::size_t SpoolDir::removeStale(const std::string& parent) noexcept {
  std::size_t removed = 0;
  std::error_code ec;
  fs::directory_iterator it(parent, ec);
  if (ec) return 0;
  const uid_t me = ::geteuid();
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::path entry = it->path();
    const pid_t pid = ownerPid(entry.filename().string());
    if (pid == 0 || pid == ::getpid()) continue;
    struct stat info {};
    // lstat: a symlink named like a spool directory is not followed into its target.
    if (::lstat(entry.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != me) {
      continue;
    }
    // Only ESRCH proves the process is gone; EPERM means it lives under another user.
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;
    const int fd = ::open(entry.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) continue;
    const bool unheld = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);
    if (!unheld) continue;
    std::error_code removeError;
    fs::remove_all(entry, removeError);
    if (!removeError) ++removed;
  }
  return removed;
}

}  // namespace sfdc::bulk::detail::load
