// sfbulk query end to end: output to a file and to a pipe compared with the expected
// rows, each output format, queryAll, PK chunking, and errors.

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

using nlohmann::json;

class CliQuery : public CliTest {
 protected:
  /// The CSV sfbulk should print for SELECT Id, LastName over the seeded contacts.
  std::string expectedCsv(const std::vector<std::string>& ids) {
    std::string csv = "Id,LastName\n";
    for (std::size_t i = 0; i < ids.size(); ++i) {
      char last[32];
      std::snprintf(last, sizeof last, "Last%04d", static_cast<int>(i + 1));
      csv += ids[i] + "," + last + "\n";
    }
    return csv;
  }
};

TEST_F(CliQuery, WrittenWithOutputFileEqualsTheExpectedRows) {
  const auto ids = seedContacts(25);
  const auto r = run({"query", "SELECT Id, LastName FROM Contact", "-o", file("out.csv").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(readFile(file("out.csv")), expectedCsv(ids));
  EXPECT_TRUE(contains(r.err, "25 rows written to " + file("out.csv").string())) << r.err;
  // Nothing but the result is left behind (the temporary file was renamed).
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("out.csv", 0) == 0) ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(CliQuery, PipedToStdoutEqualsTheFileOutput) {
  const auto ids = seedContacts(12);
  const auto r = run({"query", "SELECT Id, LastName FROM Contact"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, expectedCsv(ids));
}

// `sfbulk query ... | head`: when the reader closes the pipe, sfbulk stops writing and
// ends quietly with exit code 12 (not killed by SIGPIPE, no error message).
TEST_F(CliQuery, AClosedPipeEndsTheQueryQuietlyWithExitTwelve) {
  seedContacts(20000);  // far more than a pipe holds, so writes meet the closed pipe
  std::string command = "set -o pipefail; ";
  for (const auto& [name, value] : env) command += name + "='" + value + "' ";
  command += std::string("'") + SFBULK_BINARY + "' query 'SELECT Id, LastName FROM Contact' 2>'" +
             file("err.txt").string() + "' | head -c 100 > '" + file("head.txt").string() +
             "'; echo $? > '" + file("status.txt").string() + "'";
  for (const char* format : {"csv", "jsonl"}) {
    const std::string withFormat = std::regex_replace(
        command, std::regex("query '"), std::string("query --format ") + format + " '");
    writeFile(file("pipe.sh"), withFormat + "\n");
    ASSERT_EQ(std::system(("bash '" + file("pipe.sh").string() + "'").c_str()), 0) << withFormat;
    EXPECT_EQ(readFile(file("status.txt")), "12\n") << format;
    EXPECT_EQ(readFile(file("err.txt")), "") << format;
    EXPECT_EQ(readFile(file("head.txt")).size(), 100u) << format;
  }
}

TEST_F(CliQuery, QueryFileHoldsALongQuery) {
  const auto ids = seedContacts(3);
  // A byte order mark, line breaks and surrounding white space, as an editor saves it.
  writeFile(file("q.soql"),
            "\xEF\xBB\xBF\n  SELECT Id, LastName\n  FROM Contact\n  ORDER BY LastName\n\n");
  auto r = run({"query", "--query-file", file("q.soql").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, expectedCsv(ids));

  r = run({"query", "SELECT Id FROM Contact", "--query-file", file("q.soql").string()});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_TRUE(contains(r.err, "either as an argument or with --query-file FILE")) << r.err;
  r = run({"query"});
  EXPECT_EQ(r.exitCode, 2);
  writeFile(file("blank.soql"), " \n\t\n");
  r = run({"query", "--query-file", file("blank.soql").string()});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_TRUE(contains(r.err, "holds no query")) << r.err;
  r = run({"query", "--query-file", file("missing.soql").string()});
  EXPECT_EQ(r.exitCode, 7) << r.err;
  // The output may not be the query file.
  r = run({"query", "--query-file", file("q.soql").string(), "-o", file("q.soql").string()});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_EQ(readFile(file("q.soql")).substr(0, 3), "\xEF\xBB\xBF");
}

TEST_F(CliQuery, JsonArrayAndJsonLines) {
  const auto ids = seedContacts(3);
  auto r = run({"query", "SELECT Id, LastName FROM Contact", "--format", "json"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const json array = json::parse(r.out);
  ASSERT_TRUE(array.is_array());
  ASSERT_EQ(array.size(), 3u);
  EXPECT_EQ(array[0]["Id"], ids[0]);
  EXPECT_EQ(array[2]["LastName"], "Last0003");

  r = run({"query", "SELECT Id, LastName FROM Contact", "--format", "jsonl"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const auto records = lines(r.out);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(json::parse(records[1])["Id"], ids[1]);
}

TEST_F(CliQuery, NoRowsGivesEmptyOutput) {
  auto r = run({"query", "SELECT Id FROM Contact"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "");
  r = run({"query", "SELECT Id FROM Contact", "--format", "json"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "[]\n");
}

TEST_F(CliQuery, AllIncludesDeletedRecords) {
  const auto ids = seedContacts(4);
  writeFile(file("delete.csv"), "Id\n" + ids[0] + "\n");
  ASSERT_EQ(run({"load", "--object", "Contact", "--operation", "delete", "--file",
                 file("delete.csv").string()})
                .exitCode,
            0);
  const auto live = run({"query", "SELECT Id FROM Contact"});
  const auto all = run({"query", "SELECT Id FROM Contact", "--all"});
  EXPECT_EQ(live.exitCode, 0) << live.err;
  EXPECT_EQ(all.exitCode, 0) << all.err;
  EXPECT_EQ(lines(live.out).size(), 4u);  // header + 3
  EXPECT_EQ(lines(all.out).size(), 5u);   // header + 4
  EXPECT_TRUE(contains(all.out, ids[0]));
}

TEST_F(CliQuery, PkChunkingKeepsOneHeaderAndEveryRow) {
  const auto ids = seedContacts(25);
  const auto r = run({"query", "SELECT Id, LastName FROM Contact", "--pk-chunking", "10", "-o",
                      file("chunked.csv").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const auto got = lines(readFile(file("chunked.csv")));
  ASSERT_EQ(got.size(), 26u);
  EXPECT_EQ(got[0], "Id,LastName");
  std::vector<std::string> sorted(got.begin() + 1, got.end());
  std::sort(sorted.begin(), sorted.end());
  auto expected = lines(expectedCsv(ids));
  std::vector<std::string> expectedRows(expected.begin() + 1, expected.end());
  std::sort(expectedRows.begin(), expectedRows.end());
  EXPECT_EQ(sorted, expectedRows);

  // The SIZE is optional: `--pk-chunking` alone uses the server's default.
  const auto bare = run({"query", "SELECT Id FROM Contact", "--pk-chunking"});
  EXPECT_EQ(bare.exitCode, 0) << bare.err;
  EXPECT_EQ(lines(bare.out).size(), 26u);
}

TEST_F(CliQuery, ParallelOverApi1WritesTheSameFileAsASequentialRead) {
  seedContacts(25);
  const auto sequential = run({"query", "SELECT Id, LastName FROM Contact", "--pk-chunking", "5",
                               "-o", file("sequential.csv").string()});
  ASSERT_EQ(sequential.exitCode, 0) << sequential.err;
  const auto parallel = run({"query", "SELECT Id, LastName FROM Contact", "--pk-chunking", "5",
                             "--parallel", "3", "-o", file("parallel.csv").string()});
  EXPECT_EQ(parallel.exitCode, 0) << parallel.err;
  EXPECT_EQ(lines(readFile(file("parallel.csv"))).size(), 26u);
  EXPECT_EQ(readFile(file("parallel.csv")), readFile(file("sequential.csv")));

  const auto jsonl =
      run({"query", "SELECT Id FROM Contact", "--parallel", "2", "--format", "jsonl"});
  EXPECT_EQ(jsonl.exitCode, 0) << jsonl.err;
  EXPECT_EQ(lines(jsonl.out).size(), 25u);

  // --page-size stays a 2.0 setting.
  const auto refused = run({"query", "SELECT Id FROM Contact", "--page-size", "10"});
  EXPECT_EQ(refused.exitCode, 2) << refused.err;
  EXPECT_TRUE(contains(refused.err, "--page-size is for --api 2")) << refused.err;
}

TEST_F(CliQuery, InvalidSoqlIsAnApiErrorAndLeavesNoFile) {
  const auto r =
      run({"query", "SELECT NoSuchField__c FROM Contact", "-o", file("bad.csv").string()});
  EXPECT_EQ(r.exitCode, 4) << r.err;
  EXPECT_TRUE(contains(r.err, "NoSuchField__c")) << r.err;
  EXPECT_FALSE(fs::exists(file("bad.csv")));
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename().string().rfind("bad.csv", 0), std::string::npos)
        << entry.path();
  }
}

TEST_F(CliQuery, UnwritableOutputIsALocalIoError) {
  const auto r =
      run({"query", "SELECT Id FROM Contact", "-o", file("no/such/dir/out.csv").string()});
  EXPECT_EQ(r.exitCode, 7) << r.err;
  EXPECT_TRUE(contains(r.err, "cannot write")) << r.err;
}

// While the server works, the progress line says what it reports: the job, its PK-chunk
// batches done and running, the records processed.
class CliQuerySlow : public CliQuery {
 protected:
  sfdc::emulator::EmulatorOptions emulatorOptions() override {
    return slowBatches(std::chrono::milliseconds(150), 1);
  }
};

TEST_F(CliQuerySlow, ProgressShowsTheServersBatchesAndRecords) {
  seedContacts(400);
  auto r = run({"query", "SELECT Id FROM Contact", "--pk-chunking", "100", "-o",
                file("out.csv").string(), "--progress-interval", "0.05"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("query 750\\w+: .*server: [0-3]/4 batches done")))
      << r.err;
  // Plain lines come every interval; the summary line closes the run.
  EXPECT_TRUE(std::regex_search(
      r.err, std::regex("server: [1-3]/4 batches done, 1 running, [1-3]00 records processed")))
      << r.err;
  EXPECT_EQ(lines(readFile(file("out.csv"))).size(), 401u);

  r = run({"query", "SELECT Id FROM Contact", "--api", "2", "-o", file("out2.csv").string(),
           "--progress-interval", "0.05"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  // Bulk API 2.0: one job, its state and records as the server reports them.
  EXPECT_TRUE(std::regex_search(
      r.err, std::regex("query 750\\w+: 0 rows, server: (UploadComplete|InProgress), ")))
      << r.err;
}

}  // namespace
}  // namespace sfbulk::testing
