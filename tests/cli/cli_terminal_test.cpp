// sfbulk under a real terminal: a pseudo-terminal of a given size is its stdin, stdout and
// stderr, as in an interactive shell, and what it writes there is rendered into the lines
// the terminal would show, so the tests see the progress bar as a user does.

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <optional>
#include <regex>
#include <string_view>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

/**
 * The screen of a terminal fed sfbulk's bytes: text, \r, \n and the erase-line escape the
 * progress bar redraws with. A line is never wrapped at the terminal's width, so that a
 * line drawn too wide shows as one (a real terminal would wrap it, and the next redraw in
 * place would then start on the wrong line).
 */
class Screen {
 public:
  void feed(std::string_view bytes) {
    for (const char c : bytes) feedByte(static_cast<unsigned char>(c));
  }

  /// The lines as shown, trailing blanks dropped.
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const auto& cells : rows_) {
      std::string line;
      for (const auto& cell : cells) line += cell;
      line.erase(line.find_last_not_of(' ') + 1);
      out.push_back(line);
    }
    while (!out.empty() && out.back().empty()) out.pop_back();
    return out;
  }

  std::string text() const {
    std::string out;
    for (const auto& line : lines()) out += line + "\n";
    return out;
  }

  /// The widest (in columns) any line now starting with `prefix` has been drawn since the
  /// last forgetWidest(): for the bar's line, the widest of all its redraws.
  std::size_t widest(const std::string& prefix) const {
    std::size_t widest = 0;
    const auto shown = lines();
    for (std::size_t row = 0; row < shown.size() && row < widest_.size(); ++row) {
      if (shown[row].rfind(prefix, 0) == 0) widest = std::max(widest, widest_[row]);
    }
    return widest;
  }
  void forgetWidest() { widest_.assign(widest_.size(), 0); }

 private:
  void feedByte(unsigned char c) {
    if (!escape_.empty()) {
      escape_ += static_cast<char>(c);
      // CSI: ESC [ parameters final-byte (0x40-0x7e).
      if (escape_.size() >= 3 && c >= 0x40 && c <= 0x7e) {
        if (c == 'K') eraseInLine(escape_.substr(2, escape_.size() - 3));
        escape_.clear();
      } else if (escape_.size() == 2 && c != '[') {
        escape_.clear();  // not a CSI: nothing the console sends
      }
      return;
    }
    if (c == 0x1b) {
      escape_ = "\x1b";
    } else if (c == '\r') {
      column_ = 0;
    } else if (c == '\n') {
      ++row_;
    } else if (c == '\b') {
      if (column_ > 0) --column_;
    } else if (c >= 0x80 && c < 0xc0) {
      // A UTF-8 continuation byte belongs to the character before it.
      if (column_ > 0) rowCells()[column_ - 1] += static_cast<char>(c);
    } else if (c >= 0x20 && c != 0x7f) {
      auto& cells = rowCells();
      if (cells.size() <= column_) cells.resize(column_ + 1, " ");
      cells[column_] = std::string(1, static_cast<char>(c));
      ++column_;
      if (widest_.size() <= row_) widest_.resize(row_ + 1, 0);
      widest_[row_] = std::max(widest_[row_], column_);
    }
  }

  void eraseInLine(const std::string& parameter) {
    auto& cells = rowCells();
    if (parameter.empty() || parameter == "0") {
      if (cells.size() > column_) cells.resize(column_);
    } else if (parameter == "1") {
      for (std::size_t i = 0; i <= column_ && i < cells.size(); ++i) cells[i] = " ";
    } else if (parameter == "2") {
      cells.assign(cells.size(), " ");
    }
  }

  std::vector<std::string>& rowCells() {
    if (rows_.size() <= row_) rows_.resize(row_ + 1);
    return rows_[row_];
  }

  std::vector<std::vector<std::string>> rows_;
  std::size_t row_ = 0;
  std::size_t column_ = 0;
  std::vector<std::size_t> widest_;  // by row
  std::string escape_;
};

/// sfbulk running in a pseudo-terminal of `columns` x 24 (0 x 0: one that reports no size),
/// in a session of its own.
class TerminalChild {
 public:
  TerminalChild(unsigned short columns, const std::vector<std::string>& args,
                const std::map<std::string, std::string>& env, const fs::path& dir) {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0) {
      ADD_FAILURE() << "no pseudo-terminal: " << std::strerror(errno);
      return;
    }
    const std::string slave = ::ptsname(master_);
    resize(columns);
    ::fcntl(master_, F_SETFL, ::fcntl(master_, F_GETFL) | O_NONBLOCK);

