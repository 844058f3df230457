#pragma once

// The emulator, a scratch directory, and the checks every fault test makes: which rows
// the org holds (by their unique Email) and what the result files say.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "../support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {

using namespace std::chrono_literals;

class FaultTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    dir = std::filesystem::temp_directory_path() /
          ("sfdc-once-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
  }
  void TearDown() override {
    EmulatorTest::TearDown();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  std::string path(const std::string& name) const { return (dir / name).string(); }

  /// fast(), with `batchSize`, `concurrency` and success/error files in the scratch dir.
  LoadOptions withResultFiles(std::size_t batchSize, int concurrency = 4) const {
    LoadOptions options = fast();
    options.batchSize = batchSize;
    options.concurrency = concurrency;
    options.successFile = path("success.csv");
    options.errorFile = path("errors.csv");
    return options;
  }

  /// Data rows of a CSV file (the header not counted).
  std::size_t csvRows(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    CsvReader reader(in);
    std::vector<std::string> fields;
    std::size_t rows = 0;
    if (!reader.next(fields)) return 0;
    while (reader.next(fields)) ++rows;
    return rows;
  }

  std::string writeContacts(const std::string& name, std::size_t rows) {
    const std::string file = (dir / name).string();
    std::ofstream out(file, std::ios::binary);
    out << "FirstName,LastName,Email\n";
    for (std::size_t i = 1; i <= rows; ++i) {
      out << "F" << i << ",L" << i << ",row" << i << "@example.com\n";
    }
    return file;
  }

  LoadOptions fast() const {
    LoadOptions options;
    options.pollMinInterval = 5ms;
    options.pollMaxInterval = 50ms;
    options.keepResults = true;
    return options;
  }

  // How many records the org holds for each Email (a duplicate shows up as a count of 2).
  std::map<std::string, int> emailCounts() {
    std::map<std::string, int> counts;
    QueryStream rows = client->query("SELECT Id, Email FROM Contact");
    std::vector<std::string> row;
    while (rows.nextRow(row)) ++counts[row.at(1)];
    return counts;
  }

  void expectEachRowOnce(std::size_t rows) {
    const auto counts = emailCounts();
    EXPECT_EQ(counts.size(), rows);
    std::size_t repeated = 0;
    for (const auto& [email, n] : counts) repeated += n > 1 ? 1 : 0;
    EXPECT_EQ(repeated, 0u) << "rows stored more than once";
  }

  std::filesystem::path dir;
};

}  // namespace sfdc::bulk::testing
