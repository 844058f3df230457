#include "spool.hpp"

#include <chrono>
#include <filesystem>
#include <random>
#include <sfdc/bulk/error.hpp>
#include <system_error>

namespace sfdc::bulk::detail::load {

namespace fs = std::filesystem;

SpoolDir::SpoolDir(const std::string& parent) {
  std::error_code ec;
  const fs::path base = parent.empty() ? fs::temp_directory_path(ec) : fs::path(parent);
  if (ec) throw Error("load: no temporary directory for spooling batches: " + ec.message());
  std::random_device device;
  std::mt19937_64 random(
      device() ^
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  // create_directory reports whether it created the directory, so a name taken by a
  // concurrent load is detected instead of shared.
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path candidate = base / ("sfdc-bulk-load-" + std::to_string(random()));
    if (fs::create_directory(candidate, ec)) {
      path_ = candidate.string();
      return;
    }
    if (ec) break;
  }
  throw Error("load: cannot create a spool directory under '" + base.string() +
              "': " + (ec ? ec.message() : std::string("name collisions")));
}

SpoolDir::~SpoolDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string SpoolDir::file(const std::string& name) const {
  return (fs::path(path_) / name).string();
}

void SpoolDir::remove(const std::string& path) noexcept {
  if (path.empty()) return;
  std::error_code ec;
  fs::remove(path, ec);
}

}  // namespace sfdc::bulk::detail::load
