#include "query/bulk2_query_job.hpp"

#include <algorithm>
#include <chrono>
#include <sfdc/bulk/error.hpp>
#include <thread>

#include "coded_message.hpp"
#include "error_text.hpp"
#include "load/upload_pool.hpp"
#include "poll_backoff.hpp"
#include "query/job_creation.hpp"

namespace sfdc::bulk::detail::query {
namespace {

using Clock = std::chrono::steady_clock;

// Sleeps are cut in slices this long so that a cancellation does not wait out a long
// poll interval.
constexpr std::chrono::milliseconds kCancelCheck{50};

void abortQuietly(Bulk2Connection& api, const std::string& jobId, const std::string& why) {
  try {
    api.abortQueryJob(jobId);
  } catch (const std::exception& e) {
    api.log(LogLevel::Warning, why + "; aborting query job " + jobId + " failed: " + e.what());
  }
}

[[noreturn]] void throwFailed(const Bulk2JobInfo& info) {
  if (info.errorMessage.empty()) {
    // Failed query jobs often carry no errorMessage at all (wire reference §6.2).
    throw ApiError(200, std::string(), "the query job failed", info.id);
  }
  auto [code, message] = splitCodedMessage(info.errorMessage);
  // The poll that reported the state succeeded (HTTP 200); the failure is the job's.
  throw ApiError(200, std::move(code), std::move(message), info.id);
}

void waitUntil(Bulk2Connection& api, const std::string& jobId, const PollSettings& settings,
               Clock::time_point until) {
  for (auto now = Clock::now(); now < until; now = Clock::now()) {
    abortIfCancelled(api, jobId, settings);
    std::this_thread::sleep_for(std::min<Clock::duration>(until - now, kCancelCheck));
  }
  abortIfCancelled(api, jobId, settings);
}

}  // namespace

void abortIfCancelled(Bulk2Connection& api, const std::string& jobId,
                      const PollSettings& settings) {
  if (!settings.cancel || !settings.cancel->cancelled()) return;
  abortQuietly(api, jobId, "query cancelled");
  throw Error("the query was cancelled; job " + jobId + " was aborted");
}

Bulk2JobInfo createBulk2QueryJob(Bulk2Connection& api, std::string_view soql, bool all,
                                 const PollSettings& settings) {
  QueryJobOptions jobOptions;
  jobOptions.all = all;
  Bulk2JobInfo info = createQueryJobWithRetry(
      [&] { return api.createQueryJob(soql, jobOptions); },
      [&](const std::string& message) { api.log(LogLevel::Warning, message); }, settings.deadline);
  if (info.id.empty()) throw ParseError("the answer to creating the query job has no job id");
  api.log(LogLevel::Info, "query job " + info.id + " (Bulk API 2.0) on " + info.object);
  return info;
}

QueryJob runBulk2QueryJob(Bulk2Connection& api, std::string_view soql, bool all,
                          const PollSettings& settings) {
  return waitForBulk2QueryJob(api, createBulk2QueryJob(api, soql, all, settings), settings);
}

QueryJob waitForBulk2QueryJob(Bulk2Connection& api, Bulk2JobInfo info,
                              const PollSettings& settings) {
  const std::string jobId = info.id;
  const bool all = info.operation == Operation::QueryAll;
  PollBackoff backoff(settings.minInterval, settings.maxInterval);
  for (;;) {
    if (settings.onProgress) {
      QueryProgress progress;
      progress.jobId = jobId;
      progress.jobState = std::string(toString(info.state));
      progress.recordsProcessed = info.numberRecordsProcessed;
      settings.onProgress(progress);
    }
    switch (info.state) {
      case Bulk2JobState::JobComplete: {
        QueryJob job;
        job.id = jobId;
        job.operation = all ? Operation::QueryAll : Operation::Query;
        job.columnDelimiter = info.columnDelimiter;
        job.lineEnding = info.lineEnding;
        return job;
      }
      case Bulk2JobState::Failed:
        throwFailed(info);
      case Bulk2JobState::Aborted:
        throw Error("the query job " + jobId + " was aborted before it completed");
      case Bulk2JobState::Open:
      case Bulk2JobState::UploadComplete:
      case Bulk2JobState::InProgress:
        break;
    }
    const auto now = Clock::now();
    if (now >= settings.deadline) {
      abortQuietly(api, jobId, "the query timed out");
      throw TimeoutError("the query job " + jobId + " did not finish in time; it was aborted",
                         jobId);
    }
    waitUntil(api, jobId, settings, std::min(now + backoff.current(now), settings.deadline));
    const Bulk2JobState before = info.state;
    try {
      info = api.getQueryJobInfo(jobId);
    } catch (...) {
      // The connection retried a few times already; an outage may last longer. A poll
      // changes nothing, so it is tried again (less often) until the deadline.
      const auto error = std::current_exception();
      if (!load::isTransientReadError(error)) throw;
      backoff.onFailure();
      api.log(LogLevel::Warning, "query job " + jobId + ": polling failed for now (" +
                                     describeError(error) + "); trying again in " +
                                     std::to_string(backoff.current().count()) + " ms");
      continue;
    }
    if (info.id.empty()) info.id = jobId;
    backoff.onPoll(info.state != before);
  }
}

}  // namespace sfdc::bulk::detail::query
