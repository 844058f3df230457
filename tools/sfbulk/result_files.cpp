#include "result_files.hpp"

#include <ctime>
#include <filesystem>

#include "cli_common.hpp"

namespace sfbulk {

void defaultResultFiles(const std::string& object, const std::string& operation,
                        const std::string& dir, std::string& successFile, std::string& errorFile) {
  if (!successFile.empty() && !errorFile.empty()) return;
  namespace fs = std::filesystem;
  const fs::path folder = dir;
  std::error_code error;
  fs::create_directories(folder, error);
  if (error || !fs::is_directory(folder)) {
    throw LocalIoError("cannot create the results folder " + folder.string() + ": " +
                       (error ? error.message() : "a file has that name") +
                       " (choose another with --results-dir DIR, or --no-results)");
  }
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  const std::string base = object + "-" + operation + "-" + stamp;
  for (int n = 1;; ++n) {
    const std::string stem = (folder / base).string() + (n == 1 ? "" : "-" + std::to_string(n));
    const std::string success = successFile.empty() ? stem + "-success.csv" : "";
    const std::string errors = errorFile.empty() ? stem + "-error.csv" : "";
    if ((!success.empty() && fs::exists(success)) || (!errors.empty() && fs::exists(errors))) {
      continue;
    }
    if (!success.empty()) successFile = success;
    if (!errors.empty()) errorFile = errors;
    return;
  }
}

}  // namespace sfbulk
