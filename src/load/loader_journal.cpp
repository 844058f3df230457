// The load's journal (LoadOptions::journalFile) and how a load continues from one
// (Client::resumeLoad): what is written before each step, and how a resumed load checks
// its input, attaches its job and gives every journaled batch the stage it really has.

#include <filesystem>
#include <sfdc/bulk/error.hpp>

#include "journal.hpp"
#include "loader_engine.hpp"

namespace sfdc::bulk::detail::load {

namespace {

std::string absolutePath(const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

std::uint64_t fileSize(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    throw InvalidArgument("load: the input file '" + path + "' cannot be read (" + ec.message() +
                          ")");
  }
  return size;
}

std::string rowsText(std::uint64_t firstRow, std::uint64_t count) {
  return "rows " + std::to_string(firstRow) + "-" + std::to_string(firstRow + count - 1);
}

}  // namespace

void Loader::openJournal() {
  if (options_.journalFile.empty()) return;
  const std::string input = source_.reader().sourcePath();
  if (input.empty() || !source_.reader().isCsv()) {
    throw InvalidArgument(
        "load: a journal needs a CSV file source (RecordSource::csvFile): a load from a stream "
        "or from records in memory cannot be read again to resume it");
  }
  if (options_.lineEnding) {
    throw InvalidArgument(
        "load: a journal cannot be combined yet with lineEnding (it resumes from byte "
        "offsets of the input)");
  }
  if (source_.reader().rewritesRows()) {
    throw InvalidArgument(
        "load: a journal needs a source that sends the input's own bytes: it resumes from "
        "byte offsets of the input, and this source rewrites its rows (Reader::rewritesRows)");
  }
  if (sameFile(options_.journalFile, input) ||
      sameFile(options_.journalFile, options_.successFile) ||
      sameFile(options_.journalFile, options_.errorFile)) {
    throw InvalidArgument("load: the journal '" + options_.journalFile +
                          "' is the input or a result file");
  }
  journal_ = std::make_unique<JournalWriter>(JournalWriter::create(options_.journalFile));
  headerBytes_ = csvHeaderBytes(input);
  LoadJournalInfo info;
  info.operation = operation_;
  info.object = object_;
  info.inputFile = absolutePath(input);
  info.inputBytes = fileSize(input);
  info.contentType = options_.contentType;
  info.externalIdFieldName = options_.externalIdFieldName;
  info.concurrencyMode = options_.concurrencyMode;
  info.assignmentRuleId = options_.assignmentRuleId;
  info.batchSize = options_.batchSize;
  info.maxBatchBytes = options_.maxBatchBytes;
  info.successFile = absolutePath(options_.successFile);
  info.errorFile = absolutePath(options_.errorFile);
  journal_->write(loadEntry(info, headerBytes_));
}

void Loader::journalJob() {
  if (journal_) journal_->write({{"e", "job"}, {"id", job_.id}});
}

void Loader::journalBatch(Slot& slot) {
  if (!journal_ || slot.journaled) return;
  const SplitBatch& split = slot.split;
  JournalBatch batch;
  batch.seq = split.index;
  batch.firstRow = split.firstRow;
  batch.rowCount = split.rowCount;
  batch.inputBegin = headerBytes_ + split.inputBegin;
  batch.inputEnd = headerBytes_ + split.inputEnd;
  batch.bodyBytes = split.bodyBytes;
  batch.bodyDigest = split.bodyDigest;
  journal_->write(batchEntry(batch));
  slot.journaled = true;
}

void Loader::journalAccepted(const Slot& slot) {
  if (journal_) {
    journal_->write({{"e", "accepted"}, {"seq", slot.split.index}, {"batchId", slot.info.id}});
  }
}

void Loader::journalInputEnd() {
  if (!journal_ || inputEndJournaled_) return;
  inputEndJournaled_ = true;
  journal_->write({{"e", "inputEnd"}, {"rows", result_.recordsRead}, {"batches", slots_.size()}});
}

void Loader::journalEnd(const char* state, const std::string& reason) noexcept {
  if (!journal_) return;
  try {
    nlohmann::json entry = {{"e", "end"}, {"state", state}};
    if (!reason.empty()) entry["reason"] = reason;
    journal_->write(entry);
  } catch (const std::exception& e) {
    api_.log(LogLevel::Error, std::string("load: ") + e.what());
  }
}

void Loader::beginResume() {
  const JournalState& state = *resume_;
  const LoadJournalInfo& info = state.info;
  const std::string& path = options_.journalFile;
  if (info.state == "finished") {
    throw InvalidArgument("load: the load in journal '" + path + "' finished (job " + info.jobId +
                          "); there is nothing to resume");
  }
  if (info.state == "cancelled") {
    throw InvalidArgument("load: the load in journal '" + path + "' was cancelled and job " +
                          info.jobId +
                          " aborted; rows of its finished batches stay loaded: read them with "
                          "`sfbulk job results " +
                          info.jobId + "` before loading the rest in a new load");
  }
  // The same input: the same size now, and below (resumeJob) the same bytes in every
  // batch already started. Checked before any request.
  const std::uint64_t size = fileSize(info.inputFile);
  if (size != info.inputBytes) {
    throw InvalidArgument("load: the input file '" + info.inputFile + "' changed since the load " +
                          "began (" + std::to_string(info.inputBytes) + " bytes then, " +
                          std::to_string(size) +
                          " now); nothing was sent. Restore the file to resume, or load the "
                          "rows not yet loaded in a new load");
  }
  headerBytes_ = state.headerBytes;
  journal_ = std::make_unique<JournalWriter>(JournalWriter::reopen(path, state.intactBytes));
  journal_->write({{"e", "resumed"}});
  inputEndJournaled_ = info.inputEnded;
}

void Loader::resumeJob() {
  const JournalState& state = *resume_;
  const LoadJournalInfo& info = state.info;
  // Every batch already started is cut again and compared with the journal before
  // anything is sent: a changed row shows as a changed digest.
  std::uint64_t lastSeq = state.batches.empty() ? 0 : state.batches.rbegin()->first;
  std::vector<SplitBatch> splits;
  while (!state.batches.empty() && (splits.empty() || splits.back().index < lastSeq)) {
    std::optional<SplitBatch> split = splitter_->next();
    if (!split) {
      throw InvalidArgument("load: the input file '" + info.inputFile +
                            "' ends before the rows the journal sent (" +
                            std::to_string(info.rowsStarted) + " rows); nothing was sent");
    }
    const auto it = state.batches.find(split->index);
    if (it != state.batches.end()) {
      const JournalBatch& journaled = it->second;
      if (journaled.firstRow != split->firstRow || journaled.rowCount != split->rowCount ||
          journaled.bodyBytes != split->bodyBytes || journaled.bodyDigest != split->bodyDigest) {
        throw InvalidArgument(
            "load: the input file '" + info.inputFile +
            "' changed since the load began: " + rowsText(journaled.firstRow, journaled.rowCount) +
            " (bytes " + std::to_string(journaled.inputBegin) + "-" +
            std::to_string(journaled.inputEnd) + ") differ from what batch " +
            std::to_string(journaled.seq) + " sent; nothing was sent. Restore the file to resume");
      }
    }
    splits.push_back(std::move(*split));
  }

  job_ = Job{info.jobId, operation_, object_, options_.contentType, options_.externalIdFieldName};
  JobInfo jobInfo;
  try {
    jobInfo = api_.getJobInfo(job_);
  } catch (const ApiError& e) {
    if (e.httpStatus() == 404 || e.exceptionCode() == "InvalidJob") {
      throw InvalidArgument("load: job " + info.jobId + " of journal '" + options_.journalFile +
                            "' no longer exists (Salesforce deletes jobs 7 days after they were "
                            "created): " +
                            e.what() + ". Check what it loaded in the org before loading again");
    }
    throw;
  }
  result_.jobId = job_.id;
  result_.jobIds = {job_.id};
  progress_.jobId = job_.id;
  progress_.serverRetries = jobInfo.numberRetries;
  const std::string sent = std::to_string(info.batchesStarted) + " batches (" +
                           std::to_string(info.rowsStarted) + " rows) were sent";
  if (jobInfo.state == JobState::Aborted || jobInfo.state == JobState::Failed) {
    throw InvalidArgument("load: job " + job_.id + " is " + std::string(toString(jobInfo.state)) +
                          ", so the load cannot continue in it; " + sent +
                          ". Read what it loaded with `sfbulk job results " + job_.id +
                          "` before loading the other rows in a new load");
  }
  const bool allAccepted = info.batchesAccepted == info.batchesStarted;
  if (jobInfo.state == JobState::Closed) {
    if (!info.inputEnded || !allAccepted) {
      throw InvalidArgument("load: job " + job_.id +
                            " was closed before the load sent all its rows, so it takes no "
                            "more batches; " +
                            sent + ". Read what it loaded with `sfbulk job results " + job_.id +
                            "` and load the rows after row " + std::to_string(info.rowsStarted) +
                            " in a new load");
    }
    jobClosed_ = true;
  }

  const std::vector<BatchInfo> list = api_.getAllBatches(job_);
  std::map<std::string, const BatchInfo*> byId;
  for (const auto& batch : list) byId[batch.id] = &batch;
  for (auto& split : splits) {
    const auto it = state.batches.find(split.index);
    const std::uint64_t index = split.index;
    addSlot(std::move(split));
    if (it == state.batches.end()) continue;  // cut but never sent: goes out as usual
    Slot& slot = slots_[index];
    slot.journaled = true;
    const JournalBatch& journaled = it->second;
    if (journaled.batchId.empty()) {
      // Its upload began but its answer never came: the existing reconciliation looks
      // for it in the job and sends it again only if it is not there.
      slot.stage = Stage::Ambiguous;
      reconcileWanted_ = true;
      continue;
    }
    const auto found = byId.find(journaled.batchId);
    if (found == byId.end()) {
      throw InvalidArgument("load: batch " + journaled.batchId + " (" +
                            rowsText(journaled.firstRow, journaled.rowCount) +
                            ") is in the journal but not in job " + job_.id +
                            "; the journal is not this job's");
    }
    slot.info = *found->second;
    slot.stage = slot.info.isTerminal() ? Stage::Done : Stage::Sent;
    knownIds_.insert(slot.info.id);
    progress_.recordsSent += slot.split.rowCount;
    if (slot.split.rowsPath.empty()) SpoolDir::remove(slot.split.bodyPath);
  }
  nextPoll_ = Clock::now();
  api_.log(LogLevel::Info, "load: resuming job " + job_.id + " from journal '" +
                               options_.journalFile + "': " + sent + ", " +
                               std::to_string(info.batchesAccepted) + " of them confirmed");
}

}  // namespace sfdc::bulk::detail::load
