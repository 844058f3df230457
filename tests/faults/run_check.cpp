#include "run_check.hpp"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sfdc/bulk/csv.hpp>
#include <sstream>

#include "exit_codes.hpp"
#include "org.hpp"

namespace sfdc::bulk::soak {

namespace {

namespace fs = std::filesystem;

/// The code sfbulk exits with when it found rows created twice.
constexpr int kExitDuplicatesDetected = 10;

constexpr const char* kDomain = "@example.com";

/// Counts per input row (index = row) and a few example rows for messages.
class RowTally {
 public:
  explicit RowTally(std::uint64_t rows) : counts_(rows + 1, 0) {}
  void add(std::uint64_t row) { ++counts_[row]; }
  std::uint32_t operator[](std::uint64_t row) const { return counts_[row]; }

 private:
  std::vector<std::uint32_t> counts_;
};

class Examples {
 public:
  void note(std::uint64_t row) {
    ++count_;
    if (rows_.size() < 3) rows_.push_back(row);
  }
  std::uint64_t count() const { return count_; }
  std::string text() const {
    std::string out;
    for (auto row : rows_) out += (out.empty() ? "row " : ", ") + std::to_string(row);
    return out + (count_ > rows_.size() ? ", ..." : "");
  }

 private:
  std::uint64_t count_ = 0;
  std::vector<std::uint64_t> rows_;
};

/// A result file's rows as (key, extra column) pairs; nullopt when the file is absent.
struct ResultRows {
  std::vector<std::pair<std::string, std::string>> rows;
  std::string problem;  // why it could not be read
};

std::optional<ResultRows> readResultFile(const fs::path& path, const std::string& extraColumn) {
  if (!fs::exists(path)) return std::nullopt;
  ResultRows out;
  std::ifstream in(path, std::ios::binary);
  try {
    CsvReader reader(in);
    std::vector<std::string> fields;
    if (!reader.next(fields)) return out;  // empty file: no rows
    std::size_t keyColumn = fields.size();
    std::size_t extra = fields.size();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i] == "Email") keyColumn = i;
      if (fields[i] == extraColumn) extra = i;
    }
    if (keyColumn == fields.size() || extra == fields.size()) {
      out.problem = path.filename().string() + " has no Email or " + extraColumn + " column";
      return out;
    }
    while (reader.next(fields)) {
      out.rows.emplace_back(keyColumn < fields.size() ? fields[keyColumn] : "",
                            extra < fields.size() ? fields[extra] : "");
    }
  } catch (const std::exception& e) {
    out.problem = path.filename().string() + " is not valid CSV: " + e.what();
  }
  return out;
}

