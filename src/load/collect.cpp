// How collectLoad pairs a finished job with its input: wait until no batch of the job is
// queued or running; read every batch's uploaded rows into an index keyed by their cells
// and its results into compact per-batch outcomes; then read the input once, each row
// taking the first unused job row with its cells, and hand the outcomes out in input
// order through the live load's own ResultEmitter, so the files are written exactly as a
// live load writes them. Job rows no input row took are either repeats (a batch created
// twice: duplicates) or rows from another input (the caller's mistake: an error).

#include "collect.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <thread>

#include "../load2/job_outcomes.hpp"
#include "../load2/row_key_index.hpp"
#include "../pacing.hpp"
#include "../record_shape.hpp"
#include "../retry.hpp"
#include "batch_outcome.hpp"
#include "duplicates.hpp"
#include "poll_backoff.hpp"
#include "record_sources.hpp"
#include "result_emitter.hpp"
#include "spool.hpp"
#include "upload_pool.hpp"

namespace sfdc::bulk::detail::load {

namespace {

using Clock = std::chrono::steady_clock;
using load2::JobOutcomes;
using load2::RowKey;
using load2::RowKeyIndex;

/// Input rows handed to the emitter at a time (each chunk is one spooled rows file).
constexpr std::size_t kRowsPerChunk = 2000;

class Collector {
 public:
  Collector(Connection& api, std::string_view jobId, const RecordSource& input,
            const LoadOptions& options, const LoadTuning& tuning)
      : api_(api), input_(input.reader()), options_(options), tuning_(tuning) {
    job_.id = std::string(jobId);
  }

  LoadResult run() {
    checkOptions();
    const auto started = Clock::now();
    deadline_ = started +
                std::min<std::chrono::milliseconds>(options_.timeout, std::chrono::hours(24 * 366));
    header_ = input_.csvHeader();
    if (header_.empty()) {
      throw InvalidArgument(
          "collectLoad: the input has no header row; it must be the CSV the "
          "load of job " +
          job_.id + " read");
    }
    for (std::size_t i = 0; i < header_.size(); ++i) allColumns_.push_back(i);
    attach();
    const std::vector<BatchInfo> batches = waitForBatches();
    spool_ = std::make_unique<SpoolDir>(options_.spoolDirectory.empty() ? tuning_.spoolParent
                                                                        : options_.spoolDirectory);
    for (const auto& batch : batches) readBatch(batch);
    pairInput();
    checkUntaken();
    if (options_.deleteDuplicates && !result_.duplicates.empty()) {
      if (job_.operation == Operation::Insert) {
        deleteDuplicateRecords(api_, job_.object, result_.duplicates, options_);
      } else {
        api_.log(LogLevel::Warning, "collectLoad: duplicates of a " +
                                        std::string(toString(job_.operation)) +
                                        " repeat changes to existing records; nothing to delete");
      }
    }
    result_.jobId = job_.id;
    result_.jobIds = {job_.id};
    result_.batches = batches;
    result_.serverRetries = serverRetries_;
    return std::move(result_);
  }

 private:
  /// An input row whose cells other rows (of the input or the job) share.
  struct Twin {
    RowKey key;
    std::size_t inputRow = 0;  // 0-based
  };
  static constexpr std::uint32_t kNoJobRow = UINT32_MAX;

  struct Batch {
    BatchInfo info;
    std::uint32_t firstRow = 0;  // ordinal of its first row among the job's rows
    JobOutcomes outcomes;
  };

  void checkOptions() const {
    if (!input_.isCsv()) {
      throw InvalidArgument(
          "collectLoad: the input must be the CSV the load read (RecordSource::csvFile or "
          "csvStream): its rows are paired with the job's by their cells");
    }
    if (options_.pollMinInterval.count() <= 0 ||
        options_.pollMaxInterval < options_.pollMinInterval) {
      throw InvalidArgument("collectLoad: need 0 < pollMinInterval <= pollMaxInterval");
    }
    if (options_.timeout.count() <= 0)
      throw InvalidArgument("collectLoad: timeout must be positive");
    if (!options_.successFile.empty() && sameFile(options_.successFile, options_.errorFile)) {
      throw InvalidArgument("collectLoad: successFile and errorFile are the same file ('" +
                            options_.successFile + "')");
    }
    validateOutputs(input_.sourcePath(), options_);
  }

