#include "bulk2_csv.hpp"

#include <algorithm>

namespace sfdc::emulator::server {

CsvRecords splitRecords(std::string_view data) {
  CsvRecords out;
  // A UTF-8 BOM is left on the first header cell, as the service does: it then fails the
  // job naming the column.
  std::size_t begin = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == '\n') {
      const bool crlf = i > begin && data[i - 1] == '\r';
      out.spans.emplace_back(begin, crlf ? i - 1 : i);
      ++(crlf ? out.crlfTerminators : out.lfTerminators);
      begin = i + 1;
    }
  }
  if (begin < data.size()) out.spans.emplace_back(begin, data.size());
  return out;
}

std::vector<std::string> splitCells(std::string_view record, char delimiter) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < record.size(); ++i) {
    const char c = record[i];
    if (quoted) {
      if (c == '"' && i + 1 < record.size() && record[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cells.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == delimiter) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

char delimiterOf(const std::string& name) {
  if (name == "COMMA") return ',';
  if (name == "TAB") return '\t';
  if (name == "SEMICOLON") return ';';
  if (name == "PIPE") return '|';
  if (name == "CARET") return '^';
  if (name == "BACKQUOTE") return '`';
  return 0;
}

void appendQuoted(std::string& out, std::string_view text) {
  out += '"';
  for (auto quote = text.find('"'); quote != std::string_view::npos; quote = text.find('"')) {
    out.append(text.substr(0, quote + 1));
    out += '"';
    text.remove_prefix(quote + 1);
  }
  out.append(text);
  out += '"';
}

std::string_view CsvResults::slice(std::size_t first, std::size_t last) const {
  last = std::min(last, rowCount());
  if (first >= last) return {};
  return std::string_view(rows).substr(rowStarts[first], rowStarts[last] - rowStarts[first]);
}

CsvResults writeCsvResults(const std::vector<std::string>& columns,
                           const std::vector<std::vector<std::optional<std::string>>>& rows,
                           char delimiter, std::string_view lineEnd) {
  CsvResults out;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c > 0) out.header += delimiter;
    appendQuoted(out.header, columns[c]);
  }
  out.header.append(lineEnd);
  out.rowStarts.reserve(rows.size() + 1);
  for (const auto& row : rows) {
    out.rowStarts.push_back(out.rows.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) out.rows += delimiter;
      appendQuoted(out.rows, c < row.size() && row[c] ? std::string_view(*row[c]) : "");
    }
    out.rows.append(lineEnd);
  }
  out.rowStarts.push_back(out.rows.size());
  return out;
}

}  // namespace sfdc::emulator::server
