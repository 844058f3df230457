#include "sdl_mapping.hpp"

#include <cctype>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sfdc/bulk/error.hpp>
#include <unordered_map>

namespace sfbulk {

namespace {

using sfdc::bulk::InvalidArgument;

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

std::string lowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void appendUtf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

/// A logical line: physical lines joined where one ends with an odd number of
/// backslashes, as Java properties files continue lines.
struct LogicalLine {
  std::string text;
  std::size_t line = 0;
};

std::vector<LogicalLine> logicalLines(std::string_view text) {
  std::vector<LogicalLine> out;
  std::size_t pos = 0;
  std::size_t physical = 0;
  bool continuing = false;
  while (pos < text.size()) {
    std::size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end;
    if (pos < text.size() && text[pos] == '\r') {
      ++pos;
      if (pos < text.size() && text[pos] == '\n') ++pos;
    } else if (pos < text.size()) {
      ++pos;  // '\n'
    }
    ++physical;
    std::size_t start = 0;
    while (start < line.size() && isBlank(line[start])) ++start;
    line.remove_prefix(start);
    if (!continuing) {
      if (line.empty() || line.front() == '#' || line.front() == '!') continue;
      out.push_back({std::string(), physical});
    }
    std::size_t backslashes = 0;
    while (backslashes < line.size() && line[line.size() - 1 - backslashes] == '\\') ++backslashes;
    continuing = backslashes % 2 == 1;
    if (continuing) line.remove_suffix(1);
    out.back().text.append(line);
  }
  return out;
}

/// Splits a logical line at its first unescaped `=` or `:` and undoes the escapes of
/// each side. Returns false when there is no separator.
bool splitPair(const std::string& line, std::string& key, std::string& value, bool& keyQuoted) {
  key.clear();
  value.clear();
  std::string* out = &key;
  bool separated = false;
  std::size_t keyEnd = 0;  // key length without unescaped trailing blanks
  keyQuoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\\' && i + 1 < line.size()) {
      const char next = line[++i];
      switch (next) {
        case 't':
          out->push_back('\t');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'u': {
          std::uint32_t code = 0;
          std::size_t digits = 0;
          while (digits < 4 && i + 1 < line.size() &&
                 std::isxdigit(static_cast<unsigned char>(line[i + 1]))) {
            const char h = line[++i];
            code =
                code * 16 + static_cast<std::uint32_t>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
            ++digits;
          }
          if (digits < 4) throw InvalidArgument("a \\u escape needs four hex digits");
          appendUtf8(*out, code);
          break;
        }
        default:
          out->push_back(next);
          break;
      }
      if (!separated) keyEnd = key.size();
      continue;
    }
    if (!separated && (c == '=' || c == ':')) {
      separated = true;
      key.resize(keyEnd);
      out = &value;
      continue;
    }
    if (separated && value.empty() && isBlank(c)) continue;  // blanks after the separator
    out->push_back(c);
    if (!separated && !isBlank(c)) keyEnd = key.size();
  }
  if (!separated) return false;
  keyQuoted = key.size() >= 2 && key.front() == '"' && key.back() == '"';
  return true;
}

std::string trimBlanks(std::string_view text) {
  while (!text.empty() && isBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && isBlank(text.back())) text.remove_suffix(1);
  return std::string(text);
}

std::vector<std::string> fieldList(const std::string& value) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = value.find(',', start);
    std::string field = trimBlanks(std::string_view(value).substr(
        start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!field.empty()) fields.push_back(std::move(field));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return fields;
}

}  // namespace

SdlMapping parseSdlMapping(std::string_view text, const std::string& name) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  SdlMapping mapping;
  mapping.name = name;
  // Lower-cased column and field names → the line that used them: Salesforce field
  // names are not case-sensitive, and columns are matched without case as Data Loader
  // does.
  std::unordered_map<std::string, std::size_t> columns;
  std::unordered_map<std::string, std::size_t> fields;
  for (const LogicalLine& logical : logicalLines(text)) {
    const std::string where = name + " line " + std::to_string(logical.line) + ": ";
    std::string key;
    std::string value;
    bool quoted = false;
    try {
      if (!splitPair(logical.text, key, value, quoted)) {
        throw InvalidArgument("expected CSV_COLUMN=SalesforceField, got '" + logical.text + "'");
      }
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(where + e.what());
    }
    SdlMappingEntry entry;
    entry.line = logical.line;
    entry.fields = fieldList(value);
    if (quoted) {
      entry.constant = key.substr(1, key.size() - 2);
      if (entry.fields.empty()) {
        throw InvalidArgument(where + "the constant " + key + " is given no Salesforce field");
      }
    } else {
      if (key.empty()) {
        throw InvalidArgument(where +
                              "no CSV column before '=' (a constant goes in double "
                              "quotes: \"value\"=Field)");
      }
      entry.column = key;
      const auto [it, inserted] = columns.emplace(lowerAscii(key), logical.line);
      if (!inserted) {
        throw InvalidArgument(where + "the column '" + key + "' is already mapped on line " +
                              std::to_string(it->second) +
                              " (give all its fields on one line: Column=Field1, Field2)");
      }
    }
    for (const std::string& field : entry.fields) {
      const auto [it, inserted] = fields.emplace(lowerAscii(field), logical.line);
      if (!inserted) {
        throw InvalidArgument(where + "the Salesforce field '" + field +
                              "' is already filled on line " + std::to_string(it->second));
      }
    }
    mapping.entries.push_back(std::move(entry));
  }
  if (mapping.entries.empty()) {
    throw InvalidArgument(name +
                          ": the mapping file maps no column (expected "
                          "CSV_COLUMN=SalesforceField lines)");
  }
  return mapping;
}

SdlMapping readSdlMapping(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw sfdc::bulk::FileError("cannot read the mapping file " + path, path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw sfdc::bulk::FileError("cannot read the mapping file " + path, path);
  return parseSdlMapping(text, path);
}

}  // namespace sfbulk
