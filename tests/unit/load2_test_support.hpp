#pragma once

// Shared helpers of the Bulk API 2.0 load tests.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sfdc/bulk/load.hpp>
#include <sstream>
#include <string>

#include "load2/loader2.hpp"
#include "support/fake_bulk2_ingest.hpp"

namespace sfdc::bulk::detail::load2 {

using namespace std::chrono_literals;

inline LoadOptions v2Options() {
  LoadOptions options;
  options.api = BulkApi::V2;
  options.pollMinInterval = 1ms;
  options.pollMaxInterval = 4ms;
  options.timeout = 60s;
  return options;
}

inline Load2Tuning fastTuning() {
  Load2Tuning tuning;
  tuning.retryDelay = 1ms;
  tuning.wakeInterval = 2ms;
  return tuning;
}

inline std::string numberedCsv(int rows) {
  std::string text = "Name,Amount\n";
  for (int i = 1; i <= rows; ++i) text += "N" + std::to_string(i) + "," + std::to_string(i) + "\n";
  return text;
}

inline std::string readWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A scratch directory removed at the end of the test.
struct ScratchDir {
  ScratchDir() {
    path = (std::filesystem::temp_directory_path() /
            ("load2-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return path + "/" + name; }
  std::string path;
};

// Cells of a fake row as the fake's processedRows() keys them.
inline std::string rowKeyText(const std::vector<std::string>& cells) {
  std::string key;
  for (const auto& cell : cells) key += cell + "|";
  return key;
}

}  // namespace sfdc::bulk::detail::load2
