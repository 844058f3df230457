// Lock-aware loads end to end: LoadOptions::groupBy and retryLockFailures with the real
// CurlTransport against the emulator. What reached the org is read back by a query.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;

struct StoredContact {
  std::string id;
  std::string accountId;
};

class LockAwareLoadTest : public EmulatorFilesTest {
 protected:
  std::vector<std::string> createAccounts(std::size_t count) {
    std::vector<nlohmann::json> records;
    for (std::size_t i = 0; i < count; ++i)
      records.push_back({{"Name", "Acct" + std::to_string(i)}});
    LoadOptions options = fastLoadOptions();
    const LoadResult result =
        client->load(Operation::Insert, "Account", RecordSource::records(records), options);
    EXPECT_TRUE(result.allSucceeded());
    std::vector<std::string> ids;
    for (const auto& row : result.rows) ids.push_back(row.id);
    return ids;
  }

  // Contact i: LastName `C<i>` (input row i + 1) under accountFor(i) (may be empty).
  std::string writeContacts(const std::string& name, std::size_t rows,
                            const std::function<std::string(std::size_t)>& accountFor) {
    const std::string file = path(name);
    std::ofstream out(file, std::ios::binary);
    out << "FirstName,LastName,AccountId\n";
    for (std::size_t i = 0; i < rows; ++i) {
      std::string line;
      appendCsvRow(line, {"First " + std::to_string(i), "C" + std::to_string(i), accountFor(i)});
      out << line;
    }
    return file;
  }

  std::map<std::string, StoredContact> storedContacts() {
    QueryStream rows = client->query("SELECT Id, LastName, AccountId FROM Contact");
    std::map<std::string, StoredContact> byLastName;
    std::vector<std::string> row;
    while (rows.nextRow(row)) {
      EXPECT_EQ(byLastName.count(row.at(1)), 0u) << "stored twice: " << row.at(1);
      byLastName[row.at(1)] = StoredContact{row.at(0), row.at(2)};
    }
    return byLastName;
  }

  // The result file's rows (without the header), each as its fields.
  static std::vector<std::vector<std::string>> readResultFile(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    CsvReader reader(in);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> fields;
    if (!reader.next(fields)) return rows;
    while (reader.next(fields)) rows.push_back(fields);
    return rows;
  }

  void setLockFailureShare(double share) {
    emulator::Faults faults = server->faults();
    faults.lockFailureShare = share;
    server->setFaults(faults);
  }
};

