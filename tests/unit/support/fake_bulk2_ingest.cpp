#include "fake_bulk2_ingest.hpp"

#include <algorithm>
#include <memory>
#include <random>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>

namespace sfdc::bulk::testing {

namespace {

std::string padded(const char* prefix, std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out = prefix;
  out.append(18 - out.size() - digits.size(), '0');
  return out + digits;
}

bool allDigits(const std::string& cell) {
  return cell.size() > 1 && cell[0] != '0' &&
         std::all_of(cell.begin(), cell.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Java's Double.toString of an integer: 912260031 -> 9.12260031E8, 1000 -> 1.0E3.
std::string javaDouble(const std::string& digits) {
  std::string rest = digits.substr(1);
  while (!rest.empty() && rest.back() == '0') rest.pop_back();
  if (rest.empty()) rest = "0";
  return digits.substr(0, 1) + "." + rest + "E" + std::to_string(digits.size() - 1);
}

void quotedRow(std::string& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('"');
    for (char c : cells[i]) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('\n');
}

ByteReader stringReader(std::string text) {
  auto data = std::make_shared<std::string>(std::move(text));
  auto pos = std::make_shared<std::size_t>(0);
  return [data, pos](char* buffer, std::size_t size) {
    const std::size_t n = std::min(size, data->size() - *pos);
    std::copy_n(data->data() + *pos, n, buffer);
    *pos += n;
    return n;
  };
}

}  // namespace

Bulk2JobInfo FakeBulk2Ingest::createIngestJob(Operation operation, std::string_view object,
                                              const IngestJobOptions& options) {
  std::lock_guard<std::mutex> lock(mutex_);
  Job job;
  job.info.id = padded("750", nextId_++);
  job.info.operation = operation;
  job.info.object = std::string(object);
  job.info.state = Bulk2JobState::Open;
  job.info.externalIdFieldName = options.externalIdFieldName;
  job.info.lineEnding = options.lineEnding;
  job.info.columnDelimiter = options.columnDelimiter;
  job.info.contentType = "CSV";
  jobs_.push_back(job);
  if (ambiguousCreates > 0) {
    --ambiguousCreates;
    throw TransportError("connection reset after the request was sent", 56, true, true);
  }
  return job.info;
}

FakeBulk2Ingest::Job& FakeBulk2Ingest::find(std::string_view id) {
  for (auto& job : jobs_) {
    if (job.info.id == id) return job;
  }
  throw ApiError(404, "NOT_FOUND", "The requested resource does not exist");
}

void FakeBulk2Ingest::uploadJobData(const IngestJob& handle, std::shared_ptr<BodySource> csv,
                                    const UploadOptions&) {
  std::string body;
  char buffer[4096];
  for (std::size_t n; (n = csv->read(buffer, sizeof buffer)) > 0;) body.append(buffer, n);
  std::lock_guard<std::mutex> lock(mutex_);
  Job& job = find(handle.id);
  if (refusedPuts > 0) {
    --refusedPuts;
    throw ApiError(400, "INVALIDJOBSTATE", "refused by the test");
  }
  if (job.info.state != Bulk2JobState::Open) {
    throw ApiError(400, "INVALIDJOBSTATE", "the job is not Open");
  }
  ++job.puts;
  job.body = body;
  if (ambiguousPuts > 0) {
    --ambiguousPuts;
    throw TransportError("timeout waiting for the answer", 28, true, true);
  }
}

void FakeBulk2Ingest::process(Job& job) {
  CsvReader reader = CsvReader::fromString(job.body);
  std::vector<std::string> cells;
  bool badLineEnd = false;
  if (reader.next(job.header)) {
    while (reader.next(cells)) {
      const std::string_view raw = reader.rawRow();
      if (raw.size() >= 2 && raw.substr(raw.size() - 2) == "\r\n") badLineEnd = true;
      job.rows.push_back(cells);
    }
  }
  std::string failure = jobFailure ? jobFailure(job.header) : std::string();
  if (badLineEnd) {
    failure =
        "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting "
        "is LF";
  }
  if (!failure.empty()) {
    job.info.errorMessage = failure;
    job.fates.assign(job.rows.size(), Fate::Unprocessed);
    job.ids.assign(job.rows.size(), "");
    return;
  }
  for (const auto& row : job.rows) {
    const Fate f = fate ? fate(job.header, row) : Fate::Succeed;
    job.fates.push_back(f);
    job.ids.push_back(f == Fate::Succeed || f == Fate::Twice ? padded("001", nextId_++) : "");
  }
  job.info.numberRecordsFailed =
      static_cast<std::int64_t>(std::count(job.fates.begin(), job.fates.end(), Fate::Fail));
  job.info.numberRecordsProcessed =
      job.info.numberRecordsFailed +
      static_cast<std::int64_t>(std::count(job.fates.begin(), job.fates.end(), Fate::Succeed)) +
      static_cast<std::int64_t>(std::count(job.fates.begin(), job.fates.end(), Fate::Vanish)) +
      static_cast<std::int64_t>(std::count(job.fates.begin(), job.fates.end(), Fate::Twice));
  job.processed = true;
  // Failed part-way: the rows processed stay, the others are unprocessed.
  if (!failAfterProcessing.empty()) job.info.errorMessage = failAfterProcessing;
}

Bulk2JobInfo FakeBulk2Ingest::closeIngestJob(std::string_view jobId) {
  std::lock_guard<std::mutex> lock(mutex_);
  Job& job = find(jobId);
  if (refusedCloses > 0) {
    --refusedCloses;
    throw ApiError(400, "INVALIDJOB", "close refused by the test");
  }
  if (job.info.state != Bulk2JobState::Open) {
    throw ApiError(400, "INVALIDJOBSTATE", "the job is not Open");
  }
  if (job.puts != 1) {
    throw ApiError(400, "INVALIDJOB",
                   "Found multipe contents for job: <" + job.info.id +
                       ">, please 'Close' / "
                       "'Abort' / 'Delete' the current Job then create a new Job and make sure you "
                       "only do 'PUT' once on a given Job.");
  }
  job.info.state = Bulk2JobState::UploadComplete;
  process(job);
  if (ambiguousCloses > 0) {
    --ambiguousCloses;
    throw TransportError("connection reset after the request was sent", 56, true, true);
  }
  return job.info;
}

Bulk2JobInfo FakeBulk2Ingest::abortIngestJob(std::string_view jobId) {
  std::lock_guard<std::mutex> lock(mutex_);
  Job& job = find(jobId);
  if (job.info.isTerminal()) throw ApiError(400, "INVALIDJOBSTATE", "the job is terminal");
  // Aborted before it finished: in this fake nothing of it is processed.
  const bool closed = job.info.state != Bulk2JobState::Open;
  job.info.state = Bulk2JobState::Aborted;
  if (closed) {
    job.fates.assign(job.rows.size(), Fate::Unprocessed);
    job.ids.assign(job.rows.size(), "");
    job.info.numberRecordsProcessed = job.info.numberRecordsFailed = 0;
  }
  job.processed = false;
  return job.info;
}

Bulk2JobInfo FakeBulk2Ingest::getIngestJobInfo(std::string_view jobId) {
  std::size_t index = 0;
  Bulk2JobInfo info;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (refusedInfoReads > 0) {
      --refusedInfoReads;
      throw ApiError(400, "API_ERROR", "job info refused by the test");
    }
    Job& job = find(jobId);
    index = static_cast<std::size_t>(&job - jobs_.data());
    if (job.info.state == Bulk2JobState::UploadComplete ||
        job.info.state == Bulk2JobState::InProgress) {
      ++job.polls;
      job.info.state = Bulk2JobState::InProgress;
      if (pollsUntilDone >= 0 && job.polls >= pollsUntilDone) {
        job.info.state =
            job.info.errorMessage.empty() ? Bulk2JobState::JobComplete : Bulk2JobState::Failed;
      }
    }
    info = job.info;
  }
  if (onPoll) onPoll(index);
  return info;
}

std::string FakeBulk2Ingest::resultsCsv(const Job& job, IngestResultKind kind) const {
  std::vector<std::string> header;
  if (kind == IngestResultKind::Successful) header = {"sf__Id", "sf__Created"};
  if (kind == IngestResultKind::Failed) header = {"sf__Id", "sf__Error"};
  std::string text;
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < job.rows.size(); ++i) {
    const Fate f = job.fates.empty() ? Fate::Unprocessed : job.fates[i];
    const bool twice = kind == IngestResultKind::Successful && f == Fate::Twice;
    const bool wanted = (kind == IngestResultKind::Successful && f == Fate::Succeed) || twice ||
                        (kind == IngestResultKind::Failed && f == Fate::Fail) ||
                        (kind == IngestResultKind::Unprocessed && f == Fate::Unprocessed);
    if (!wanted) continue;
    std::vector<std::string> cells;
    if (kind == IngestResultKind::Successful) {
      cells = {job.ids[i], job.info.operation == Operation::Insert ? "true" : "false"};
    } else if (kind == IngestResultKind::Failed) {
      cells = {"", errorCell};
    }
    for (const auto& cell : job.rows[i]) {
      cells.push_back(rerenderNumbers && allDigits(cell) ? javaDouble(cell) : cell);
    }
    std::string line;
    quotedRow(line, cells);
    lines.push_back(line);
    if (twice) lines.push_back(line);
  }
  // Out of input order, as the real service is.
  std::mt19937 random(static_cast<unsigned>(job.rows.size() * 31 + static_cast<int>(kind)));
  std::shuffle(lines.begin(), lines.end(), random);
  if (lines.empty() && kind != IngestResultKind::Unprocessed) return {};  // an empty file
  for (const auto& column : job.header) header.push_back(column);
  quotedRow(text, header);
  for (const auto& line : lines) text += line;
  return text;
}

Bulk2CsvReader FakeBulk2Ingest::openIngestResults(const IngestJob& handle, IngestResultKind kind) {
  std::string text;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++downloads_;
    const Job& job = find(handle.id);
    if (!job.info.isTerminal()) throw ApiError(400, "INVALIDJOBSTATE", "the job is not done");
    text = resultsCsv(job, kind);
  }
  return Bulk2CsvReader(stringReader(std::move(text)), handle.columnDelimiter);
}

void FakeBulk2Ingest::log(LogLevel, const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  logs_.push_back(message);
}

std::vector<FakeBulk2Ingest::Job> FakeBulk2Ingest::jobs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_;
}

std::vector<std::string> FakeBulk2Ingest::logs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return logs_;
}

int FakeBulk2Ingest::resultDownloads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return downloads_;
}

std::size_t FakeBulk2Ingest::terminalJobs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<std::size_t>(std::count_if(
      jobs_.begin(), jobs_.end(), [](const Job& job) { return job.info.isTerminal(); }));
}

std::map<std::string, int> FakeBulk2Ingest::processedRows() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::map<std::string, int> out;
  for (const auto& job : jobs_) {
    if (!job.processed) continue;
    for (std::size_t i = 0; i < job.rows.size(); ++i) {
      if (job.fates[i] == Fate::Unprocessed) continue;
      std::string key;
      for (const auto& cell : job.rows[i]) key += cell + "|";
      ++out[key];
    }
  }
  return out;
}

}  // namespace sfdc::bulk::testing
