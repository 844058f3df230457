// The load's spool directory: private modes whatever the umask, a checked parent, removal
// on every exit path, and the removal of directories that dead processes left behind.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/load.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <sstream>
#include <stdexcept>

#include "load/batch_splitter.hpp"
#include "load/spool.hpp"

namespace sfdc::bulk::detail::load {
namespace {

namespace fs = std::filesystem;

mode_t modeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

/// A parent directory of the test's own, so stale-directory sweeps see only its entries.
class SpoolParent : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    parent = fs::temp_directory_path() /
             ("sfdc-spool-test-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(parent);
    fs::create_directories(parent);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(parent, fs::perms::owner_all, ec);
    fs::remove_all(parent, ec);
  }

  /// The pid of a process that has exited and been reaped.
  static pid_t deadPid() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    return child;
  }

  fs::path fakeSpool(pid_t pid, const std::string& suffix) {
    const fs::path dir = parent / ("sfdc-bulk-load-" + std::to_string(pid) + "-" + suffix);
    fs::create_directories(dir);
    std::ofstream(dir / "b0.body") << "Name\nsecret row\n";
    return dir;
  }

  fs::path parent;
};

/// Sets the umask for one scope.
struct ScopedUmask {
  explicit ScopedUmask(mode_t mask) : old(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old); }
  mode_t old;
};

TEST_F(SpoolParent, DirectoryIs0700AndFilesAre0600UnderAPermissiveUmask) {
  ScopedUmask open(0);
  SpoolDir spool(parent.string());
  EXPECT_EQ(fs::path(spool.path()).parent_path(), parent);
  EXPECT_EQ(fs::path(spool.path())
                .filename()
                .string()
                .rfind("sfdc-bulk-load-" + std::to_string(::getpid()) + "-", 0),
            0u)
      << spool.path();
  EXPECT_EQ(modeOf(spool.path()), 0700u);
  const std::string created = spool.create("b7.results");
  EXPECT_EQ(created, spool.file("b7.results"));
  EXPECT_EQ(modeOf(created), 0600u);
}

TEST_F(SpoolParent, CreateEmptiesAnExistingFileAndKeepsIt0600UnderARestrictiveUmask) {
  SpoolDir spool(parent.string());
  std::ofstream(spool.file("b0.body")) << "old";
  ScopedUmask strict(0277);
  const std::string path = spool.create("b0.body");
  EXPECT_EQ(modeOf(path), 0600u) << "the owner can still reopen it for writing";
  EXPECT_EQ(fs::file_size(path), 0u);
}

TEST_F(SpoolParent, BatchBodiesAndRowFilesOfTheSplitterAre0600) {
  ScopedUmask open(0);
  SpoolDir spool(parent.string());
  std::istringstream input("Name,Index\nrow 1,1\nrow 2,2\n");
  RecordSource source = RecordSource::csvStream(input);
  JsonSerializer serializer;
  BatchSplitter splitter(source.reader(), ContentType::JSON, &serializer, BatchLimits{}, true,
                         spool);
  auto batch = splitter.next();
  ASSERT_TRUE(batch);
  EXPECT_EQ(modeOf(batch->bodyPath), 0600u) << batch->bodyPath;
  ASSERT_FALSE(batch->rowsPath.empty());
  EXPECT_EQ(modeOf(batch->rowsPath), 0600u) << batch->rowsPath;
}