  /// A read of the job; reads change nothing, so a transient failure is tried again
  /// with growing waits for as long as the timeout allows.
  template <typename F>
  auto patiently(const std::string& what, F&& read) {
    for (int failures = 1;; ++failures) {
      try {
        return read();
      } catch (...) {
        const auto error = std::current_exception();
        if (!isTransientReadError(error)) throw;
        RetryPolicy policy;
        policy.initialBackoff = std::chrono::milliseconds(1000);
        policy.maxBackoff = std::chrono::milliseconds(30'000);
        policy.multiplier = 2;
        const auto delay = backoffDelay(policy, failures, jitterDraw());
        if (Clock::now() + delay >= deadline_) throw;
        api_.log(LogLevel::Warning, "collectLoad: " + what + " failed; trying again in " +
                                        std::to_string(delay.count()) + " ms");
        sleepFor(delay);
      }
    }
  }

  void sleepFor(std::chrono::milliseconds delay) {
    const auto until = Clock::now() + delay;
    while (Clock::now() < until) {
      checkCancel();
      std::this_thread::sleep_for(
          std::min<Clock::duration>(tuning_.wakeInterval, until - Clock::now()));
    }
  }

  void checkCancel() const {
    if (options_.cancel && options_.cancel->cancelled()) {
      throw Error("collectLoad: cancelled while waiting for job " + job_.id +
                  "; the job keeps running on the server");
    }
  }

  void attach() {
    const JobInfo info = patiently("reading job " + job_.id, [&] { return api_.getJobInfo(job_); });
    job_ = Job{info.id, info.operation, info.object, info.contentType, info.externalIdFieldName};
    serverRetries_ = info.numberRetries;
    if (isQuery(info.operation)) {
      throw InvalidArgument("collectLoad: job " + job_.id + " is a " +
                            std::string(toString(info.operation)) + " job, not a load");
    }
    if (info.contentType != ContentType::CSV && info.contentType != ContentType::JSON) {
      throw InvalidArgument("collectLoad: job " + job_.id + " is a " +
                            std::string(toString(info.contentType)) +
                            " job; results can be collected for CSV and JSON jobs");
    }
    if (info.state == JobState::Open) {
      throw InvalidArgument("collectLoad: job " + job_.id +
                            " is still open: its load may still be sending batches. Close it "
                            "once no load sends to it, then collect its results");
    }
  }

  std::vector<BatchInfo> waitForBatches() {
    PollBackoff backoff(options_.pollMinInterval, options_.pollMaxInterval);
    LoadProgress last;
    for (bool first = true;; first = false) {
      std::vector<BatchInfo> batches = patiently("listing the batches of job " + job_.id,
                                                 [&] { return api_.getAllBatches(job_); });
      LoadProgress progress = progressOf(batches);
      const bool changed = first || progress.recordsProcessed != last.recordsProcessed ||
                           progress.batchesCompleted != last.batchesCompleted ||
                           progress.batchesFailed != last.batchesFailed ||
                           progress.batchesInProgress != last.batchesInProgress;
      if (changed && options_.onProgress) options_.onProgress(progress);
      last = progress;
      if (std::all_of(batches.begin(), batches.end(),
                      [](const BatchInfo& b) { return b.isTerminal(); })) {
        return batches;
      }
      if (Clock::now() >= deadline_) {
        throw TimeoutError("collectLoad: the batches of job " + job_.id +
                               " did not finish within " +
                               std::to_string(options_.timeout.count()) + " ms (" +
                               std::to_string(progress.batchesQueued + progress.batchesInProgress) +
                               " of " + std::to_string(batches.size()) + " unfinished)",
                           job_.id);
      }
      backoff.onPoll(changed);
      const auto wait = std::min<Clock::duration>(backoff.current(), deadline_ - Clock::now());
      sleepFor(std::chrono::duration_cast<std::chrono::milliseconds>(wait) +
               std::chrono::milliseconds(1));
    }
  }

  LoadProgress progressOf(const std::vector<BatchInfo>& batches) const {
    LoadProgress progress;
    progress.jobId = job_.id;
    progress.serverRetries = serverRetries_;
    for (const auto& batch : batches) {
      const auto processed =
          static_cast<std::uint64_t>(std::max<std::int64_t>(0, batch.numberRecordsProcessed));
      progress.recordsProcessed += processed;
      progress.recordsSent += processed;
      progress.recordsFailed +=
          static_cast<std::uint64_t>(std::max<std::int64_t>(0, batch.numberRecordsFailed));
      switch (batch.state) {
        case BatchState::Queued:
          ++progress.batchesQueued;
          break;
        case BatchState::InProgress:
          ++progress.batchesInProgress;
          break;
        case BatchState::Completed:
          ++progress.batchesCompleted;
          break;
        case BatchState::Failed:
          ++progress.batchesFailed;
          break;
        case BatchState::NotProcessed:
          ++progress.batchesNotProcessed;
          break;
      }
    }
    return progress;
  }

  /// The batch's uploaded rows into the index, its results into its outcomes.
  void readBatch(const BatchInfo& info) {
    const std::string body = patiently("reading the data of batch " + info.id,
                                       [&] { return api_.getBatchRequest(job_, info.id); });
    const auto firstRow = static_cast<std::uint32_t>(jobRows_);
    const std::size_t rows =
        job_.contentType == ContentType::CSV ? indexCsvRows(info, body) : indexJsonRows(info, body);
    std::vector<RecordResult> results;
    if (info.state == BatchState::Completed ||
        (info.state == BatchState::Failed && info.numberRecordsProcessed > 0)) {
      try {
        results = patiently("reading the results of batch " + info.id,
                            [&] { return api_.getBatchResults(job_, info.id); });
      } catch (const ApiError& e) {
        if (info.state == BatchState::Completed) throw;
        api_.log(LogLevel::Warning,
                 "collectLoad: no results for failed batch " + info.id + ": " + e.what());
      }
    }
    std::string mismatch;
    std::vector<RowResult> mapped = mapBatchResults(info, 0, rows, std::move(results), mismatch);
    if (!mismatch.empty()) api_.log(LogLevel::Error, "collectLoad: " + mismatch);
    JobOutcomes outcomes(rows, batchError(info), RecordError{});
    for (std::size_t i = 0; i < rows; ++i) {
      RowResult& row = mapped[i];
      if (row.notProcessed) {
        outcomes.unprocessed(i);
      } else if (row.success) {
        outcomes.succeed(i, row.id, row.created);
      } else {
        outcomes.fail(i, row.id, std::move(row.errors));
      }
    }
    batches_.push_back(Batch{info, firstRow, std::move(outcomes)});
  }

  void addRow(const std::vector<std::string>& cells) {
    if (jobRows_ >= kNoJobRow) {
      throw InvalidArgument("collectLoad: job " + job_.id + " holds more rows than can be paired");
    }
    index_.add(load2::rowKey(cells, allColumns_), static_cast<std::uint32_t>(jobRows_++));
  }

  std::size_t columnOf(const BatchInfo& info, const std::string& name) const {
    const auto it = std::find(header_.begin(), header_.end(), name);
    if (it == header_.end()) {
      throw InvalidArgument("collectLoad: the input is not what job " + job_.id +
                            " loaded: batch " + info.id + " has the column '" + name +
                            "', which the input's header lacks");
    }
    return static_cast<std::size_t>(it - header_.begin());
  }

  std::size_t indexCsvRows(const BatchInfo& info, const std::string& body) {
    CsvReader reader = CsvReader::fromString(body);
    std::vector<std::string> requestHeader;
    if (!reader.next(requestHeader)) return 0;
    std::vector<std::size_t> positions;
    for (const auto& name : requestHeader) positions.push_back(columnOf(info, name));
    std::vector<std::string> fields;
    std::vector<std::string> cells;
    std::size_t rows = 0;
    while (reader.next(fields)) {
      cells.assign(header_.size(), std::string());
      for (std::size_t i = 0; i < fields.size() && i < positions.size(); ++i) {
        cells[positions[i]] = std::move(fields[i]);
      }
      addRow(cells);
      ++rows;
    }
    return rows;
  }

  std::size_t indexJsonRows(const BatchInfo& info, const std::string& body) {
    nlohmann::json records;
    try {
      records = nlohmann::json::parse(body);
    } catch (const nlohmann::json::exception& e) {
      throw ParseError("collectLoad: the data of batch " + info.id + " is not JSON: " + e.what());
    }
    if (!records.is_array()) {
      throw ParseError("collectLoad: the data of batch " + info.id + " is not a JSON array");
    }
    std::vector<FlatField> flat;
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < records.size(); ++i) {
      flat.clear();
      flattenRecord(records[i], i, flat);
      cells.assign(header_.size(), std::string());
      for (const auto& [name, value] : flat) cells[columnOf(info, name)] = scalarCell(*value);
      addRow(cells);
    }
    return records.size();
  }