TEST_F(LockAwareLoadTest, GroupByKeepsEveryRowOnceWithItsInputRowNumber) {
  constexpr std::size_t kRows = 3'000;
  const std::vector<std::string> accounts = createAccounts(20);
  // Skewed: account 0 owns 60 % of the contacts, the others share the rest.
  const auto accountOf = [&](std::size_t i) {
    return i % 10 < 6 ? accounts[0] : accounts[1 + (i * 7) % 19];
  };
  const std::string file = writeContacts("grouped.csv", kRows, accountOf);
  LoadOptions options = fastLoadOptions();
  options.groupBy = "accountid";  // field names are not case-sensitive
  options.batchSize = 250;
  options.successFile = path("success.csv");
  options.errorFile = path("errors.csv");
  std::vector<std::uint64_t> seen;
  options.onResult = [&](const RowResult& row) { seen.push_back(row.row); };
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
  ASSERT_TRUE(result.allSucceeded());
  EXPECT_EQ(result.succeeded, kRows);
  ASSERT_EQ(result.rows.size(), kRows);

  // Every input row exactly once, no longer in input order.
  std::set<std::uint64_t> rows(seen.begin(), seen.end());
  EXPECT_EQ(rows.size(), kRows);
  EXPECT_EQ(*rows.begin(), 1u);
  EXPECT_EQ(*rows.rbegin(), kRows);
  EXPECT_FALSE(std::is_sorted(seen.begin(), seen.end()));

  // Each result names the record its input row created.
  const auto stored = storedContacts();
  ASSERT_EQ(stored.size(), kRows);
  for (const auto& row : result.rows) {
    const std::size_t i = row.row - 1;
    const auto it = stored.find("C" + std::to_string(i));
    ASSERT_NE(it, stored.end()) << row.row;
    EXPECT_EQ(it->second.id, row.id) << row.row;
    EXPECT_EQ(it->second.accountId, accountOf(i)) << row.row;
  }

  // Batches in the order results came: each account's rows are adjacent, and an account
  // is in as few batches as its row count needs.
  std::map<std::string, std::set<std::size_t>> batchesOf;
  std::string previous;
  std::set<std::string> finishedGroups;
  std::size_t at = 0;
  for (std::size_t b = 0; b < result.batches.size(); ++b) {
    const auto count = static_cast<std::size_t>(result.batches[b].numberRecordsProcessed);
    for (std::size_t k = 0; k < count; ++k, ++at) {
      const std::string account = accountOf(result.rows.at(at).row - 1);
      if (account != previous) {
        EXPECT_EQ(finishedGroups.count(account), 0u) << "account " << account << " split up";
        finishedGroups.insert(previous);
        previous = account;
      }
      batchesOf[account].insert(b);
    }
  }
  EXPECT_EQ(at, kRows);
  EXPECT_EQ(batchesOf[accounts[0]].size(), (1'800u + 249u) / 250u);
  for (std::size_t a = 1; a < accounts.size(); ++a) {
    EXPECT_EQ(batchesOf[accounts[a]].size(), 1u) << "account " << a;
  }

  // The success file: every row once, in the order of the results, with its id.
  const auto successes = readResultFile(options.successFile);
  ASSERT_EQ(successes.size(), kRows);
  for (std::size_t k = 0; k < kRows; ++k) {
    EXPECT_EQ(successes[k][1], "C" + std::to_string(result.rows[k].row - 1));
    EXPECT_EQ(successes[k][3], result.rows[k].id);
  }
  EXPECT_TRUE(readResultFile(options.errorFile).empty());
}

TEST_F(LockAwareLoadTest, GroupByRecordsOfAJsonJob) {
  const std::vector<std::string> accounts = createAccounts(5);
  std::vector<nlohmann::json> records;
  for (std::size_t i = 0; i < 700; ++i) {
    nlohmann::json record = {{"LastName", "C" + std::to_string(i)}};
    if (i % 7 != 0) record["AccountId"] = accounts[i % 5];  // some without a parent
    records.push_back(record);
  }
  LoadOptions options = fastLoadOptions();
  options.contentType = ContentType::JSON;
  options.groupBy = "AccountId";
  options.batchSize = 100;
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::records(records), options);
  ASSERT_TRUE(result.allSucceeded());
  std::set<std::uint64_t> rows;
  const auto stored = storedContacts();
  ASSERT_EQ(stored.size(), 700u);
  for (const auto& row : result.rows) {
    rows.insert(row.row);
    EXPECT_EQ(stored.at("C" + std::to_string(row.row - 1)).id, row.id);
  }
  EXPECT_EQ(rows.size(), 700u);
}

TEST_F(LockAwareLoadTest, GroupByAMissingColumnIsRefusedBeforeAnyRequest) {
  const std::string file = writeContacts("missing.csv", 10, [](std::size_t) { return ""; });
  LoadOptions options = fastLoadOptions();
  options.groupBy = "ParentAccount";
  server->resetStats();
  try {
    client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'ParentAccount'"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(server->stats()["endpoints"].contains("POST /job"));

  options.groupBy = "AccountId";
  options.api = BulkApi::V2;
  try {
    client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("groupBy applies to Bulk API v1 loads"), std::string::npos)
        << e.what();
  }
}

TEST_F(LockAwareLoadTest, LockedRowsAreRetriedUntilEveryRowIsLoadedOnce) {
  constexpr std::size_t kRows = 2'000;
  const std::string file = writeContacts("locked.csv", kRows, [](std::size_t) { return ""; });
  setLockFailureShare(0.3);
  LoadOptions options = fastLoadOptions();
  options.batchSize = 200;
  options.retryLockFailures = true;
  options.lockRetryRounds = 8;  // the share fails 30 % of every batch, retries included
  options.successFile = path("success.csv");
  options.errorFile = path("errors.csv");
  std::map<std::uint64_t, int> reported;
  options.onResult = [&](const RowResult& row) {
    ++reported[row.row];
    EXPECT_TRUE(row.success) << row.row;
  };
  LoadProgress last;
  options.onProgress = [&](const LoadProgress& progress) { last = progress; };
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
  EXPECT_EQ(result.succeeded, kRows);
  EXPECT_EQ(result.failed, 0u);
  EXPECT_TRUE(result.allSucceeded());
  ASSERT_EQ(reported.size(), kRows);
  for (const auto& [row, times] : reported) EXPECT_EQ(times, 1) << row;
  // 30 % of the first pass, then 30 % of each retry batch.
  EXPECT_GE(last.lockFailures, 600u);
  EXPECT_EQ(last.recordsRetried, last.lockFailures);
  EXPECT_EQ(last.recordsSent, kRows);
  EXPECT_GT(result.batches.size(), 10u);  // the retry batches are in the same job

  const auto stored = storedContacts();
  ASSERT_EQ(stored.size(), kRows);
  std::set<std::string> ids;
  for (const auto& row : result.rows) {
    ids.insert(row.id);
    EXPECT_EQ(stored.at("C" + std::to_string(row.row - 1)).id, row.id);
  }
  EXPECT_EQ(ids.size(), kRows);
  // Rows that failed first come in input order all the same.
  for (std::size_t i = 0; i < result.rows.size(); ++i) EXPECT_EQ(result.rows[i].row, i + 1);
  EXPECT_EQ(readResultFile(options.successFile).size(), kRows);
  EXPECT_TRUE(readResultFile(options.errorFile).empty());
}

TEST_F(LockAwareLoadTest, RowsStillLockedAfterTheLastRoundAreReportedOnceAsFailed) {
  constexpr std::size_t kRows = 1'000;
  const std::string file = writeContacts("rounds.csv", kRows, [](std::size_t) { return ""; });
  setLockFailureShare(0.3);
  LoadOptions options = fastLoadOptions();
  options.batchSize = 100;
  options.errorFile = path("errors.csv");

  // Without retries the fault fails 30 rows of every 100.
  LoadResult plain =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
  EXPECT_EQ(plain.failed, 300u);

  options.retryLockFailures = true;
  options.lockRetryRounds = 1;
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
  // One round: the 300 rows go out again in 3 batches and 30 % fail once more.
  EXPECT_EQ(result.failed, 90u);
  EXPECT_EQ(result.succeeded, kRows - 90u);
  std::set<std::uint64_t> rows;
  for (const auto& row : result.rows) {
    EXPECT_TRUE(rows.insert(row.row).second) << row.row;
    if (!row.success) {
      ASSERT_FALSE(row.errors.empty());
      EXPECT_EQ(row.errors[0].statusCode, "UNABLE_TO_LOCK_ROW");
    }
  }
  EXPECT_EQ(rows.size(), kRows);
  EXPECT_EQ(readResultFile(options.errorFile).size(), 90u);
  // Both loads: what succeeded is stored once.
  EXPECT_EQ(recordCount("Contact"), plain.succeeded + result.succeeded);
}

TEST_F(LockAwareLoadTest, GroupedLoadWithRetriesOfAJsonJob) {
  const std::vector<std::string> accounts = createAccounts(3);
  std::vector<nlohmann::json> records;
  for (std::size_t i = 0; i < 900; ++i) {
    records.push_back({{"LastName", "C" + std::to_string(i)}, {"AccountId", accounts[i % 3]}});
  }
  setLockFailureShare(0.2);
  LoadOptions options = fastLoadOptions();
  options.contentType = ContentType::JSON;
  options.groupBy = "AccountId";
  options.batchSize = 150;
  options.retryLockFailures = true;
  options.lockRetryRounds = 6;
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::records(records), options);
  EXPECT_TRUE(result.allSucceeded());
  const auto stored = storedContacts();
  ASSERT_EQ(stored.size(), 900u);
  std::set<std::uint64_t> rows;
  for (const auto& row : result.rows) {
    rows.insert(row.row);
    const auto& contact = stored.at("C" + std::to_string(row.row - 1));
    EXPECT_EQ(contact.id, row.id);
    EXPECT_EQ(contact.accountId, accounts[(row.row - 1) % 3]);
  }
  EXPECT_EQ(rows.size(), 900u);
}

}  // namespace
}  // namespace sfdc::bulk::testing
