// sfbulk load --group-by / --retry-locked end to end: the binary against the emulator,
// with the emulator failing a share of every batch's rows with UNABLE_TO_LOCK_ROW.

#include <nlohmann/json.hpp>
#include <set>
#include <sfdc/bulk/load_journal.hpp>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

using nlohmann::json;

class CliLockAware : public CliTest {
 protected:
  // 1,000 contacts under four accounts, most of them under the first.
  std::string writeContacts() {
    std::vector<nlohmann::json> accounts;
    for (int i = 0; i < 4; ++i) accounts.push_back({{"Name", "Acct" + std::to_string(i)}});
    sfdc::bulk::LoadOptions options;
    options.pollMinInterval = std::chrono::milliseconds(10);
    auto c = client();
    const auto created = c.load(sfdc::bulk::Operation::Insert, "Account",
                                sfdc::bulk::RecordSource::records(accounts), options);
    EXPECT_TRUE(created.allSucceeded());
    std::string csv = "LastName,AccountId\n";
    for (int i = 0; i < 1000; ++i) {
      csv += "C" + std::to_string(i) + "," + created.rows.at(i % 5 == 4 ? 1 + i % 3 : 0).id + "\n";
    }
    writeFile(file("contacts.csv"), csv);
    return file("contacts.csv").string();
  }

  void failLocks(double share) {
    sfdc::emulator::Faults faults = server->faults();
    faults.lockFailureShare = share;
    server->setFaults(faults);
  }
};

TEST_F(CliLockAware, GroupByWithLockRetriesLoadsEveryRowOnce) {
  const std::string input = writeContacts();
  failLocks(0.1);
  const auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file", input,
                      "--group-by", "AccountId", "--batch-size", "100", "--success",
                      file("ok.csv").string(), "--errors", file("failed.csv").string(), "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err << r.out;
  const json summary = json::parse(r.out);
  EXPECT_EQ(summary["succeeded"], 1000);
  EXPECT_EQ(summary["failed"], 0);
  EXPECT_GE(summary["lockFailures"].get<int>(), 100);
  EXPECT_EQ(summary["recordsRetried"], summary["lockFailures"]);

  const auto stored = queryRows("SELECT LastName FROM Contact");
  ASSERT_EQ(stored.size(), 1001u);  // header + each row once
  std::set<std::string> names;
  for (std::size_t i = 1; i < stored.size(); ++i) names.insert(stored[i][0]);
  EXPECT_EQ(names.size(), 1000u);
  const auto ok = lines(readFile(file("ok.csv")));
  EXPECT_EQ(ok.size(), 1001u);
  EXPECT_EQ(ok[0], "LastName,AccountId,sf__Id,sf__Created");
  EXPECT_EQ(lines(readFile(file("failed.csv"))).size(), 1u);
}

TEST_F(CliLockAware, NoRetryLockedLeavesTheLockFailuresAndSaysHowMany) {
  const std::string input = writeContacts();
  failLocks(0.1);
  const auto r =
      run({"load", "--object", "Contact", "--operation", "insert", "--file", input, "--batch-size",
           "100", "--no-retry-locked", "--errors", file("failed.csv").string()});
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_TRUE(contains(r.out, "1,000 rows, 900 succeeded, 100 failed")) << r.out;
  EXPECT_TRUE(contains(r.out, "100 lock failures (UNABLE_TO_LOCK_ROW), 0 rows sent again"))
      << r.out;
  EXPECT_EQ(lines(readFile(file("failed.csv"))).size(), 101u);

  // The default retries them; what the first load stored is not touched again.
  const auto retried = run({"load", "--object", "Contact", "--operation", "insert", "--file", input,
                            "--batch-size", "100"});
  EXPECT_EQ(retried.exitCode, 0) << retried.err;
  EXPECT_TRUE(contains(retried.out, "1,000 rows, 1,000 succeeded, 0 failed")) << retried.out;
  EXPECT_EQ(queryRows("SELECT LastName FROM Contact").size(), 1u + 900u + 1000u);
}

TEST_F(CliLockAware, GroupByNeedsAnExistingColumnAndBulkApiV1) {
  const std::string input = writeContacts();
  const auto missing = run({"load", "--object", "Contact", "--operation", "insert", "--file", input,
                            "--group-by", "ParentId"});
  EXPECT_EQ(missing.exitCode, 2) << missing.err;
  EXPECT_TRUE(contains(missing.err, "'ParentId' is not in the CSV header")) << missing.err;
  const auto v2 = run({"load", "--object", "Contact", "--operation", "insert", "--file", input,
                       "--group-by", "AccountId", "--api", "2"});
  EXPECT_EQ(v2.exitCode, 2) << v2.err;
  EXPECT_TRUE(contains(v2.err, "--group-by needs --api 1")) << v2.err;
  EXPECT_LE(queryRows("SELECT LastName FROM Contact").size(), 1u);  // at most the header
}

TEST_F(CliLockAware, AJournaledLoadRefusesGroupingAndRunsWithoutLockRetries) {
  const std::string input = writeContacts();
  const auto grouped = run({"load", "--object", "Contact", "--operation", "insert", "--file", input,
                            "--group-by", "AccountId", "--journal", file("g.journal").string()});
  EXPECT_EQ(grouped.exitCode, 2) << grouped.err;
  EXPECT_TRUE(contains(grouped.err, "--group-by cannot be combined with --journal")) << grouped.err;
  const auto retried = run({"load", "--object", "Contact", "--operation", "insert", "--file", input,
                            "--retry-locked", "--journal", file("r.journal").string()});
  EXPECT_EQ(retried.exitCode, 2) << retried.err;
  EXPECT_TRUE(contains(retried.err, "--retry-locked cannot be combined with --journal"))
      << retried.err;
  EXPECT_FALSE(fs::exists(file("g.journal")));
  EXPECT_FALSE(fs::exists(file("r.journal")));
  EXPECT_LE(queryRows("SELECT LastName FROM Contact").size(), 1u);  // nothing sent: the header

  // Without the explicit flag, the default lock retries are off for a journaled load:
  // the lock failures are reported, and the journal says the load finished.
  failLocks(0.1);
  const auto journaled =
      run({"load", "--object", "Contact", "--operation", "insert", "--file", input, "--batch-size",
           "100", "--journal", file("j.journal").string()});
  EXPECT_EQ(journaled.exitCode, 1) << journaled.err;
  EXPECT_TRUE(contains(journaled.out, "1,000 rows, 900 succeeded, 100 failed")) << journaled.out;
  EXPECT_EQ(sfdc::bulk::readLoadJournal(file("j.journal").string()).state, "finished");
  EXPECT_EQ(queryRows("SELECT LastName FROM Contact").size(), 1u + 900u);
}

}  // namespace
}  // namespace sfbulk::testing