  const Batch& batchOf(std::uint32_t jobRow) const {
    const auto it = std::upper_bound(
        batches_.begin(), batches_.end(), jobRow,
        [](std::uint32_t row, const Batch& batch) { return row < batch.firstRow; });
    return *(it - 1);
  }

  /// One pass over the input: each row takes a job row with its cells (the rows are
  /// spooled for the result files meanwhile); then the outcomes are handed out in input
  /// order.
  void pairInput() {
    const bool keepRows = !options_.successFile.empty() || !options_.errorFile.empty();
    std::string headerLine;
    appendCsvRow(headerLine, header_);
    std::vector<std::uint32_t> assigned;  // per input row: its job row, or kNoJobRow
    std::vector<Twin> twins;
    std::vector<std::string> chunkPaths;
    std::ofstream rowsOut;
    const auto closeChunk = [&] {
      if (!rowsOut.is_open()) return;
      rowsOut.close();
      if (!rowsOut) {
        throw Error("collectLoad: writing the spool file '" + chunkPaths.back() + "' failed");
      }
    };
    std::string raw;
    std::vector<std::string> fields;
    while (input_.nextCsvRow(raw, fields)) {
      const std::uint64_t row = assigned.size() + 1;
      if (row % 1024 == 0) checkCancel();
      if (fields.size() != header_.size()) {
        throw InvalidArgument("collectLoad: CSV row " + std::to_string(row) + " has " +
                              std::to_string(fields.size()) + " fields but the header has " +
                              std::to_string(header_.size()));
      }
      if (keepRows) {
        if (assigned.size() % kRowsPerChunk == 0) {
          closeChunk();
          chunkPaths.push_back(spool_->create("c" + std::to_string(chunkPaths.size()) + ".rows"));
          rowsOut.open(chunkPaths.back(), std::ios::binary | std::ios::trunc);
          rowsOut << headerLine;
        }
        rowsOut << raw;
      }
      const RowKey key = load2::rowKey(fields, allColumns_);
      bool shared = false;
      const std::optional<std::uint32_t> jobRow = index_.take(key, &shared);
      assigned.push_back(jobRow ? *jobRow : kNoJobRow);
      if (shared) twins.push_back(Twin{key, assigned.size() - 1});
    }
    closeChunk();
    orderTwins(assigned, twins);

    ResultEmitter emitter(options_, result_, *spool_);
    for (std::size_t begin = 0, chunk = 0; begin < assigned.size();
         begin += kRowsPerChunk, ++chunk) {
      const std::size_t end = std::min(assigned.size(), begin + kRowsPerChunk);
      std::vector<RowResult> rows;
      rows.reserve(end - begin);
      for (std::size_t i = begin; i < end; ++i) rows.push_back(outcomeOf(assigned[i], i + 1));
      emitter.deliver(chunk, keepRows ? chunkPaths[chunk] : std::string(), std::move(rows));
    }
    emitter.finish();
    result_.recordsRead = assigned.size();
  }

