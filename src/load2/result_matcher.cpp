#include "result_matcher.hpp"

#include <fstream>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>

#include "../codec/error_cell.hpp"

namespace sfdc::bulk::detail::load2 {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool isServiceColumn(const std::string& name) { return lower(name).rfind("sf__", 0) == 0; }

std::size_t findColumn(const std::vector<std::string>& header, std::string_view name) {
  const std::string wanted = lower(name);
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (lower(header[i]) == wanted) return i;
  }
  return header.size();
}

}  // namespace

ResultMatcher::ResultMatcher(std::string bodyPath, JobOutcomes& outcomes)
    : bodyPath_(std::move(bodyPath)), outcomes_(outcomes) {
  std::ifstream in(bodyPath_, std::ios::binary);
  if (!in) throw Error("load: cannot read the spooled job data '" + bodyPath_ + "'");
  CsvReader reader(in);
  if (!reader.next(inputHeader_)) inputHeader_.clear();
}

void ResultMatcher::buildIndex(const std::vector<std::size_t>& inputColumns) {
  index_.clear();
  std::ifstream in(bodyPath_, std::ios::binary);
  if (!in) throw Error("load: cannot read the spooled job data '" + bodyPath_ + "'");
  CsvReader reader(in);
  std::vector<std::string> cells;
  reader.next(cells);  // the header
  // Rows that already have an outcome are left out, so a rebuilt index (a result file
  // echoing other columns) only offers the rows still free.
  index_.reserve(outcomes_.unassigned());
  for (std::size_t row = 0; row < outcomes_.size() && reader.next(cells); ++row) {
    if (outcomes_.assigned(row)) continue;
    index_.add(rowKey(cells, inputColumns), static_cast<std::uint32_t>(row));
  }
  indexedColumns_ = inputColumns;
  indexed_ = true;
}

std::uint64_t ResultMatcher::consume(Bulk2CsvReader& reader, IngestResultKind kind) {
  const std::vector<std::string> header = reader.header();
  if (header.empty()) return 0;  // an empty file: no rows of that kind
  // The input columns this file echoes, by name (the service matches names without
  // regard to case and may leave out columns it did not recognise). Rows are keyed by
  // those columns only, so rows that differ only in a column the file leaves out are
  // taken as interchangeable; no file of a job that processed rows is known to do so.
  std::vector<std::size_t> inputColumns;
  std::vector<std::size_t> resultColumns;
  for (std::size_t column = 0; column < inputHeader_.size(); ++column) {
    const std::size_t at = findColumn(header, inputHeader_[column]);
    if (at == header.size() || isServiceColumn(header[at])) continue;
    inputColumns.push_back(column);
    resultColumns.push_back(at);
  }
  if (!indexed_ || inputColumns != indexedColumns_) buildIndex(inputColumns);
  const std::size_t idAt = findColumn(header, "sf__Id");
  const std::size_t createdAt = findColumn(header, "sf__Created");
  const std::size_t errorAt = findColumn(header, "sf__Error");

  std::uint64_t unmatched = 0;
  std::vector<std::string> cells;
  std::vector<std::string> keyCells;
  std::vector<std::size_t> positions(resultColumns.size());
  for (std::size_t i = 0; i < positions.size(); ++i) positions[i] = i;
  while (reader.nextRow(cells)) {
    keyCells.clear();
    for (const std::size_t at : resultColumns) {
      keyCells.push_back(at < cells.size() ? cells[at] : std::string());
    }
    const std::optional<std::uint32_t> row = index_.take(rowKey(keyCells, positions));
    if (!row) {
      ++unmatched;
      continue;
    }
    const auto index = static_cast<std::size_t>(*row);
    const std::string_view id =
        idAt < cells.size() ? std::string_view(cells[idAt]) : std::string_view();
    switch (kind) {
      case IngestResultKind::Successful:
        outcomes_.succeed(index, id, createdAt < cells.size() && lower(cells[createdAt]) == "true");
        break;
      case IngestResultKind::Failed:
        outcomes_.fail(index, id,
                       errorAt < cells.size() ? parseCsvErrorCell(cells[errorAt])
                                              : std::vector<RecordError>{});
        break;
      case IngestResultKind::Unprocessed:
        outcomes_.unprocessed(index);
        break;
    }
  }
  return unmatched;
}

}  // namespace sfdc::bulk::detail::load2
