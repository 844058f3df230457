#pragma once

// Runs the sfbulk binary as a child process against an emulator started in-process on an
// ephemeral port, with a clean environment (only what the test sets) and stdout/stderr
// captured to files, so that a test sees exactly what a user or a script would.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sfdc/bulk.hpp>
#include <sfdc/emulator/emulator.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace sfbulk::testing {

namespace fs = std::filesystem;

struct RunResult {
  int exitCode = -1;
  std::string out;
  std::string err;
};

inline std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void writeFile(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

/// A running sfbulk process; wait() collects its exit code and output.
class Child {
 public:
  Child(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
        const fs::path& dir, const std::string& stdinText = {})
      : outPath_(dir / ("stdout-" + std::to_string(counter()))),
        errPath_(dir / ("stderr-" + std::to_string(counter()))) {
    const fs::path inPath = dir / ("stdin-" + std::to_string(counter()));
    writeFile(inPath, stdinText);
    std::vector<std::string> argv = {SFBULK_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> argp;
    for (auto& arg : argv) argp.push_back(arg.data());
    argp.push_back(nullptr);
    // Only PATH/HOME/LANG from the parent: an SFDC_* variable in the developer's shell
    // must not leak into a test about missing credentials.
    // The test's own values win; the per-user config file is looked for in the scratch
    // directory unless the test says where, never in the developer's home.
    std::map<std::string, std::string> merged = env;
    for (const char* keep : {"PATH", "HOME", "LANG"}) {
      if (const char* value = std::getenv(keep)) merged.emplace(keep, value);
    }
    merged.emplace("XDG_CONFIG_HOME", (dir / "no-user-config").string());
    std::vector<std::string> envStrings;
    for (const auto& [name, value] : merged) envStrings.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& entry : envStrings) envp.push_back(entry.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, inPath.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, outPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, errPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    // Run in the test's scratch directory, as a user runs sfbulk in a folder of their own:
    // what it writes by default (the results folder) lands there.
    posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    const int rc = posix_spawn(&pid_, argv[0].c_str(), &actions, nullptr, argp.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      ADD_FAILURE() << "cannot start " << argv[0] << ": " << rc;
      pid_ = -1;
    }
  }
  ~Child() {
    if (pid_ > 0) {
      if (!reaped_) ::kill(pid_, SIGKILL);
      wait();
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  void signal(int sig) {
    if (pid_ > 0 && !reaped_) ::kill(pid_, sig);
  }
  /// True once the process has ended (it is reaped; wait() still reports how).
  bool exited() {
    if (pid_ <= 0) return true;
    if (!reaped_ && ::waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
    return reaped_;
  }
  std::string currentOut() const { return readFile(outPath_); }
  std::string currentErr() const { return readFile(errPath_); }

  RunResult wait(std::chrono::seconds timeout = std::chrono::seconds(120)) {
    RunResult result;
    if (pid_ <= 0) return result;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = status_;
    for (; !reaped_;) {
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) break;
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "sfbulk did not finish within " << timeout.count() << "s";
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    reaped_ = false;
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = readFile(outPath_);
    result.err = readFile(errPath_);
    return result;
  }

 private:
  static int counter() {
    static int next = 0;
    return next++;
  }
  fs::path outPath_;
  fs::path errPath_;
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

/// The variables a user exports to point sfbulk at `server` (as `sfbulk emulator` prints).
inline std::map<std::string, std::string> emulatorEnvironment(
    const sfdc::emulator::Emulator& server) {
  using Defaults = sfdc::emulator::DefaultCredentials;
  return {{"SFDC_INSTANCE_URL", server.url()},
          {"SFDC_TOKEN_URL", server.tokenUrl()},
          {"SFDC_CLIENT_ID", Defaults::kClientId},
          {"SFDC_CLIENT_SECRET", Defaults::kClientSecret},
          {"SFDC_REFRESH_TOKEN", Defaults::kRefreshToken}};
}

/// Emulator + scratch directory + the environment a user would export.
class CliTest : public ::testing::Test {
 protected:
  virtual sfdc::emulator::EmulatorOptions emulatorOptions() { return {}; }

  void SetUp() override {
    server = std::make_unique<sfdc::emulator::Emulator>(emulatorOptions());
    server->start();
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = fs::temp_directory_path() / ("sfbulk-cli-" + std::to_string(::getpid()) + "-" +
                                       info->test_suite_name() + "-" + info->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    env = emulatorEnvironment(*server);
  }

  void TearDown() override {
    server->stop();
    if (!HasFailure()) fs::remove_all(dir);
  }

  RunResult run(const std::vector<std::string>& args, const std::string& stdinText = {}) {
    Child child(args, env, dir, stdinText);
    return child.wait();
  }

  fs::path file(const std::string& name) const { return dir / name; }

  /// An emulator whose batches each take `latency` (and run `workers` at a time), so that
  /// a test sees them queued and running.
  static sfdc::emulator::EmulatorOptions slowBatches(std::chrono::milliseconds latency,
                                                     int workers = 4) {
    sfdc::emulator::EmulatorOptions options;
    options.workers = workers;
    options.batchLatency = latency;
    return options;
  }

  /// `sfbulk load --object Contact --operation insert --file FILE` and then `extra`.
  static std::vector<std::string> insertContacts(const fs::path& input,
                                                 const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"load",   "--object", "Contact",     "--operation",
                                     "insert", "--file",   input.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  /// A client for seeding and checking data behind sfbulk's back.
  sfdc::bulk::Client client() {
    using Defaults = sfdc::emulator::DefaultCredentials;
    sfdc::bulk::Config config;
    config.baseUrl = server->url();
    config.clientConfig = sfdc::bulk::RefreshTokenConfig{
        Defaults::kClientId, Defaults::kClientSecret, Defaults::kRefreshToken, server->tokenUrl()};
    return sfdc::bulk::Client(config);
  }

  /// Inserts `count` contacts named Last0001…; returns their ids in order.
  std::vector<std::string> seedContacts(int count) {
    std::vector<nlohmann::json> records;
    for (int i = 1; i <= count; ++i) {
      char last[16];
      std::snprintf(last, sizeof last, "Last%04d", i);
      records.push_back({{"FirstName", "First" + std::to_string(i)}, {"LastName", last}});
    }
    sfdc::bulk::LoadOptions options;
    options.pollMinInterval = std::chrono::milliseconds(10);
    auto c = client();
    auto result = c.load(sfdc::bulk::Operation::Insert, "Contact",
                         sfdc::bulk::RecordSource::records(std::move(records)), options);
    std::vector<std::string> ids;
    for (const auto& row : result.rows) ids.push_back(row.id);
    EXPECT_TRUE(result.allSucceeded());
    return ids;
  }

  /// Runs a query with the job-level calls (independent of the CLI and of
  /// Client::query) and returns its CSV rows, header first.
  std::vector<std::vector<std::string>> queryRows(const std::string& soql) {
    using namespace sfdc::bulk;
    auto c = client();
    const auto from = soql.find(" FROM ");
    std::string object = soql.substr(from + 6);
    object = object.substr(0, object.find(' '));
    const Job job = c.createJob(Operation::Query, object, ContentType::CSV);
    const BatchInfo batch = c.addBatch(job, soql);
    c.closeJob(job);
    for (int i = 0; i < 1000 && !c.getBatchInfo(job, batch.id).isTerminal(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& resultId : c.getBatchResult(job, batch.id).resultIds) {
      QueryResultReader reader = c.getQueryResult(job, batch.id, resultId);
      if (rows.empty() && !reader.header().empty()) rows.push_back(reader.header());
      std::vector<std::string> row;
      while (reader.nextRow(row)) rows.push_back(row);
    }
    return rows;
  }

  std::unique_ptr<sfdc::emulator::Emulator> server;
  fs::path dir;
  std::map<std::string, std::string> env;
};

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace sfbulk::testing
