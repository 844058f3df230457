#pragma once

// The load journal: an append-only file in which a load writes, before each action that
// changes the org, what it is about to do, so that a load killed at any moment can be
// continued without sending a row twice (Client::resumeLoad).
//
// One entry per line: eight hex digits of the CRC-32 of the JSON text, a space, the JSON
// text. Every entry reaches the disk (fsync) before the action it guards starts:
//   load      the settings and the input's identity (before the job is created)
//   job       the job id (before the first batch is uploaded)
//   batch     a batch's sequence number, rows, input byte range and body digest
//             (before its upload)
//   accepted  the batch id Salesforce returned for it
//   inputEnd  every input row is in a batch
//   end       the load finished, was cancelled, or stopped with rows unsent
// A crash can cut only the last line short; such a tail is dropped on reading, because
// the action it guarded never started.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/load_journal.hpp>
#include <string>

namespace sfdc::bulk::detail::load {

struct JournalBatch {
  std::uint64_t seq = 0;
  std::uint64_t firstRow = 0;
  std::uint64_t rowCount = 0;
  std::uint64_t inputBegin = 0;  ///< byte offsets in the input file, [begin, end)
  std::uint64_t inputEnd = 0;
  std::uint64_t bodyBytes = 0;
  std::uint64_t bodyDigest = 0;
  std::string batchId;  ///< empty until accepted
};

struct JournalState {
  LoadJournalInfo info;
  std::uint64_t headerBytes = 0;  ///< bytes of the input's CSV header line
  std::map<std::uint64_t, JournalBatch> batches;
  std::uint64_t inputRows = 0;    ///< with info.inputEnded
  std::uint64_t intactBytes = 0;  ///< length of the file up to its last intact entry
};

/// The load and batch entries, next to readJournal that reads them back, so that the
/// format is written down in one place.
nlohmann::json loadEntry(const LoadJournalInfo& info, std::uint64_t headerBytes);
nlohmann::json batchEntry(const JournalBatch& batch);

/// Reads and checks a journal (InvalidArgument naming the line when it is damaged).
JournalState readJournal(const std::string& path);

class JournalWriter {
 public:
  /// A new journal at `path`; refuses an existing non-empty file (it may be another
  /// load's journal, whose loss would make that load impossible to resume).
  static JournalWriter create(const std::string& path);
  /// Appends to an existing journal after cutting it to `intactBytes`.
  static JournalWriter reopen(const std::string& path, std::uint64_t intactBytes);

  JournalWriter(JournalWriter&& other) noexcept;
  JournalWriter& operator=(JournalWriter&&) = delete;
  JournalWriter(const JournalWriter&) = delete;
  ~JournalWriter();

  /// Writes the entry and waits until it is on disk. Throws FileError.
  void write(const nlohmann::json& entry);

  const std::string& path() const noexcept { return path_; }

 private:
  JournalWriter(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
};

/// Bytes of the CSV header line of `path` (offsets in the journal count from the file's
/// first byte, so a reader can find a batch's rows in the file).
std::uint64_t csvHeaderBytes(const std::string& path);

}  // namespace sfdc::bulk::detail::load
