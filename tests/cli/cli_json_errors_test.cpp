// sfbulk --json: every command's outcome is one JSON document on stdout, errors included
// (errorClass, message, hints, exceptionCode, httpStatus, jobId, batchId, exitCode), with
// the exit code unchanged; each error class provoked against the emulator.

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

using nlohmann::json;

std::string text(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

/// stdout as exactly one JSON document (json::parse refuses anything after it).
json document(const RunResult& r) {
  try {
    return json::parse(r.out);
  } catch (const json::exception& e) {
    ADD_FAILURE() << "stdout is not one JSON document (" << e.what() << "):\n"
                  << r.out << "\nstderr:\n"
                  << r.err;
    return json::object();
  }
}

/// The fields every error document has, checked against the exit code.
json expectError(const RunResult& r, const std::string& errorClass, int exitCode) {
  EXPECT_EQ(r.exitCode, exitCode) << r.out << r.err;
  const json doc = document(r);
  EXPECT_EQ(doc.value("errorClass", ""), errorClass) << r.out;
  EXPECT_EQ(doc.value("exitCode", -1), exitCode) << r.out;
  EXPECT_TRUE(doc.contains("message") && doc["message"].is_string() &&
              !doc["message"].get<std::string>().empty())
      << r.out;
  EXPECT_TRUE(doc.contains("hints") && doc["hints"].is_array()) << r.out;
  for (const char* key : {"exceptionCode", "httpStatus", "jobId", "batchId"}) {
    EXPECT_TRUE(doc.contains(key)) << key << " missing: " << r.out;
  }
  // Instead of the text, not as well.
  EXPECT_FALSE(contains(r.err, "sfbulk: error:")) << r.err;
  return doc;
}

class CliJsonErrors : public CliTest {
 protected:
  std::vector<std::string> load(const std::string& csv, std::vector<std::string> extra = {}) {
    writeFile(file("c.csv"), csv);
    extra.insert(extra.begin(), {"--json", "--no-results"});
    return insertContacts(file("c.csv"), extra);
  }
};

TEST_F(CliJsonErrors, UsageErrorsOfTheParserAndOfSfbulk) {
  auto doc = expectError(run({"query", "SELECT Id FROM Contact", "--bogus", "--json"}), "usage", 2);
  EXPECT_EQ(doc["message"], "unexpected arguments: --bogus");
  EXPECT_EQ(doc["hints"], json::array({"run `sfbulk query --help` for usage"}));
  EXPECT_TRUE(doc["exceptionCode"].is_null());
  EXPECT_TRUE(doc["jobId"].is_null());

  doc = expectError(run({"job", "info", "--json"}), "usage", 2);
  EXPECT_TRUE(contains(text(doc["message"]), "JOB_ID")) << doc;
  doc = expectError(run({"query", "SELECT Id FROM Contact", "--format", "xml", "--json"}), "usage",
                    2);
  EXPECT_TRUE(contains(text(doc["message"]), "--format")) << doc;
  // Found by sfbulk after parsing.
  doc = expectError(run({"query", "--json"}), "usage", 2);
  EXPECT_TRUE(contains(text(doc["message"]), "--query-file")) << doc;
  doc = expectError(run({"load", "--object", "Contact", "--operation", "insert", "--json"}),
                    "usage", 2);
  EXPECT_TRUE(contains(text(doc["message"]), "--file is required")) << doc;
}

TEST_F(CliJsonErrors, AuthRejectedAndMissing) {
  env["SFDC_REFRESH_TOKEN"] = "revoked";
  auto doc = expectError(run({"query", "SELECT Id FROM Contact", "--json"}), "auth", 3);
  EXPECT_EQ(doc["exceptionCode"], "invalid_grant");
  EXPECT_EQ(doc["httpStatus"], 400);
  EXPECT_TRUE(contains(text(doc["message"]), "authentication failed")) << doc;
  EXPECT_EQ(doc["hints"].size(), 1u);

  env = {};
  doc = expectError(run({"job", "batches", "750x00000000001AAA", "--json"}), "auth", 3);
  EXPECT_TRUE(contains(text(doc["message"]), "no Salesforce credentials found")) << doc;
  EXPECT_EQ(doc["jobId"], "750x00000000001AAA") << "the command line's job id";
}

TEST_F(CliJsonErrors, ApiErrorsCarryTheExceptionCodeAndIds) {
  auto doc = expectError(run({"job", "info", "750x0000000099ZAAA", "--json"}), "api", 4);
  EXPECT_EQ(doc["exceptionCode"], "InvalidJob");
  EXPECT_EQ(doc["httpStatus"], 400);
  EXPECT_EQ(doc["jobId"], "750x0000000099ZAAA");
  EXPECT_TRUE(doc["batchId"].is_null());

  doc = expectError(run({"job", "close", "750x0000000099ZAAA", "--json", "--api", "1"}), "api", 4);
  EXPECT_EQ(doc["exceptionCode"], "InvalidJob");

  doc = expectError(run({"query", "SELECT Nope FROM Contact", "--json"}), "api", 4);
  EXPECT_EQ(doc["exceptionCode"], "InvalidBatch");
  EXPECT_TRUE(contains(text(doc["message"]), "Nope")) << doc;
  EXPECT_TRUE(std::regex_match(doc["jobId"].get<std::string>(), std::regex("750\\w{15}"))) << doc;
  EXPECT_TRUE(std::regex_match(doc["batchId"].get<std::string>(), std::regex("751\\w{15}"))) << doc;

  // An id no Bulk API 2.0 job has is a usage error; the document still names it.
  doc = expectError(run({"job", "delete", "7500x000000099ZAAA", "--json"}), "usage", 2);
  EXPECT_EQ(doc["jobId"], "7500x000000099ZAAA");
}

TEST_F(CliJsonErrors, LocalIoErrors) {
  auto doc = expectError(run({"query", "SELECT Id FROM Contact", "--json", "-o",
                              file("no-such-dir/out.csv").string()}),
                         "localIo", 7);
  EXPECT_TRUE(contains(text(doc["message"]), "no-such-dir")) << doc;

  doc = expectError(run({"load", "--object", "Contact", "--operation", "insert", "--file",
                         file("missing.csv").string(), "--json", "--no-results"}),
                    "localIo", 7);
  EXPECT_TRUE(contains(text(doc["message"]), "missing.csv")) << doc;
}

TEST_F(CliJsonErrors, NetworkErrorOnAClosedPort) {
  sfdc::emulator::Emulator gone;
  gone.start();
  const std::string url = gone.url();
  gone.stop();
  env = {{"SFDC_INSTANCE_URL", url}, {"SFDC_ACCESS_TOKEN", "token"}};
  const auto doc =
      expectError(run({"job", "info", "750x00000000001AAA", "--json", "--quiet"}), "network", 6);
  EXPECT_TRUE(contains(text(doc["message"]), "no answer from Salesforce")) << doc;
  EXPECT_TRUE(doc["httpStatus"].is_null());
  EXPECT_EQ(doc["jobId"], "750x00000000001AAA");
}

TEST_F(CliJsonErrors, SuccessDocuments) {
  auto r = run(load("FirstName,LastName\nAda,Lovelace\n"));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  json doc = document(r);
  EXPECT_EQ(doc["succeeded"], 1);
  EXPECT_EQ(doc["exitCode"], 0);
  EXPECT_FALSE(doc.contains("errorClass")) << doc;

  r = run({"query", "SELECT LastName FROM Contact", "--json", "-o", file("out.csv").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  doc = document(r);
  EXPECT_EQ(doc["rows"], 1);
  EXPECT_EQ(doc["output"], file("out.csv").string());
  EXPECT_TRUE(std::regex_match(doc["jobId"].get<std::string>(), std::regex("750\\w{15}"))) << doc;

  r = run(load("FirstName,LastName\nGrace,Hopper\n", {"--api", "2"}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string bulk2Job = document(r)["jobId"];
  r = run({"job", "delete", bulk2Job, "--json"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(document(r), json({{"id", bulk2Job}, {"deleted", true}}));
}

TEST_F(CliJsonErrors, WithoutJsonErrorsStayTextOnStderr) {
  const auto r = run({"job", "info", "750x0000000099ZAAA"});
  EXPECT_EQ(r.exitCode, 4);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(contains(r.err, "sfbulk: error: Salesforce refused the request:")) << r.err;
  EXPECT_TRUE(contains(r.err, "\n  check the id")) << r.err;
}

class CliJsonErrorsSlow : public CliJsonErrors {
 protected:
  sfdc::emulator::EmulatorOptions emulatorOptions() override {
    sfdc::emulator::EmulatorOptions options;
    options.workers = 1;
    options.batchLatency = std::chrono::milliseconds(1500);
    return options;
  }
};

TEST_F(CliJsonErrorsSlow, TimeoutsNameTheJobLeftOpen) {
  auto doc = expectError(run({"query", "SELECT Id FROM Contact", "--json", "--timeout", "0.3"}),
                         "timeout", 5);
  const std::string jobId = doc["jobId"];
  EXPECT_TRUE(std::regex_match(jobId, std::regex("750\\w{15}"))) << doc;
  EXPECT_EQ(text(doc["hints"].back()), "raise --timeout to wait longer");
  EXPECT_TRUE(contains(text(doc["hints"].front()), "sfbulk job abort " + jobId)) << doc;

  // A load that stops keeps its summary, which carries the error: one document.
  const auto r = run(load("FirstName,LastName\nAda,Lovelace\n", {"--timeout", "0.3"}));
  EXPECT_EQ(r.exitCode, 5) << r.err;
  doc = document(r);
  EXPECT_EQ(doc["incomplete"], true);
  EXPECT_EQ(doc["errorClass"], "timeout");
  EXPECT_EQ(doc["exitCode"], 5);
  EXPECT_EQ(doc["jobId"], doc["jobIds"][0]);
  EXPECT_TRUE(contains(text(doc["message"]), "timed out")) << doc;
  EXPECT_FALSE(contains(r.err, "sfbulk: error: timed out")) << r.err;
}

TEST_F(CliJsonErrorsSlow, AnInterruptedQuery) {
  Child child({"query", "SELECT Id FROM Contact", "--json"}, env, dir);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  child.signal(SIGINT);
  const auto doc = expectError(child.wait(), "interrupted", 8);
  EXPECT_TRUE(std::regex_match(text(doc["jobId"]), std::regex("750\\w{15}"))) << doc;
}

}  // namespace
}  // namespace sfbulk::testing