    std::vector<std::string> argv = {SFBULK_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> argp;
    for (auto& arg : argv) argp.push_back(arg.data());
    argp.push_back(nullptr);
    std::vector<std::string> envStrings = {"TERM=xterm"};
    for (const char* keep : {"PATH", "HOME", "LANG"}) {
      if (const char* value = std::getenv(keep))
        envStrings.push_back(std::string(keep) + "=" + value);
    }
    for (const auto& [name, value] : env) envStrings.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& entry : envStrings) envp.push_back(entry.data());
    envp.push_back(nullptr);

    // A new session, and the terminal opened in it becomes its controlling terminal, as a
    // shell's child has it.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, slave.c_str(), O_RDWR, 0);
    posix_spawn_file_actions_adddup2(&actions, 0, 1);
    posix_spawn_file_actions_adddup2(&actions, 0, 2);
    posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    const int rc =
        posix_spawn(&pid_, argv[0].c_str(), &actions, &attributes, argp.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0) {
      ADD_FAILURE() << "cannot start " << argv[0] << ": " << std::strerror(rc);
      pid_ = -1;
    }
  }

  ~TerminalChild() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status_, 0);
    }
    if (master_ >= 0) ::close(master_);
  }
  TerminalChild(const TerminalChild&) = delete;
  TerminalChild& operator=(const TerminalChild&) = delete;

  /// As a user resizing the window does (the terminal tells sfbulk with SIGWINCH).
  void resize(unsigned short columns) {
    winsize size{};
    size.ws_col = columns;
    size.ws_row = columns == 0 ? 0 : 24;
    if (::ioctl(master_, TIOCSWINSZ, &size) != 0) ADD_FAILURE() << "TIOCSWINSZ failed";
  }

  /**
   * Renders what sfbulk writes until `reached(screen)` holds; false when the deadline
   * passed, or sfbulk ended and nothing more came for a while, without it. The screen is
   * checked after every read, so a state that lasts one redraw is seen.
   */
  bool waitFor(const std::function<bool(const Screen&)>& reached,
               std::chrono::seconds timeout = std::chrono::seconds(60)) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + timeout;
    auto lastData = Clock::now();
    while (Clock::now() < deadline) {
      if (reached(screen_)) return true;
      if (readSome(std::chrono::milliseconds(50))) {
        lastData = Clock::now();
      } else if (ended() && Clock::now() - lastData > std::chrono::seconds(3)) {
        break;
      }
    }
    return reached(screen_);
  }

  /// Waits for sfbulk to exit and for the screen to show `finalState`; the exit code.
  int finish(const std::function<bool(const Screen&)>& finalState,
             std::chrono::seconds timeout = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ended() && std::chrono::steady_clock::now() < deadline) {
      readSome(std::chrono::milliseconds(50));
    }
    if (!ended()) {
      ADD_FAILURE() << "sfbulk did not finish within " << timeout.count() << "s";
      return -1;
    }
    // The terminal may pass on the last of what sfbulk wrote a moment after it exited.
    EXPECT_TRUE(waitFor(finalState, std::chrono::seconds(10))) << screen_.text();
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  }

  const Screen& screen() const { return screen_; }
  Screen& screen() { return screen_; }

 private:
  /// Reads what is there within `wait`; whether anything came.
  bool readSome(std::chrono::milliseconds wait) {
    if (master_ < 0) return false;
    pollfd ready{master_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(wait.count())) <= 0) return false;
    bool any = false;
    char buffer[4096];
    for (;;) {
      const ssize_t n = ::read(master_, buffer, sizeof buffer);
      if (n <= 0) break;  // EAGAIN: all read; EIO: sfbulk has closed the terminal
      screen_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
      any = true;
    }
    // A hung-up terminal polls ready at once: wait as if it had not.
    if (!any) std::this_thread::sleep_for(wait);
    return any;
  }

  bool ended() {
    if (pid_ <= 0) return true;
    if (!exited_ && ::waitpid(pid_, &status_, WNOHANG) == pid_) exited_ = true;
    return exited_;
  }

  int master_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
  Screen screen_;
};

/// How the bars' lines start (the job's line, printed once, has a colon after the label).
const std::string kLoadBar = "insert Contact ";
const std::string kQueryBar = "query  ";

/// Whether the widest of the redraws of the bar (the line starting with `prefix`) fits.
::testing::AssertionResult barFits(const Screen& screen, const std::string& prefix,
                                   std::size_t columns) {
  const std::size_t widest = screen.widest(prefix);
  if (widest == 0) {
    return ::testing::AssertionFailure() << "no line starts with '" << prefix << "':\n"
                                         << screen.text();
  }
  if (widest > columns) {
    return ::testing::AssertionFailure() << "the bar was drawn " << widest << " columns wide on a "
                                         << columns << "-column terminal:\n"
                                         << screen.text();
  }
  return ::testing::AssertionSuccess();
}

