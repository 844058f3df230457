// No output of sfbulk ever destroys an input or another output, and every output that
// cannot be written is refused up front with the file and the reason.

#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

const char* kContacts =
    "FirstName,LastName\n"
    "Ada,Lovelace\n"
    "Grace,\n"
    "Alan,Turing\n";

/**
 * Makes a file or directory unwritable for the test's duration. Root ignores mode bits,
 * so as root the inode is also made immutable (ext4, xfs, btrfs); where neither works
 * the test is skipped rather than passing vacuously.
 */
class ReadOnly {
 public:
  explicit ReadOnly(const fs::path& path) : path_(path) {
    fs::permissions(path_,
                    fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                    fs::perm_options::remove);
    if (::access(path_.c_str(), W_OK) == 0) setImmutable(true);
  }
  ~ReadOnly() {
    if (immutable_) setImmutable(false);
    fs::permissions(path_, fs::perms::owner_write, fs::perm_options::add);
  }
  ReadOnly(const ReadOnly&) = delete;
  ReadOnly& operator=(const ReadOnly&) = delete;
  bool effective() const { return ::access(path_.c_str(), W_OK) != 0; }

 private:
  void setImmutable(bool on) {
    const int fd = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK);
    if (fd < 0) return;
    int flags = 0;
    if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
      flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
      if (::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0) immutable_ = on;
    }
    ::close(fd);
  }
  fs::path path_;
  bool immutable_ = false;
};

class CliOutputs : public CliTest {
 protected:
  std::vector<std::string> load(const fs::path& input) {
    return {"load", "--object", "Contact", "--operation", "insert", "--file", input.string()};
  }
  int jobsCreated() { return server->stats()["endpoints"].value("POST /job", 0); }
};

TEST_F(CliOutputs, SuccessFileThatIsTheInputIsRefusedAndTheInputKept) {
  writeFile(file("in.csv"), kContacts);
  auto args = load(file("in.csv"));
  args.insert(args.end(), {"--success", file("in.csv").string()});
  const auto r = run(args);
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--success")) << r.err;
  EXPECT_TRUE(contains(r.err, "--file")) << r.err;
  EXPECT_FALSE(contains(r.out, "nothing to load")) << r.out;
  EXPECT_EQ(readFile(file("in.csv")), kContacts);
  EXPECT_EQ(queryRows("SELECT Id FROM Contact").size(), 0u) << "nothing was loaded";
}

TEST_F(CliOutputs, ErrorsFileThatIsTheInputUnderAnotherSpellingIsRefused) {
  writeFile(file("in.csv"), kContacts);
  fs::create_directories(file("sub"));
  fs::create_symlink(file("in.csv"), file("link.csv"));
  fs::create_hard_link(file("in.csv"), file("hard.csv"));
  for (const fs::path& alias :
       {dir / "sub" / ".." / "in.csv", dir / "." / "in.csv", file("link.csv"), file("hard.csv")}) {
    auto args = load(file("in.csv"));
    args.insert(args.end(), {"--errors", alias.string()});
    const auto r = run(args);
    EXPECT_EQ(r.exitCode, 2) << alias << "\n" << r.err;
    EXPECT_TRUE(contains(r.err, "--errors " + alias.string())) << r.err;
    EXPECT_TRUE(contains(r.err, "is the input file")) << r.err;
    EXPECT_EQ(readFile(file("in.csv")), kContacts) << alias;
  }
  // The same holds when the input is named through the alias.
  auto args = load(file("link.csv"));
  args.insert(args.end(), {"--success", file("in.csv").string()});
  EXPECT_EQ(run(args).exitCode, 2);
  EXPECT_EQ(readFile(file("in.csv")), kContacts);
}

TEST_F(CliOutputs, SuccessAndErrorsOnOneFileAreRefusedBeforeAnythingIsWritten) {
  writeFile(file("in.csv"), kContacts);
  auto args = load(file("in.csv"));
  args.insert(args.end(),
              {"--success", file("r.csv").string(), "--errors", (dir / "." / "r.csv").string()});
  const auto r = run(args);
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--success " + file("r.csv").string())) << r.err;
  EXPECT_TRUE(contains(r.err, "--errors")) << r.err;
  EXPECT_TRUE(contains(r.err, "same file")) << r.err;
  EXPECT_FALSE(fs::exists(file("r.csv")));
  EXPECT_EQ(jobsCreated(), 0);
}