  RowResult outcomeOf(std::uint32_t jobRow, std::uint64_t inputRow) const {
    if (jobRow != kNoJobRow) {
      const Batch& batch = batchOf(jobRow);
      return batch.outcomes.result(jobRow - batch.firstRow, inputRow);
    }
    RowResult unsent;
    unsent.row = inputRow;
    unsent.notProcessed = true;
    unsent.errors.push_back(
        RecordError{"NOT_SENT", "not sent: the row is in no batch of job " + job_.id, {}});
    return unsent;
  }

  /// Identical rows are interchangeable to the pairing, but not to the reader of the
  /// result files: a live load gives the copies their ids in input order, batch by batch.
  /// The batches' input order is known only now (where each began in the input, by its
  /// rows that have no twin), so the copies of each twin row are handed out again in that
  /// order: the n-th copy in the input gets the n-th copy in the batches' input order.
  void orderTwins(std::vector<std::uint32_t>& assigned, std::vector<Twin>& twins) const {
    if (twins.empty()) return;
    std::vector<bool> isTwin(assigned.size(), false);
    for (const auto& twin : twins) isTwin[twin.inputRow] = true;
    constexpr std::uint64_t kUnknown = UINT64_MAX;
    std::vector<std::uint64_t> start(batches_.size(), kUnknown);
    std::vector<std::uint64_t> startOfAny(batches_.size(), kUnknown);
    for (std::size_t row = 0; row < assigned.size(); ++row) {
      if (assigned[row] == kNoJobRow) continue;
      const std::size_t b = batchIndexOf(assigned[row]);
      startOfAny[b] = std::min<std::uint64_t>(startOfAny[b], row);
      if (!isTwin[row]) start[b] = std::min<std::uint64_t>(start[b], row);
    }
    for (std::size_t b = 0; b < start.size(); ++b) {
      if (start[b] == kUnknown) start[b] = startOfAny[b];
    }
    std::sort(twins.begin(), twins.end(), [](const Twin& a, const Twin& b) {
      return a.key == b.key ? a.inputRow < b.inputRow : a.key < b.key;
    });
    std::vector<std::uint32_t> copies;
    for (std::size_t first = 0; first < twins.size();) {
      std::size_t last = first;
      copies.clear();
      while (last < twins.size() && twins[last].key == twins[first].key) {
        if (assigned[twins[last].inputRow] != kNoJobRow) {
          copies.push_back(assigned[twins[last].inputRow]);
        }
        ++last;
      }
      std::sort(copies.begin(), copies.end(), [&](std::uint32_t a, std::uint32_t b) {
        const std::uint64_t sa = start[batchIndexOf(a)];
        const std::uint64_t sb = start[batchIndexOf(b)];
        return sa != sb ? sa < sb : a < b;
      });
      for (std::size_t i = first; i < last; ++i) {
        const std::size_t n = i - first;
        assigned[twins[i].inputRow] = n < copies.size() ? copies[n] : kNoJobRow;
      }
      first = last;
    }
  }