TEST_F(SpoolParent, RemovedWithEverythingInItWhenDestroyed) {
  std::string path;
  {
    SpoolDir spool(parent.string());
    path = spool.path();
    std::ofstream(spool.create("b0.body")) << "Name\nrow\n";
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(SpoolParent, RemovedWhenAnExceptionUnwindsTheLoad) {
  std::string path;
  try {
    SpoolDir spool(parent.string());
    path = spool.path();
    std::ofstream(spool.create("b0.body")) << "Name\nrow\n";
    throw std::runtime_error("load failed");
  } catch (const std::runtime_error&) {
  }
  ASSERT_FALSE(path.empty());
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(SpoolParent, StaleDirectoryOfADeadProcessIsRemovedALiveOneIsKept) {
  const fs::path dead = fakeSpool(deadPid(), "abc123");
  const fs::path live = fakeSpool(::getppid(), "def456");
  const fs::path mine = fakeSpool(::getpid(), "ghi789");
  // Names that merely look alike are not spool directories.
  const fs::path notAPid = parent / "sfdc-bulk-load-12ab-x";
  fs::create_directories(notAPid);
  const fs::path plainFile = parent / ("sfdc-bulk-load-" + std::to_string(deadPid()) + "-file");
  std::ofstream(plainFile) << "not a directory";

  SpoolDir spool(parent.string());
  EXPECT_FALSE(fs::exists(dead)) << "a dead process's spool is removed on the next load";
  EXPECT_TRUE(fs::exists(live / "b0.body"));
  EXPECT_TRUE(fs::exists(mine / "b0.body"));
  EXPECT_TRUE(fs::exists(notAPid));
  EXPECT_TRUE(fs::exists(plainFile));
  EXPECT_TRUE(fs::exists(spool.path()));
}

TEST_F(SpoolParent, ASpoolStillHeldByALoadIsKeptEvenIfItsPidLooksDead) {
  // A load in another pid namespace sharing the directory: its pid means nothing here,
  // but it still holds its directory's lock.
  SpoolDir running(parent.string());
  const fs::path renamed = parent / ("sfdc-bulk-load-" + std::to_string(deadPid()) + "-held");
  fs::rename(running.path(), renamed);
  EXPECT_EQ(SpoolDir::removeStale(parent.string()), 0u);
  EXPECT_TRUE(fs::exists(renamed));
  fs::rename(renamed, running.path());
}

TEST_F(SpoolParent, StaleDirectoryOfAnotherUserIsKept) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a directory to another user";
  const fs::path foreign = fakeSpool(deadPid(), "other");
  ASSERT_EQ(::chown(foreign.c_str(), 65534, 65534), 0);
  EXPECT_EQ(SpoolDir::removeStale(parent.string()), 0u);
  EXPECT_TRUE(fs::exists(foreign / "b0.body"));
}

TEST_F(SpoolParent, SymlinkNamedLikeAStaleSpoolIsNotFollowed) {
  const fs::path target = parent / "precious";
  fs::create_directories(target);
  std::ofstream(target / "keep.txt") << "keep";
  const fs::path link = parent / ("sfdc-bulk-load-" + std::to_string(deadPid()) + "-link");
  fs::create_directory_symlink(target, link);
  SpoolDir::removeStale(parent.string());
  EXPECT_TRUE(fs::exists(target / "keep.txt"));
}

TEST_F(SpoolParent, MissingParentIsAFileErrorNamingIt) {
  const std::string missing = (parent / "no-such-dir").string();
  try {
    SpoolDir spool(missing);
    FAIL() << "expected FileError";
  } catch (const FileError& e) {
    EXPECT_EQ(e.path(), missing);
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
  }
}

TEST_F(SpoolParent, ParentThatIsAFileIsAFileError) {
  const std::string file = (parent / "plain").string();
  std::ofstream(file) << "x";
  try {
    SpoolDir spool(file);
    FAIL() << "expected FileError";
  } catch (const FileError& e) {
    EXPECT_EQ(e.path(), file);
    EXPECT_NE(std::string(e.what()).find("not a directory"), std::string::npos) << e.what();
  }
}

TEST_F(SpoolParent, ReadOnlyParentIsAFileError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
  const fs::path readOnly = parent / "ro";
  fs::create_directories(readOnly);
  fs::permissions(readOnly, fs::perms::owner_read | fs::perms::owner_exec);
  try {
    SpoolDir spool(readOnly.string());
    FAIL() << "expected FileError";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("not writable"), std::string::npos) << e.what();
  }
  fs::permissions(readOnly, fs::perms::owner_all);
}

}  // namespace
}  // namespace sfdc::bulk::detail::load