TEST_F(CliOutputs, DevNullIsAnOutputLikeAnyOther) {
  writeFile(file("in.csv"), kContacts);
  auto args = load(file("in.csv"));
  args.insert(args.end(), {"--success", "/dev/null", "--errors", file("failed.csv").string()});
  const auto r = run(args);
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_TRUE(contains(r.out, "3 rows, 2 succeeded, 1 failed")) << r.out;
  EXPECT_EQ(lines(readFile(file("failed.csv"))).size(), 2u);
}

TEST_F(CliOutputs, QueryOutputThatIsTheConfigFileIsRefused) {
  nlohmann::json config = nlohmann::json::object();
  for (const auto& [name, value] : env) config[name] = value;
  writeFile(file("sfbulk.json"), config.dump());
  ::chmod(file("sfbulk.json").c_str(), 0600);
  env.clear();
  const auto r = run({"query", "SELECT Id FROM Contact", "--config", file("sfbulk.json").string(),
                      "-o", file("sfbulk.json").string()});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "-o")) << r.err;
  EXPECT_TRUE(contains(r.err, "--config")) << r.err;
  EXPECT_EQ(readFile(file("sfbulk.json")), config.dump());
}

TEST_F(CliOutputs, ReadOnlySuccessFileIsALocalIoErrorWithTheReason) {
  writeFile(file("in.csv"), kContacts);
  writeFile(file("ok.csv"), "kept\n");
  ReadOnly readOnly(file("ok.csv"));
  if (!readOnly.effective()) GTEST_SKIP() << "cannot make a file read-only here";
  auto args = load(file("in.csv"));
  args.insert(args.end(), {"--success", file("ok.csv").string()});
  const auto r = run(args);
  EXPECT_EQ(r.exitCode, 7) << r.err;
  EXPECT_TRUE(contains(r.err, "cannot write " + file("ok.csv").string() + ": ")) << r.err;
  EXPECT_TRUE(contains(r.err, "Permission denied") || contains(r.err, "not permitted")) << r.err;
  EXPECT_EQ(readFile(file("ok.csv")), "kept\n");
  EXPECT_EQ(jobsCreated(), 0);
}

TEST_F(CliOutputs, ErrorsFileInAReadOnlyDirectoryIsALocalIoErrorWithTheReason) {
  writeFile(file("in.csv"), kContacts);
  fs::create_directories(file("locked"));
  ReadOnly readOnly(file("locked"));
  if (!readOnly.effective()) GTEST_SKIP() << "cannot make a directory read-only here";
  auto args = load(file("in.csv"));
  args.insert(args.end(), {"--errors", (file("locked") / "failed.csv").string()});
  const auto r = run(args);
  EXPECT_EQ(r.exitCode, 7) << r.err;
  EXPECT_TRUE(contains(r.err, (file("locked") / "failed.csv").string())) << r.err;
  EXPECT_TRUE(contains(r.err, "Permission denied") || contains(r.err, "not permitted")) << r.err;
  EXPECT_EQ(jobsCreated(), 0);
}

TEST_F(CliOutputs, ADirectoryIsNeitherAnInputNorAnOutput) {
  fs::create_directories(file("folder"));
  auto r = run(load(file("folder")));
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, file("folder").string() + " is a directory")) << r.err;
  EXPECT_FALSE(contains(r.out, "nothing to load")) << r.out;

  writeFile(file("in.csv"), kContacts);
  auto args = load(file("in.csv"));
  args.insert(args.end(), {"--success", file("folder").string()});
  r = run(args);
  EXPECT_EQ(r.exitCode, 7) << r.err;
  EXPECT_TRUE(contains(r.err, "cannot write " + file("folder").string() + ": it is a directory"))
      << r.err;
  EXPECT_EQ(jobsCreated(), 0);
}

TEST_F(CliOutputs, AnEmptyFileHasNothingToLoad) {
  writeFile(file("empty.csv"), "");
  const auto r = run(load(file("empty.csv")));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "nothing to load")) << r.out;
}

}  // namespace
}  // namespace sfbulk::testing