  std::size_t batchIndexOf(std::uint32_t jobRow) const {
    return static_cast<std::size_t>(&batchOf(jobRow) - batches_.data());
  }

  /// Job rows no input row took: repeats of rows the input has (a batch the server
  /// created twice) are duplicates; any other means the input is not the job's.
  void checkUntaken() {
    std::map<std::size_t, DuplicateBatch> duplicates;
    std::uint64_t foreign = 0;
    std::uint32_t firstForeign = kNoJobRow;
    index_.forEachUntaken([&](std::uint32_t jobRow, std::int64_t copyOf) {
      const Batch& batch = batchOf(jobRow);
      const std::size_t position = jobRow - batch.firstRow;
      if (copyOf < 0) {
        ++foreign;
        firstForeign = std::min(firstForeign, jobRow);
        return;
      }
      DuplicateBatch& duplicate = duplicates[batchIndexOf(jobRow)];
      duplicate.batchId = batch.info.id;
      if (duplicate.duplicateOf.empty())
        duplicate.duplicateOf = batchOf(static_cast<std::uint32_t>(copyOf)).info.id;
      ++duplicate.rowCount;
      const RowResult outcome = batch.outcomes.result(position, 0);
      if (outcome.success && !outcome.id.empty()) duplicate.recordIds.push_back(outcome.id);
    });
    if (foreign > 0) {
      for (const std::string* path : {&options_.successFile, &options_.errorFile}) {
        std::error_code ec;
        if (!path->empty()) std::filesystem::remove(*path, ec);
      }
      throw InvalidArgument("collectLoad: the input is not what job " + job_.id +
                            " loaded: " + std::to_string(foreign) + " of the job's " +
                            std::to_string(jobRows_) + " rows are not in it (the first: row " +
                            std::to_string(firstForeign - batchOf(firstForeign).firstRow + 1) +
                            " of batch " + batchOf(firstForeign).info.id +
                            "); no result file was written");
    }
    for (auto& entry : duplicates) {
      api_.log(LogLevel::Error, "collectLoad: batch " + entry.second.batchId + " repeats " +
                                    std::to_string(entry.second.rowCount) + " rows of batch " +
                                    entry.second.duplicateOf + ": they were loaded twice");
      result_.duplicates.push_back(std::move(entry.second));
    }
  }

  Connection& api_;
  RecordSource::Reader& input_;
  const LoadOptions& options_;
  const LoadTuning& tuning_;
  Job job_;
  Clock::time_point deadline_;
  std::int64_t serverRetries_ = 0;
  std::vector<std::string> header_;
  std::vector<std::size_t> allColumns_;
  std::unique_ptr<SpoolDir> spool_;
  RowKeyIndex index_;
  std::uint64_t jobRows_ = 0;
  std::vector<Batch> batches_;
  LoadResult result_;
};

}  // namespace

LoadResult collectLoad(Connection& api, std::string_view jobId, const RecordSource& input,
                       const LoadOptions& options, const LoadTuning& tuning) {
  return Collector(api, jobId, input, options, tuning).run();
}

}  // namespace sfdc::bulk::detail::load
