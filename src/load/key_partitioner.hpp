#pragma once

// LoadOptions::groupBy: the source's rows handed out again so that rows with one value of
// the grouping column are adjacent, and batches can be cut so that each value's rows sit
// in as few batches as possible. Child records lock their parent while they are written;
// two batches running at once with children of one parent wait for each other's locks.
//
// Memory stays bounded: the first pass writes every row to one of a fixed number of
// spill files by a hash of its value. Each file is then regrouped on its own: in memory
// when it is small enough, streamed unchanged when it holds a single value (one parent
// owning most rows), and split again with another hash otherwise. Groups come out
// largest first (files by size, groups within a file by row count), so the longest chain
// of batches that must run one after another starts early.

#include <cstdint>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/load.hpp>
#include <string>
#include <vector>

#include "spool.hpp"

namespace sfdc::bulk::detail::load {

struct GroupingLimits {
  /// Batch limits, to place group boundaries where batches are cut.
  std::size_t maxRecords = kMaxRecordsPerBatch;
  std::size_t maxBytes = kMaxBatchBytes;
  /// Largest spill file regrouped in memory.
  std::size_t memoryBytes = std::size_t{32} << 20;
  /// Spill files per pass.
  std::size_t partitions = 64;
};

class KeyPartitioner final : public RecordSource::Reader {
 public:
  /// Reads `source` to its end, into spill files under `spool`. Throws InvalidArgument
  /// when a CSV source has no column `column` (field names are not case-sensitive) or a
  /// record source has no record with that field, and passes on the source's errors for
  /// invalid rows: nothing has been sent at that point.
  KeyPartitioner(RecordSource::Reader& source, std::string column, const SpoolDir& spool,
                 GroupingLimits limits = {});
  ~KeyPartitioner() override;
  KeyPartitioner(const KeyPartitioner&) = delete;
  KeyPartitioner& operator=(const KeyPartitioner&) = delete;

  const std::vector<std::string>& csvHeader() override { return header_; }
  bool nextCsvRow(std::string& raw, std::vector<std::string>& fields) override;
  bool nextRecord(nlohmann::json& record) override;
  bool isCsv() const override { return csv_; }
  std::string sourcePath() const override { return sourcePath_; }

  /// The 1-based input row of the row last handed out.
  std::uint64_t row() const noexcept { return row_; }
  /// Its grouping value (a record without the field: empty).
  const std::string& key() const noexcept { return key_; }
  /// True when the row starts a group that would not fit in what is left of the batch
  /// being filled: cutting the batch before it keeps the group in fewer batches.
  bool startsBatch() const noexcept { return startsBatch_; }
  /// Rows read from the source.
  std::uint64_t rows() const noexcept { return total_; }

 private:
  struct Spill {
    std::string path;
    std::uint64_t bytes = 0;
    std::uint64_t rows = 0;
    bool singleKey = true;
    std::string firstKey;
    int depth = 0;
  };
  struct Entry {
    std::uint64_t row = 0;
    std::size_t key = 0;  // index into keys_
    std::size_t payloadAt = 0;
    std::size_t payloadSize = 0;
  };
  class SpillSet;

  void partition(RecordSource::Reader& source);
  bool nextEntry(std::string& payload);
  bool openNextSpill();
  void loadSpill(const Spill& spill);
  void splitSpill(const Spill& spill);
  void startGroup(std::uint64_t rows, std::uint64_t bytes);
  void account(std::size_t bytes);

  std::string column_;
  const SpoolDir& spool_;
  GroupingLimits limits_;
  bool csv_ = false;
  std::string sourcePath_;
  std::vector<std::string> header_;
  std::size_t budgetBytes_ = 0;  // a batch's bytes left for rows
  std::uint64_t total_ = 0;
  int spillNumber_ = 0;

  std::vector<Spill> pending_;  // spill files still to hand out, the next one last

  // The spill file being handed out: streamed from `in_`, or regrouped in memory.
  enum class Mode { None, Stream, Memory };
  Mode mode_ = Mode::None;
  Spill current_;
  std::ifstream in_;
  bool streamGroupStarted_ = false;
  std::string buffer_;                // Memory: every payload of the file
  std::vector<std::string> keys_;     // Memory: the file's distinct values
  std::vector<Entry> entries_;        // Memory: rows in hand-out order
  std::vector<std::size_t> groupAt_;  // Memory: entries_ positions where a group starts
  std::size_t nextEntry_ = 0;
  std::size_t nextGroup_ = 0;

  // The row last handed out.
  std::uint64_t row_ = 0;
  std::string key_;
  bool startsBatch_ = false;
  std::string payload_;
  std::vector<std::string> fields_;

  // The batch the splitter is filling, as far as groups are concerned.
  std::uint64_t fillRows_ = 0;
  std::uint64_t fillBytes_ = 0;
};

}  // namespace sfdc::bulk::detail::load
