#pragma once

// Cuts a record source into batch bodies that respect the Bulk API limits (wire
// reference §8): records per batch, bytes per body and characters per body, counting
// the CSV header repeated in every batch and the JSON/XML envelope. Bodies are written
// to spool files as they are built, so memory holds one record at a time, not a batch.

#include <cstdint>
#include <exception>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sfdc/bulk/limits.hpp>
#include <sfdc/bulk/load.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <string>
#include <vector>

#include "body_digest.hpp"
#include "csv_row_json.hpp"
#include "key_partitioner.hpp"
#include "spool.hpp"

namespace sfdc::bulk::detail::load {

struct BatchLimits {
  std::size_t maxRecords = kMaxRecordsPerBatch;
  std::size_t maxBytes = kMaxBatchBytes;
  std::size_t maxCharacters = kMaxBatchCharacters;
};

/// One batch, spooled.
struct SplitBatch {
  std::uint64_t index = 0;     ///< 0-based position in the load
  std::uint64_t firstRow = 0;  ///< 1-based input row of its first record
  std::size_t rowCount = 0;
  std::size_t bodyBytes = 0;
  std::uint64_t bodyDigest = 0;  ///< BodyDigest of the body's bytes
  /// CSV sources: the bytes of its rows in the input, [inputBegin, inputEnd), counted
  /// from the first data row (the header excluded).
  std::uint64_t inputBegin = 0;
  std::uint64_t inputEnd = 0;
  std::string bodyPath;  ///< empty for a placeholder (an invalid row, never sent)
  /// A CSV file (header + one row per record, in batch order) holding the input rows for
  /// the success/error files: the body itself for CSV jobs, a side file for JSON/XML
  /// jobs and for readers whose rows differ from their input (rewritesRows), empty when
  /// no result file was asked for.
  std::string rowsPath;
  /// The input row of each record, when the batch's rows are not firstRow, firstRow + 1,
  /// ... (grouped loads and lock retries); empty otherwise.
  std::vector<std::uint64_t> rows;
  /// Grouped loads: the batch's first group also ends the previous batch, so the two
  /// must not run at the same time (they would wait for each other's locks).
  bool continuesGroup = false;

  /// The input row of record `i`.
  std::uint64_t rowAt(std::size_t i) const { return rows.empty() ? firstRow + i : rows[i]; }
};

class BatchSplitter {
 public:
  /// `serializer` writes records for JSON/XML jobs and for record sources; it is unused
  /// (may be null) when a CSV source feeds a CSV job, whose rows are copied verbatim.
  /// `keepRows` asks for rowsPath files (needed only for the result files). A
  /// KeyPartitioner reader also gives each batch its input row numbers, cuts batches
  /// where it suggests, and marks batches that continue the previous one's group.
  BatchSplitter(RecordSource::Reader& reader, ContentType contentType,
                PayloadSerializer* serializer, BatchLimits limits, bool keepRows,
                const SpoolDir& spool);
  ~BatchSplitter();
  BatchSplitter(const BatchSplitter&) = delete;
  BatchSplitter& operator=(const BatchSplitter&) = delete;

  /**
   * The next batch, or nullopt at the end of the source.
   *
   * Bad input (a row with the wrong field count, a record the serializer refuses, a
   * record too large for any batch, an exception from the source) stops the split at
   * that row: the rows before it still come out as a batch, and the following call
   * throws the error, which names the row. So a caller that sends every batch it gets
   * has loaded exactly the rows before the bad one, and can resume from it.
   */
  std::optional<SplitBatch> next();

  /// Rows read from the source so far (including a row waiting for the next batch).
  std::uint64_t rowsRead() const noexcept { return rowsRead_; }

  /// After next() threw: the 1-based input row that caused it, or 0 when the error is
  /// not about one row (the source itself failed).
  std::uint64_t failedRow() const noexcept { return failedRow_; }
  /// After next() threw for a row: carry on with the row after it, so that the rest of
  /// the source can still be accounted for. The reader decides whether it can go on.
  void resume() noexcept;
  /// A one-row batch standing for invalid row `row`, never to be sent: its rows file
  /// (when result files are kept) has the header and empty cells, so the row still gets
  /// its line in the error file.
  SplitBatch placeholder(std::uint64_t row);
  /// True when a CSV source is copied into CSV bodies byte for byte.
  bool rawCsv() const noexcept { return rawCsv_; }
  /// Before the first next(): end every row of the bodies, the header included, with
  /// `ending` (LoadOptions::lineEnding); unset keeps each row's own. Throws
  /// InvalidArgument unless a CSV source feeds CSV bodies.
  void endRowsWith(std::optional<LineEnding> ending);

 private:
  enum class ReadResult { Row, End };
  ReadResult readRow();
  void openBatch();
  void finishBatch(SplitBatch& out);
  void discardBatch();
  // Encodes the pending row for the open batch into scratch_ (body bytes) and
  // rowsLine_ (side-file line); returns the body byte count.
  void encodePending();
  void writeRowsHeader();
  // True when CSV rows go to the JSON body through rowJson_ instead of records (decided
  // at the first row, when the header is known).
  bool writesRowsAsJson(const std::vector<std::string>& header);
  // `row` (one CSV record with its line end) ended by lineEnd_ instead.
  void reEnd(std::string& row) const;
  void writeBody(std::string_view bytes);
  std::size_t countChars(std::string_view text) const;
  [[noreturn]] void throwTooLarge(std::size_t bytes, bool characters) const;

  RecordSource::Reader& reader_;
  KeyPartitioner* grouped_ = nullptr;  // the reader, when it regroups the source
  std::string lastKey_;                // grouped: the value of the last row placed
  bool haveLastKey_ = false;
  ContentType contentType_;
  PayloadSerializer* serializer_;
  BatchLimits limits_;
  bool keepRows_;
  const SpoolDir& spool_;
  bool rawCsv_ = false;
  bool sideRows_ = false;   // rowsPath is a separate CSV file
  bool inputRows_ = false;  // the result files take the reader's inputHeader/inputFields
  bool countCharacters_ = false;
  std::size_t trailerAllowance_ = 0;
  std::string lineEnd_;  // empty: rows keep their own line ends

  // The row read from the source but not yet placed in a batch.
  bool havePending_ = false;
  std::uint64_t pendingRow_ = 0;
  std::string pendingKey_;     // grouped sources: the row's grouping value
  bool pendingBreak_ = false;  // grouped sources: the row should start a batch
  std::string pendingRaw_;
  std::vector<std::string> pendingFields_;
  std::vector<std::string> pendingInputFields_;  // inputRows_: the row's cells in the input
  std::uint64_t pendingOffset_ = 0;              // CSV sources: where the pending row starts
  std::uint64_t inputBytes_ = 0;                 // CSV sources: bytes of the rows read so far
  nlohmann::json pendingRecord_;
  bool rowJsonDecided_ = false;
  std::optional<CsvRowJson> rowJson_;

  std::uint64_t rowsRead_ = 0;
  std::uint64_t failedRow_ = 0;
  std::uint64_t nextIndex_ = 0;
  bool done_ = false;
  std::exception_ptr deferred_;

  // The open batch.
  bool open_ = false;
  SplitBatch batch_;
  std::size_t chars_ = 0;
  std::ofstream body_;
  BodyDigest digest_;
  std::ofstream rows_;
  std::string scratch_;
  std::string rowsLine_;
  std::vector<std::string> sideColumns_;  // record sources: columns of the side file
  std::vector<std::string> rowsColumns_;  // header of the rows files, known after one batch
  std::vector<std::string> cells_;
};

}  // namespace sfdc::bulk::detail::load