/// The screen's progress bar line for `label` while rows are still being processed.
std::optional<std::string> barInProgress(const Screen& screen, const std::string& label) {
  static const std::regex kLoadCounts("([0-9,]+)/([0-9,]+) processed");
  for (const auto& line : screen.lines()) {
    if (line.rfind(label, 0) != 0 || contains(line, ": job ")) continue;
    std::smatch counts;
    if (!std::regex_search(line, counts, kLoadCounts)) continue;
    if (counts[1] != "0" && counts[1] != counts[2]) return line;
  }
  return std::nullopt;
}

// Batches take their time, so that the bar is seen while they run.
class CliTerminal : public CliTest {
 protected:
  sfdc::emulator::EmulatorOptions emulatorOptions() override {
    return slowBatches(std::chrono::milliseconds(150), 1);
  }

  std::vector<std::string> loadArgs() {
    std::string csv = "FirstName,LastName\n";
    for (int i = 0; i < 20000; ++i)
      csv += "F" + std::to_string(i) + ",L" + std::to_string(i) + "\n";
    writeFile(file("contacts.csv"), csv);
    return {"load",         "--object",     "Contact", "--operation",   "insert", "--file",
            "contacts.csv", "--batch-size", "1000",    "--concurrency", "1",      "--no-results"};
  }

  /// An in-progress bar that shows the ETA (it needs a rate, so the first redraws lack it).
  static std::function<bool(const Screen&)> loadBarWithEta(std::string* bar) {
    return [bar](const Screen& screen) {
      const auto line = barInProgress(screen, kLoadBar);
      if (line && contains(*line, "ETA ")) *bar = *line;
      return line && contains(*line, "ETA ");
    };
  }

  static bool loadSummaryShown(const Screen& screen) {
    return std::regex_search(screen.text(), std::regex("Job 750\\w+: 20,000 rows, "));
  }
};

TEST_F(CliTerminal, At80ColumnsTheLoadBarKeepsTheCountsAndTheEta) {
  TerminalChild sfbulk(80, loadArgs(), env, dir);
  std::string bar;
  ASSERT_TRUE(sfbulk.waitFor(loadBarWithEta(&bar))) << sfbulk.screen().text();
  // The essential counts and the ETA stay; the least useful parts went to make room.
  EXPECT_TRUE(std::regex_search(bar, std::regex("^insert Contact( \\[[#.]+\\])? \\d+%  "))) << bar;
  EXPECT_TRUE(
      std::regex_search(bar, std::regex("[0-9,]+/20,000 processed  0 failed  ETA \\d+:\\d\\d")))
      << bar;
  EXPECT_FALSE(contains(bar, "elapsed")) << bar;
  EXPECT_FALSE(contains(bar, " sent")) << bar;
  EXPECT_TRUE(barFits(sfbulk.screen(), kLoadBar, 80));

  ASSERT_EQ(sfbulk.finish(loadSummaryShown), 0) << sfbulk.screen().text();
  const auto shown = sfbulk.screen().lines();
  // The job line printed once, the bar left at its final counts, then the summary.
  EXPECT_TRUE(std::regex_search(shown.at(0), std::regex("^insert Contact: job 750\\w+$")))
      << sfbulk.screen().text();
  EXPECT_TRUE(
      std::regex_search(shown.at(1), std::regex("^insert Contact .*100%  20,000/20,000 processed")))
      << sfbulk.screen().text();
  EXPECT_TRUE(loadSummaryShown(sfbulk.screen())) << sfbulk.screen().text();
  EXPECT_TRUE(barFits(sfbulk.screen(), kLoadBar, 80));
}

TEST_F(CliTerminal, At120ColumnsTheLoadBarShowsEverything) {
  TerminalChild sfbulk(120, loadArgs(), env, dir);
  std::string bar;
  ASSERT_TRUE(sfbulk.waitFor(loadBarWithEta(&bar))) << sfbulk.screen().text();
  EXPECT_TRUE(std::regex_search(
      bar, std::regex("^insert Contact( \\[[#.]+\\])? \\d+%  [0-9,]+/20,000 processed  0 failed  "
                      "ETA \\d+:\\d\\d  [0-9,]+ rec/s  batches \\d+/20  [0-9,]+ sent  "
                      "\\d+:\\d\\d elapsed$")))
      << bar;
  EXPECT_TRUE(barFits(sfbulk.screen(), kLoadBar, 120));
  ASSERT_EQ(sfbulk.finish(loadSummaryShown), 0) << sfbulk.screen().text();
  EXPECT_TRUE(contains(sfbulk.screen().text(), "batches 20/20  20,000 sent"))
      << sfbulk.screen().text();
}

