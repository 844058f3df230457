#include "fake_bulk2_query.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace sfdc::bulk::testing {
namespace {

void appendQuoted(std::string& out, const std::vector<std::string>& row, const std::string& end) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : row[i]) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += end;
}

// Counts a download as active from its request until its reader is gone.
struct ActiveDownload {
  explicit ActiveDownload(std::shared_ptr<std::atomic<int>> counter)
      : counter_(std::move(counter)) {
    ++*counter_;
  }
  ~ActiveDownload() { --*counter_; }
  ActiveDownload(const ActiveDownload&) = delete;
  ActiveDownload& operator=(const ActiveDownload&) = delete;
  std::shared_ptr<std::atomic<int>> counter_;
};

}  // namespace

FakeBulk2Query::Seen FakeBulk2Query::seen() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return seen_;
}

void FakeBulk2Query::makeRows(std::size_t count) {
  rows.clear();
  for (std::size_t i = 0; i < count; ++i) {
    rows.push_back({"001x" + std::to_string(100000 + i), "Name " + std::to_string(i)});
  }
}

std::vector<std::size_t> FakeBulk2Query::layout(std::optional<std::int64_t> maxRecords) const {
  if (!pageSizes.empty()) return pageSizes;
  const std::size_t size = maxRecords ? static_cast<std::size_t>(*maxRecords)
                                      : std::max<std::size_t>(defaultPageSize, 1);
  std::vector<std::size_t> sizes;
  for (std::size_t done = 0; done < rows.size(); done += size) {
    sizes.push_back(std::min(size, rows.size() - done));
  }
  if (sizes.empty()) sizes.push_back(0);  // zero rows: one page with the header only
  return sizes;
}

Bulk2JobInfo FakeBulk2Query::info(Bulk2JobState state) const {
  Bulk2JobInfo result;
  result.id = kJobId;
  result.operation = Operation::Query;
  result.object = "Account";
  result.state = state;
  result.contentType = "CSV";
  if (state == Bulk2JobState::Failed) result.errorMessage = errorMessage;
  return result;
}

Bulk2JobInfo FakeBulk2Query::createQueryJob(std::string_view soql, const QueryJobOptions& options) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++seen_.creates;
  if (static_cast<std::size_t>(seen_.creates) <= createFailures.size()) {
    std::rethrow_exception(createFailures[static_cast<std::size_t>(seen_.creates) - 1]);
  }
  seen_.soql.emplace_back(soql);
  seen_.createOptions.push_back(options);
  Bulk2JobInfo result = info(Bulk2JobState::UploadComplete);
  result.operation = options.all ? Operation::QueryAll : Operation::Query;
  return result;
}

Bulk2JobInfo FakeBulk2Query::getQueryJobInfo(std::string_view jobId) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (jobId != kJobId) throw ApiError(404, "NOT_FOUND", "The requested resource does not exist");
  if (static_cast<std::size_t>(seen_.failedPolls) < pollFailures.size()) {
    std::rethrow_exception(pollFailures[static_cast<std::size_t>(seen_.failedPolls++)]);
  }
  ++seen_.polls;
  const Bulk2JobState state = states.at(std::min(pollIndex_, states.size() - 1));
  ++pollIndex_;
  return info(state);
}

Bulk2JobInfo FakeBulk2Query::abortQueryJob(std::string_view jobId) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (jobId != kJobId) throw ApiError(404, "NOT_FOUND", "The requested resource does not exist");
  ++seen_.aborts;
  return info(Bulk2JobState::Aborted);
}

std::string FakeBulk2Query::resultUrl(std::size_t index) {
  return std::string("/services/data/v59.0/jobs/query/") + kJobId + "/results?locator=L" +
         std::to_string(index);
}

Bulk2CsvReader FakeBulk2Query::openQueryResults(const QueryJob& job, const QueryPageRequest& page) {
  if (job.id != kJobId) throw ApiError(404, "NOT_FOUND", "The requested resource does not exist");
  if (page.locator == "null") throw std::logic_error("the literal null locator was sent");
  std::size_t index = 0;
  if (!page.locator.empty()) {
    if (page.locator[0] != 'L') throw ApiError(400, "INVALID_LOCATOR", "bad locator");
    index = std::stoul(page.locator.substr(1));
  }
  return servePage(index, page.maxRecords);
}

Bulk2CsvReader FakeBulk2Query::openQueryResultsUrl(const QueryJob& job, std::string_view url) {
  if (job.id != kJobId) throw ApiError(404, "NOT_FOUND", "The requested resource does not exist");
  const std::string text(url);
  const auto at = text.find("locator=L");
  if (text.rfind("/services/data/", 0) != 0 || at == std::string::npos) {
    throw InvalidArgument("not a result page URL: " + text);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++seen_.urlRequests;
  }
  return servePage(std::stoul(text.substr(at + 9)), std::nullopt);
}

