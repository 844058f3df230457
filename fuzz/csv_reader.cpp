// CsvReader over arbitrary bytes. Besides not crashing, the rows must not depend on how
// the bytes arrive (one read, or many small ones), and every row read must survive being
// written back with appendCsvRow and read again.

#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <string>
#include <vector>

#include "fuzz_support.hpp"

namespace {

using Rows = std::vector<std::vector<std::string>>;

struct Reading {
  Rows rows;
  std::string raw;  // the rawRow() of every row, concatenated
  bool failed = false;
};

Reading readAll(sfdc::bulk::CsvReader reader) {
  Reading reading;
  std::vector<std::string> fields;
  try {
    while (reader.next(fields)) {
      reading.rows.push_back(fields);
      reading.raw.append(reader.rawRow());
    }
  } catch (const sfdc::bulk::ParseError&) {
    reading.failed = true;
  }
  return reading;
}

// Rows appendCsvRow writes in a form the reader does not give back, left out of the
// round trip so that the run goes on to find other problems: one empty field is written
// as a blank line, which readers skip; a first field starting with a UTF-8 BOM is written
// unquoted at the start of the file, where the reader drops it as a BOM.
bool notRoundTripped(const std::vector<std::string>& row, bool first) {
  if (row.size() == 1 && row.front().empty()) return true;
  return first && !row.empty() && row.front().rfind("\xEF\xBB\xBF", 0) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fuzz = sfdc::bulk::fuzz;
  const std::string_view text = fuzz::asText(data, size);

  const Reading whole = readAll(sfdc::bulk::CsvReader::fromString(text));
  // The smallest buffer the reader accepts, filled a few bytes at a time.
  const Reading pieces =
      readAll(sfdc::bulk::CsvReader(fuzz::chunkedReader(text, fuzz::smallChunk(text)), 1));
  if (whole.failed != pieces.failed || whole.rows != pieces.rows || whole.raw != pieces.raw) {
    fuzz::fail("CsvReader returns different rows when the input arrives in small reads");
  }

  std::string written;
  Rows expected;
  for (const auto& row : whole.rows) {
    if (notRoundTripped(row, written.empty())) continue;
    sfdc::bulk::appendCsvRow(written, row);
    expected.push_back(row);
  }
  const Reading again = readAll(sfdc::bulk::CsvReader::fromString(written));
  if (again.failed || again.rows != expected) {
    fuzz::fail("rows written by appendCsvRow do not read back the same");
  }
  return 0;
}
