#include "job_runner.hpp"

#include <algorithm>
#include <sfdc/bulk/error.hpp>
#include <thread>

#include "../body_sources.hpp"
#include "../error_text.hpp"
#include "../load/upload_pool.hpp"
#include "poll_backoff.hpp"

namespace sfdc::bulk::detail::load2 {

using load::classifyUploadError;
using load::isTransientReadError;
using load::UploadOutcome;

namespace {

JobRun notSent(Bulk2JobInfo info, std::exception_ptr error, std::string reason) {
  return JobRun{JobRun::End::NotSent, std::move(info), std::move(error), std::move(reason)};
}

}  // namespace

JobRunner::JobRunner(Bulk2Connection& api, Operation operation, std::string object,
                     const LoadOptions& options, const Load2Tuning& tuning, LoadSignals& signals)
    : api_(api),
      operation_(operation),
      object_(std::move(object)),
      options_(options),
      tuning_(tuning),
      signals_(signals) {}

bool JobRunner::cancelled() const { return options_.cancel && options_.cancel->cancelled(); }

bool JobRunner::pause(std::chrono::milliseconds wait, int finishedSeen) {
  const auto until = Clock::now() + wait;
  for (;;) {
    if (signals_.halt.load() || Clock::now() >= signals_.deadline) return false;
    const auto now = Clock::now();
    if (now >= until || cancelled()) return true;
    if (finishedSeen >= 0 && signals_.jobsFinished.load() != finishedSeen) return true;
    std::this_thread::sleep_for(
        std::min<Clock::duration>(until - now, Clock::duration(tuning_.wakeInterval)));
  }
}

Bulk2JobInfo JobRunner::create() {
  IngestJobOptions jobOptions;
  jobOptions.externalIdFieldName = options_.externalIdFieldName;
  jobOptions.assignmentRuleId = options_.assignmentRuleId;
  // Set from what is actually sent: the loader writes every row with commas, ended by
  // LoadOptions::lineEnding (LF by default).
  jobOptions.lineEnding = options_.lineEnding.value_or(LineEnding::LF);
  jobOptions.columnDelimiter = ColumnDelimiter::Comma;
  for (int attempt = 1;; ++attempt) {
    try {
      Bulk2JobInfo info = api_.createIngestJob(operation_, object_, jobOptions);
      api_.log(LogLevel::Info, "load: job " + info.id + " created");
      return info;
    } catch (...) {
      const auto error = std::current_exception();
      const UploadOutcome outcome = classifyUploadError(error);
      const int attempts = outcome == UploadOutcome::Ambiguous ? tuning_.createJobAttempts
                                                               : 2 * tuning_.createJobAttempts;
      if (outcome == UploadOutcome::Fatal || attempt >= attempts || cancelled() ||
          signals_.halt.load() || Clock::now() + tuning_.retryDelay >= signals_.deadline) {
        throw;
      }
      api_.log(LogLevel::Warning,
               "load: createIngestJob failed (" + describeError(error) + "); creating again" +
                   (outcome == UploadOutcome::Ambiguous
                        ? ". A job the server may have created stays empty and Open: it "
                          "processes nothing and Salesforce removes it in time."
                        : ""));
      if (!pause(std::min(tuning_.retryDelay * std::min(attempt, 8),
                          std::chrono::milliseconds(30'000)))) {
        throw;
      }
    }
  }
}

void JobRunner::abort(const std::string& jobId, const std::string& why) {
  if (jobId.empty()) return;
  try {
    api_.abortIngestJob(jobId);
    api_.log(LogLevel::Info, "load: job " + jobId + " aborted: " + why);
  } catch (const std::exception& e) {
    // An Open job that is never closed processes nothing either; Salesforce removes it.
    api_.log(LogLevel::Warning, "load: aborting job " + jobId + " (" + why +
                                    ") failed: " + e.what() +
                                    "; the job was never closed, so it processes "
                                    "nothing");
  }
}

Bulk2JobInfo JobRunner::readInfo(const std::string& jobId) {
  int failures = 0;
  for (;;) {
    try {
      return api_.getIngestJobInfo(jobId);
    } catch (...) {
      const auto error = std::current_exception();
      // Reads change nothing on the server: an outage is waited out within the timeout.
      if (!isTransientReadError(error)) throw;
      ++failures;
      const auto delay =
          std::min(tuning_.retryDelay * std::min(failures, 30), std::chrono::milliseconds(30'000));
      api_.log(LogLevel::Warning, "load: reading job " + jobId + " failed (" +
                                      describeError(error) + "); trying again in " +
                                      std::to_string(delay.count()) + " ms");
      if (!pause(delay)) throw;
    }
  }
}

void JobRunner::close(Bulk2JobInfo& info, bool& stillOpen) {
  stillOpen = false;
  for (int attempt = 1;; ++attempt) {
    try {
      info = api_.closeIngestJob(info.id);
      return;
    } catch (...) {
      const auto error = std::current_exception();
      stillOpen = false;
      // Whether the close happened is told by the job's state.
      const Bulk2JobInfo now = readInfo(info.id);
      if (now.state != Bulk2JobState::Open) {
        info = now;
        return;
      }
      stillOpen = true;
      if (classifyUploadError(error) == UploadOutcome::Fatal ||
          attempt >= tuning_.createJobAttempts) {
        throw;
      }
      api_.log(LogLevel::Warning, "load: closing job " + info.id + " failed (" +
                                      describeError(error) + "); closing again");
      if (!pause(tuning_.retryDelay)) throw;
    }
  }
}

JobRun JobRunner::run(const std::string& bodyPath, std::optional<Bulk2JobInfo> created,
                      const InfoSink& onInfo) {
  Bulk2JobInfo info;
  bool haveJob = false;
  if (created) {
    info = std::move(*created);
    haveJob = true;
  }
  // Create and upload, to a new job after each upload whose outcome is unknown.
  for (int attempt = 1;; ++attempt) {
    if (cancelled()) {
      if (haveJob) abort(info.id, "the load was cancelled");
      return notSent(info, nullptr, "not sent: the load was cancelled");
    }
    if (signals_.stopSending.load() || signals_.halt.load()) {
      if (haveJob) abort(info.id, "the load stopped");
      return notSent(info, nullptr, "");
    }
    if (!haveJob) {
      try {
        info = create();
        haveJob = true;
      } catch (...) {
        return notSent(Bulk2JobInfo{}, std::current_exception(), "");
      }
    }
    onInfo(info, false);
    try {
      UploadOptions uploadOptions;
      uploadOptions.gzip = options_.gzip;
      api_.uploadJobData(IngestJob::from(info), std::make_shared<FileBodySource>(bodyPath),
                         uploadOptions);
      break;
    } catch (...) {
      const auto error = std::current_exception();
      const UploadOutcome outcome = classifyUploadError(error);
      if (outcome == UploadOutcome::Fatal) {
        abort(info.id, "its upload was refused");
        return notSent(info, error, "");
      }
      if (outcome == UploadOutcome::Ambiguous) {
        // The data may be in the job; a second PUT would poison it and the first may
        // still be processed if the job were closed. Abort it and start over.
        abort(info.id, "its upload's outcome is unknown (" + describeError(error) +
                           "); the rows go to a new job");
        haveJob = false;
      }
      if (attempt >= tuning_.uploadAttempts) {
        if (haveJob) abort(info.id, "its upload kept failing");
        return notSent(info, error, "");
      }
      api_.log(LogLevel::Warning, "load: uploading to job " + info.id + " failed (" +
                                      describeError(error) + "); uploading again");
      if (!pause(tuning_.retryDelay)) {
        if (haveJob) abort(info.id, "the load stopped");
        return notSent(info, error, "");
      }
    }
  }
  bool stillOpen = false;
  try {
    close(info, stillOpen);
  } catch (...) {
    const auto error = std::current_exception();
    abort(info.id, "it could not be closed");
    // A job last seen Open never started processing; otherwise (its state could not be
    // read) it may have, and its rows' outcome is unknown.
    if (stillOpen) return notSent(info, error, "");
    return JobRun{JobRun::End::Unknown, info, error,
                  "sent to job " + info.id + ", whose close could not be confirmed"};
  }
  onInfo(info, true);

  // Poll until terminal.
  PollBackoff backoff(options_.pollMinInterval, options_.pollMaxInterval);
  bool abortSent = false;
  while (!info.isTerminal()) {
    if (cancelled() && !abortSent) {
      abortSent = true;
      abort(info.id, "the load was cancelled");
      backoff.reset();
    }
    const int finished = signals_.jobsFinished.load();
    if (!pause(backoff.current(), finished)) {
      const bool timedOut = Clock::now() >= signals_.deadline;
      auto error = timedOut ? std::make_exception_ptr(
                                  TimeoutError("load: job " + info.id + " did not finish within " +
                                                   std::to_string(options_.timeout.count()) + " ms",
                                               info.id, ""))
                            : nullptr;
      return JobRun{JobRun::End::Unknown, info, error,
                    "sent to job " + info.id + " (left " + std::string(toString(info.state)) +
                        "); its result was not read"};
    }
    try {
      Bulk2JobInfo next = readInfo(info.id);
      const bool changed =
          next.state != info.state || next.numberRecordsProcessed != info.numberRecordsProcessed;
      info = std::move(next);
      backoff.onPoll(changed);
      if (signals_.jobsFinished.load() != finished) backoff.reset();
      onInfo(info, true);
    } catch (...) {
      return JobRun{JobRun::End::Unknown, info, std::current_exception(),
                    "sent to job " + info.id + "; its result could not be read"};
    }
  }
  signals_.jobsFinished.fetch_add(1);
  return JobRun{JobRun::End::Terminal, info, nullptr, ""};
}

}  // namespace sfdc::bulk::detail::load2