QueryResultPageLinks FakeBulk2Query::getQueryResultPages(const QueryJob& job,
                                                         std::string_view nextRecordsUrl) {
  if (job.id != kJobId) throw ApiError(404, "NOT_FOUND", "The requested resource does not exist");
  std::lock_guard<std::mutex> lock(mutex_);
  ++seen_.linkRequests;
  seen_.linkFrom.emplace_back(nextRecordsUrl);
  if (resultPagesStatus != 0) {
    throw ApiError(resultPagesStatus, "NOT_FOUND", "The requested resource does not exist");
  }
  std::size_t from = 0;
  if (!nextRecordsUrl.empty()) {
    const std::string text(nextRecordsUrl);
    from = std::stoul(text.substr(text.find("from=") + 5));
  }
  const std::size_t pages = layout(std::nullopt).size();
  QueryResultPageLinks links;
  const std::size_t end = std::min(pages, from + std::max<std::size_t>(linksPerSet, 1));
  for (std::size_t i = from; i < end; ++i) links.resultUrls.push_back(resultUrl(i));
  links.done = end >= pages;
  if (!links.done) {
    links.nextRecordsUrl = std::string("/services/data/v59.0/jobs/query/") + kJobId +
                           "/resultpages?from=" + std::to_string(end);
  }
  return links;
}

Bulk2CsvReader FakeBulk2Query::servePage(std::size_t index,
                                         std::optional<std::int64_t> maxRecords) {
  std::lock_guard<std::mutex> lock(mutex_);
  seen_.pageRequests.emplace_back(index, maxRecords);
  const std::vector<std::size_t> sizes = layout(maxRecords);
  if (index >= sizes.size()) throw ApiError(400, "INVALID_LOCATOR", "no such page");
  const int attempt = ++downloads_[index];

  if (auto it = expirePage.find(index); it != expirePage.end() && attempt <= it->second) {
    throw ApiError(401, "INVALID_SESSION_ID", "Session expired or invalid");
  }

  std::size_t start = 0;
  for (std::size_t i = 0; i < index; ++i) start += sizes[i];
  auto body = std::make_shared<std::string>();
  if (index == 0 || headerOnEveryPage) appendQuoted(*body, header, lineEnding);
  std::size_t cut = std::string::npos;
  const auto broken = breakPage.find(index);
  std::size_t sent = sizes[index];
  if (auto it = truncatePage.find(index);
      it != truncatePage.end() && attempt <= it->second.second) {
    sent = std::min(sent, it->second.first);
  }
  for (std::size_t i = 0; i < sent; ++i) {
    if (broken != breakPage.end() && attempt <= broken->second.second &&
        i == broken->second.first) {
      cut = body->size() + 2;  // two bytes into the next row: mid-row
    }
    appendQuoted(*body, rows.at(start + i), lineEnding);
  }
  if (cut != std::string::npos) cut = std::min(cut, body->size() - 1);

  Headers headers{{"Content-Type", "text/csv; charset=UTF-8"},
                  {"Sforce-NumberOfRecords", std::to_string(sizes[index])},
                  {"Sforce-Locator", index + 1 < sizes.size() ? "L" + std::to_string(index + 1)
                                                              : std::string("null")}};
  auto guard = std::make_shared<ActiveDownload>(active_);
  seen_.maxConcurrentDownloads = std::max(seen_.maxConcurrentDownloads, active_->load());
  auto offset = std::make_shared<std::size_t>(0);
  const std::size_t chunk = std::max<std::size_t>(chunkBytes, 1);
  const auto delay = readDelay;
  ByteReader source = [body, offset, cut, chunk, delay, guard](char* out, std::size_t size) {
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    const std::size_t limit = cut == std::string::npos ? body->size() : cut;
    if (*offset >= limit) {
      if (cut != std::string::npos) {
        throw TransportError("Connection reset by peer", 56, true, true);
      }
      return std::size_t{0};
    }
    const std::size_t n = std::min({size, chunk, limit - *offset});
    std::copy_n(body->data() + *offset, n, out);
    *offset += n;
    return n;
  };
  return Bulk2CsvReader(std::move(source), ColumnDelimiter::Comma, std::move(headers));
}

void FakeBulk2Query::log(LogLevel, const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  seen_.logs.push_back(message);
}

QueryOptions fastV2Options() {
  QueryOptions options;
  options.api = BulkApi::V2;
  options.pollMinInterval = std::chrono::milliseconds(1);
  options.pollMaxInterval = std::chrono::milliseconds(4);
  options.timeout = std::chrono::seconds(10);
  return options;
}

std::vector<std::vector<std::string>> readAllRows(QueryStream& stream) {
  std::vector<std::vector<std::string>> all;
  std::vector<std::string> row;
  while (stream.nextRow(row)) all.push_back(row);
  return all;
}

}  // namespace sfdc::bulk::testing
