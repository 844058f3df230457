#pragma once

// Small helpers shared by the examples: printing what each call returned, checking that
// the outcome is the expected one (so that an example run in CI fails loudly), and the
// setup/teardown that keeps every example self-contained and leaves a real org as it
// found it. The Bulk API calls themselves stay in the examples, where they can be read.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <sfdc/bulk.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace examples {

/// Counts failed expectations; `main` returns `exitCode()`.
class Checks {
 public:
  /// Print `ok: what` or `UNEXPECTED: what`; returns `condition`.
  bool expect(bool condition, const std::string& what);
  /// Expect `results` to hold exactly `count` successful rows; prints each failed row.
  bool expectAllSucceeded(const std::vector<sfdc::bulk::RecordResult>& results, std::size_t count,
                          const std::string& what);
  /**
   * Expect `actual[i]` to carry the same `fields` as `expected[i]` for every i. Null, a
   * missing field and "" count as equal (an empty CSV cell and a JSON null both read
   * back as "no value"), and CRLF as LF (orgs may store text area line ends as CRLF).
   */
  bool expectSameRecords(const std::vector<nlohmann::json>& expected,
                         const std::vector<nlohmann::json>& actual,
                         const std::vector<std::string>& fields, const std::string& what);
  /// 0 when every expectation held, else 1 (after saying how many did not).
  int exitCode() const;

 private:
  int failures_ = 0;
};

/// A tag unique to this run (letters, digits and dashes: safe in SOQL literals and as an
/// external id), so that runs against a real org never see each other's records.
std::string runTag();

void print(const sfdc::bulk::JobInfo& job);
void print(const sfdc::bulk::BatchInfo& batch);
/// One line per result row: created/updated id, or the first error.
void print(const std::vector<sfdc::bulk::RecordResult>& results);

/// Setup: insert `records` (a JSON array) into `object` and return their ids in input
/// order. Throws std::runtime_error when any record fails, since the example cannot go on.
std::vector<std::string> insertRecords(sfdc::bulk::Client& client, std::string_view object,
                                       const nlohmann::json& records);

/// Teardown: delete the given records (ids that no longer exist are ignored), so that a
/// run against a real org does not leave test data behind.
void deleteRecords(sfdc::bulk::Client& client, std::string_view object,
                   const std::vector<std::string>& ids);

/**
 * Read records back by id through a CSV query job (`SELECT Id, fields… WHERE Id IN (…)`),
 * one JSON object per id in the order of `ids`; a null for an id that was not found.
 */
std::vector<nlohmann::json> fetchRecords(sfdc::bulk::Client& client, std::string_view object,
                                         const std::vector<std::string>& fields,
                                         const std::vector<std::string>& ids);

/**
 * The data file an example reads: `argv[1]` when given, else `name` in the source tree's
 * examples/data directory, whose absolute path is compiled in (SFDC_BULK_EXAMPLES_DATA_DIR),
 * so the examples run from any working directory. Throws when the file does not exist.
 */
std::string dataFile(int argc, char** argv, const std::string& name);

}  // namespace examples
