#pragma once

// Judges one soak load: what the org holds and what the result files and the summary say,
// row by row against the input, given the exit code sfbulk ended with.

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace sfdc::emulator {
class Org;
}

namespace sfdc::bulk::soak {

/// The input of a load: rows keyed by Email `<prefix><row>@example.com`, row 1-based.
struct SoakInput {
  std::string prefix;
  std::uint64_t rows = 0;
  std::string key(std::uint64_t row) const;
  /// The row a key names, or 0 when it is not one of this input's keys.
  std::uint64_t rowOf(const std::string& key) const;
};

/// Writes the input CSV (LastName, FirstName, Email).
void writeInputCsv(const SoakInput& input, const std::filesystem::path& path);

/// What sfbulk left behind.
struct LoadEvidence {
  int exitCode = -1;
  std::string stdoutText;
  std::string stderrText;
  std::filesystem::path successFile;
  std::filesystem::path errorFile;
  /// Jobs the emulator saw requests for during the load.
  std::set<std::string> serverJobs;
};

struct RunCheck {
  std::uint64_t rowsChecked = 0;
  /// Input rows neither in the org nor in the error file.
  std::uint64_t lost = 0;
  /// Input keys present more than once in the org.
  std::uint64_t duplicated = 0;
  /// Input rows in the error file although the org holds them.
  std::uint64_t misreported = 0;
  /// Input rows named by more than one result row.
  std::uint64_t reportedTwice = 0;
  /// Input rows in no result file (allowed only when the load gave up).
  std::uint64_t unreported = 0;
  /// Everything wrong, one sentence each; empty when the run passed.
  std::vector<std::string> problems;
  bool passed() const { return problems.empty(); }
};

/// The exit codes a soak load may end with besides 0: the documented outcomes of a load
/// that ran into failures (partial failure, API error, timeout, network error,
/// duplicates detected).
bool isDocumentedLoadExit(int exitCode);

RunCheck checkRun(const SoakInput& input, const emulator::Org& org, const LoadEvidence& evidence);

}  // namespace sfdc::bulk::soak