TEST_F(CliTerminal, TheBarFollowsAResizedWindow) {
  TerminalChild sfbulk(120, loadArgs(), env, dir);
  std::string bar;
  ASSERT_TRUE(sfbulk.waitFor(loadBarWithEta(&bar))) << sfbulk.screen().text();
  EXPECT_TRUE(contains(bar, " elapsed")) << bar;

  sfbulk.resize(80);
  // The next redraws fit the narrower window (one drawn just before the resize may still
  // be on its way, so widths count from the first narrow one on).
  ASSERT_TRUE(sfbulk.waitFor([&](const Screen& screen) {
    return loadBarWithEta(&bar)(screen) && !contains(bar, "elapsed");
  })) << sfbulk.screen().text();
  sfbulk.screen().forgetWidest();
  EXPECT_EQ(sfbulk.finish(loadSummaryShown), 0) << sfbulk.screen().text();
  EXPECT_TRUE(barFits(sfbulk.screen(), kLoadBar, 80));
}

// A terminal that reports no size: 80 columns, or $COLUMNS when the shell exported it.
TEST_F(CliTerminal, AnUnsizedTerminalGetsEightyColumnsOrColumns) {
  std::string bar;
  {
    TerminalChild sfbulk(0, loadArgs(), env, dir);
    ASSERT_TRUE(sfbulk.waitFor(loadBarWithEta(&bar))) << sfbulk.screen().text();
    EXPECT_FALSE(contains(bar, "elapsed")) << bar;
    ASSERT_EQ(sfbulk.finish(loadSummaryShown), 0) << sfbulk.screen().text();
    EXPECT_TRUE(barFits(sfbulk.screen(), kLoadBar, 80));
  }
  env["COLUMNS"] = "120";
  {
    TerminalChild sfbulk(0, loadArgs(), env, dir);
    ASSERT_TRUE(sfbulk.waitFor(loadBarWithEta(&bar))) << sfbulk.screen().text();
    EXPECT_TRUE(contains(bar, " elapsed")) << bar;
    ASSERT_EQ(sfbulk.finish(loadSummaryShown), 0) << sfbulk.screen().text();
    EXPECT_TRUE(barFits(sfbulk.screen(), kLoadBar, 120));
  }
}

/// The query's bar while the server reports chunk batches done (and one running).
std::function<bool(const Screen&)> queryBarWithServerState(std::string* bar) {
  return [bar](const Screen& screen) {
    static const std::regex kServerState(
        "^query  [0-9,]+ rows  server: [1-9]/10 batches done(, 1 running)?, [1-9]00 records "
        "processed");
    for (const auto& line : screen.lines()) {
      if (std::regex_search(line, kServerState)) {
        *bar = line;
        return true;
      }
    }
    return false;
  };
}

std::function<bool(const Screen&)> querySummaryShown(const std::string& output) {
  return [output](const Screen& screen) {
    return std::regex_search(screen.text(), std::regex("sfbulk: 1,000 rows written to " + output +
                                                       " \\(job 750\\w+\\)"));
  };
}

TEST_F(CliTerminal, TheQueryBarShowsTheServerStateAtBothWidths) {
  seedContacts(1000);
  std::string bar;
  {
    TerminalChild sfbulk(
        80, {"query", "SELECT Id FROM Contact", "--pk-chunking", "100", "-o", "out80.csv"}, env,
        dir);
    ASSERT_TRUE(sfbulk.waitFor(queryBarWithServerState(&bar))) << sfbulk.screen().text();
    EXPECT_FALSE(contains(bar, "elapsed")) << bar;
    ASSERT_EQ(sfbulk.finish(querySummaryShown("out80.csv")), 0) << sfbulk.screen().text();
    EXPECT_TRUE(
        std::regex_search(sfbulk.screen().lines().at(0), std::regex("^query: job 750\\w+$")))
        << sfbulk.screen().text();
    EXPECT_TRUE(barFits(sfbulk.screen(), kQueryBar, 80));
  }
  {
    TerminalChild sfbulk(
        120, {"query", "SELECT Id FROM Contact", "--pk-chunking", "100", "-o", "out120.csv"}, env,
        dir);
    ASSERT_TRUE(sfbulk.waitFor(queryBarWithServerState(&bar))) << sfbulk.screen().text();
    EXPECT_TRUE(std::regex_search(bar, std::regex("records processed(  [0-9,]+ rows/s)?  "
                                                  "\\d+:\\d\\d elapsed$")))
        << bar;
    ASSERT_EQ(sfbulk.finish(querySummaryShown("out120.csv")), 0) << sfbulk.screen().text();
    EXPECT_TRUE(barFits(sfbulk.screen(), kQueryBar, 120));
  }
  EXPECT_EQ(lines(readFile(file("out80.csv"))).size(), 1001u);
  EXPECT_EQ(lines(readFile(file("out120.csv"))).size(), 1001u);
}

}  // namespace
}  // namespace sfbulk::testing
