// Wire names of the 2.0 enumerations and the job handles built from a jobInfo.

#include <array>
#include <sfdc/bulk/bulk2_types.hpp>
#include <sfdc/bulk/error.hpp>
#include <utility>

namespace sfdc::bulk {
namespace {

template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr NameTable<Bulk2JobState, 6> kStates{{{Bulk2JobState::Open, "Open"},
                                               {Bulk2JobState::UploadComplete, "UploadComplete"},
                                               {Bulk2JobState::InProgress, "InProgress"},
                                               {Bulk2JobState::JobComplete, "JobComplete"},
                                               {Bulk2JobState::Failed, "Failed"},
                                               {Bulk2JobState::Aborted, "Aborted"}}};

constexpr NameTable<ColumnDelimiter, 6> kDelimiters{{{ColumnDelimiter::Comma, "COMMA"},
                                                     {ColumnDelimiter::Backquote, "BACKQUOTE"},
                                                     {ColumnDelimiter::Caret, "CARET"},
                                                     {ColumnDelimiter::Pipe, "PIPE"},
                                                     {ColumnDelimiter::Semicolon, "SEMICOLON"},
                                                     {ColumnDelimiter::Tab, "TAB"}}};

constexpr NameTable<LineEnding, 2> kLineEndings{
    {{LineEnding::LF, "LF"}, {LineEnding::CRLF, "CRLF"}}};

template <typename Enum, std::size_t N>
std::string_view nameOf(const NameTable<Enum, N>& table, Enum value) noexcept {
  for (const auto& [item, name] : table) {
    if (item == value) return name;
  }
  return "?";
}

template <typename Enum, std::size_t N>
Enum parseName(const NameTable<Enum, N>& table, std::string_view text, const char* what) {
  for (const auto& [item, name] : table) {
    if (name == text) return item;
  }
  std::string known;
  for (const auto& entry : table) {
    if (!known.empty()) known += ", ";
    known += entry.second;
  }
  throw ParseError("unknown Bulk API 2.0 " + std::string(what) + " '" +
                   std::string(text.substr(0, 64)) + "' (expected one of " + known + ")");
}

}  // namespace

std::string_view toString(Bulk2JobState state) noexcept { return nameOf(kStates, state); }
std::string_view toString(ColumnDelimiter delimiter) noexcept {
  return nameOf(kDelimiters, delimiter);
}
std::string_view toString(LineEnding ending) noexcept { return nameOf(kLineEndings, ending); }

Bulk2JobState parseBulk2JobState(std::string_view text) {
  return parseName(kStates, text, "job state");
}
ColumnDelimiter parseColumnDelimiter(std::string_view text) {
  return parseName(kDelimiters, text, "columnDelimiter");
}
LineEnding parseLineEnding(std::string_view text) {
  return parseName(kLineEndings, text, "lineEnding");
}

char delimiterChar(ColumnDelimiter delimiter) noexcept {
  switch (delimiter) {
    case ColumnDelimiter::Comma:
      return ',';
    case ColumnDelimiter::Backquote:
      return '`';
    case ColumnDelimiter::Caret:
      return '^';
    case ColumnDelimiter::Pipe:
      return '|';
    case ColumnDelimiter::Semicolon:
      return ';';
    case ColumnDelimiter::Tab:
      return '\t';
  }
  return ',';
}

bool isTerminal(Bulk2JobState state) noexcept {
  return state == Bulk2JobState::JobComplete || state == Bulk2JobState::Failed ||
         state == Bulk2JobState::Aborted;
}

IngestJob IngestJob::from(const Bulk2JobInfo& info) {
  IngestJob job;
  job.id = info.id;
  job.operation = info.operation;
  job.object = info.object;
  job.columnDelimiter = info.columnDelimiter;
  job.lineEnding = info.lineEnding;
  job.externalIdFieldName = info.externalIdFieldName;
  return job;
}

QueryJob QueryJob::from(const Bulk2JobInfo& info) {
  QueryJob job;
  job.id = info.id;
  job.operation = info.operation;
  job.columnDelimiter = info.columnDelimiter;
  job.lineEnding = info.lineEnding;
  return job;
}

}  // namespace sfdc::bulk