std::optional<nlohmann::json> summaryOf(const std::string& stdoutText) {
  const auto begin = stdoutText.find('{');
  const auto end = stdoutText.rfind('}');
  if (begin == std::string::npos || end == std::string::npos || end < begin) return std::nullopt;
  try {
    return nlohmann::json::parse(stdoutText.substr(begin, end - begin + 1));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string lastLines(const std::string& text, std::size_t maxChars = 400) {
  std::string trimmed = text;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r')) trimmed.pop_back();
  if (trimmed.size() > maxChars) trimmed = "..." + trimmed.substr(trimmed.size() - maxChars);
  return trimmed.empty() ? "(empty)" : trimmed;
}

}  // namespace

std::string SoakInput::key(std::uint64_t row) const {
  return prefix + std::to_string(row) + kDomain;
}

std::uint64_t SoakInput::rowOf(const std::string& key) const {
  const std::size_t suffix = key.size() >= prefix.size() + std::char_traits<char>::length(kDomain)
                                 ? key.size() - std::char_traits<char>::length(kDomain)
                                 : std::string::npos;
  if (suffix == std::string::npos || key.compare(0, prefix.size(), prefix) != 0 ||
      key.compare(suffix, std::string::npos, kDomain) != 0 || suffix == prefix.size()) {
    return 0;
  }
  std::uint64_t row = 0;
  for (std::size_t i = prefix.size(); i < suffix; ++i) {
    if (key[i] < '0' || key[i] > '9') return 0;
    row = row * 10 + static_cast<std::uint64_t>(key[i] - '0');
    if (row > rows) return 0;
  }
  return row;
}

void writeInputCsv(const SoakInput& input, const fs::path& path) {
  std::string text = "LastName,FirstName,Email\n";
  text.reserve(input.rows * 48);
  for (std::uint64_t row = 1; row <= input.rows; ++row) {
    const std::string n = std::to_string(row);
    text += "Soak" + n + ",Row" + n + "," + input.key(row) + "\n";
  }
  std::ofstream(path, std::ios::binary) << text;
}

bool isDocumentedLoadExit(int exitCode) {
  return exitCode == sfbulk::kExitPartialFailure || exitCode == sfbulk::kExitApi ||
         exitCode == sfbulk::kExitTimeout || exitCode == sfbulk::kExitNetwork ||
         exitCode == kExitDuplicatesDetected;
}

RunCheck checkRun(const SoakInput& input, const emulator::Org& org, const LoadEvidence& evidence) {
  RunCheck check;
  check.rowsChecked = input.rows;
  auto problem = [&check](std::string text) { check.problems.push_back(std::move(text)); };
  const int exit = evidence.exitCode;
  const bool ok = exit == sfbulk::kExitOk;
  const bool ranToTheEnd = ok || exit == sfbulk::kExitPartialFailure;
  if (!ok && !isDocumentedLoadExit(exit)) {
    problem("exit " + std::to_string(exit) +
            " is not a documented outcome of a load under network faults; stderr: " +
            lastLines(evidence.stderrText));
  }

  // The org, by key.
  RowTally inOrg(input.rows);
  std::map<std::string, std::uint64_t> rowOfId;
  std::uint64_t foreign = 0;
  const emulator::QueryOutput records = org.query("SELECT Id, Email FROM Contact", false);
  for (const auto& record : records.rows) {
    const std::uint64_t row = record[1] ? input.rowOf(*record[1]) : 0;
    if (row == 0) {
      ++foreign;
      continue;
    }
    inOrg.add(row);
    if (record[0]) rowOfId[*record[0]] = row;
  }
  if (foreign > 0) problem(std::to_string(foreign) + " records in the org are not input rows");

  // The result files.
  RowTally succeeded(input.rows);
  RowTally failed(input.rows);
  std::uint64_t successRows = 0;
  std::uint64_t errorRows = 0;
  const auto success = readResultFile(evidence.successFile, "sf__Id");
  const auto errors = readResultFile(evidence.errorFile, "sf__Error");
  if (ok && !success) problem("exit 0 but no success file");
  Examples unknownRows;
  Examples wrongIds;
  if (success) {
    if (!success->problem.empty()) problem(success->problem);
    for (const auto& [key, id] : success->rows) {
      ++successRows;
      const std::uint64_t row = input.rowOf(key);
      if (row == 0) {
        unknownRows.note(successRows);
        continue;
      }
      succeeded.add(row);
      const auto found = rowOfId.find(id);
      if (found == rowOfId.end() || found->second != row) wrongIds.note(row);
    }
  }
  if (errors) {
    if (!errors->problem.empty()) problem(errors->problem);
    for (const auto& [key, message] : errors->rows) {
      ++errorRows;
      const std::uint64_t row = input.rowOf(key);
      if (row == 0) {
        unknownRows.note(successRows + errorRows);
        continue;
      }
      failed.add(row);
    }
  }
  if (unknownRows.count() > 0) {
    problem(std::to_string(unknownRows.count()) + " result rows name no input row");
  }
  if (wrongIds.count() > 0) {
    problem(std::to_string(wrongIds.count()) +
            " success rows carry an id the org does not hold for that row (" + wrongIds.text() +
            ")");
  }

  // Row by row.
  Examples lost, duplicated, misreported, twice, unreported, missing;
  for (std::uint64_t row = 1; row <= input.rows; ++row) {
    const std::uint32_t copies = inOrg[row];
    const std::uint32_t reported = succeeded[row] + failed[row];
    if (copies > 1) duplicated.note(row);
    if (copies == 0 && failed[row] == 0) lost.note(row);
    if (copies > 0 && failed[row] > 0) misreported.note(row);
    if (reported > 1) twice.note(row);
    if (reported == 0) unreported.note(row);
    if (copies == 0) missing.note(row);
  }
  check.lost = lost.count();
  check.duplicated = duplicated.count();
  check.misreported = misreported.count();
  check.reportedTwice = twice.count();
  check.unreported = unreported.count();
  if (check.duplicated > 0) {
    problem(std::to_string(check.duplicated) + " input rows are in the org more than once (" +
            duplicated.text() + ")" +
            (exit == kExitDuplicatesDetected ? " (sfbulk said so with exit 10)" : ""));
  }
  if (check.lost > 0) {
    problem(std::to_string(check.lost) +
            " input rows are neither in the org nor in the error file (" + lost.text() + ")");
  }
  if (check.misreported > 0) {
    problem(std::to_string(check.misreported) +
            " input rows are in the error file but the org holds them (" + misreported.text() +
            ")");
  }
  if (check.reportedTwice > 0) {
    problem(std::to_string(check.reportedTwice) + " input rows appear in the result files twice (" +
            twice.text() + ")");
  }
  if (ranToTheEnd && check.unreported > 0) {
    problem(std::to_string(check.unreported) +
            " input rows are in no result file although the load ran to the end (" +
            unreported.text() + ")");
  }
  if (ok && missing.count() > 0) {
    problem("exit 0 but " + std::to_string(missing.count()) + " input rows are not in the org (" +
            missing.text() + ")");
  }
  if (ok && errorRows > 0)
    problem("exit 0 but the error file holds " + std::to_string(errorRows) + " rows");

  // The summary.
  const auto summary = summaryOf(evidence.stdoutText);
  const std::string jobId = summary && summary->contains("jobId") && (*summary)["jobId"].is_string()
                                ? (*summary)["jobId"].get<std::string>()
                                : std::string();
  if (!summary) {
    problem("no JSON summary on stdout (exit " + std::to_string(exit) +
            "); stderr: " + lastLines(evidence.stderrText));
  } else if (jobId.empty() && !evidence.serverJobs.empty()) {
    problem("the summary names no job although the load used " + *evidence.serverJobs.begin());
  } else if (!jobId.empty() && evidence.serverJobs.count(jobId) == 0) {
    problem("the summary names job " + jobId + ", which the server never saw");
  }
  if (summary && ranToTheEnd) {
    const auto number = [&](const char* name) {
      return summary->contains(name) && (*summary)[name].is_number_unsigned()
                 ? (*summary)[name].get<std::uint64_t>()
                 : std::uint64_t{0};
    };
    if (number("succeeded") != successRows) {
      problem("the summary counts " + std::to_string(number("succeeded")) +
              " succeeded rows, the success file holds " + std::to_string(successRows));
    }
    if (number("failed") + number("notProcessed") != errorRows) {
      problem("the summary counts " + std::to_string(number("failed") + number("notProcessed")) +
              " failed or unprocessed rows, the error file holds " + std::to_string(errorRows));
    }
  }
  return check;
}

}  // namespace sfdc::bulk::soak
