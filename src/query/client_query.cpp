// Client::query: validate, create the query job, send the SOQL batch, close the job and
// hand back a stream that follows the job's batches and reads their result files.
//
// Streaming starts as soon as the first batch is Completed, not after the whole job: a
// PK-chunked query's first chunks can be read while later ones still run, and nothing
// is buffered meanwhile (the tracker polls only when the reader needs a batch it has
// not yet seen Completed). Client::query itself waits for that first batch, so a
// malformed query or a timeout surfaces from the call that started it.

#include <algorithm>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/error.hpp>
#include <thread>

#include "error_text.hpp"
#include "load/upload_pool.hpp"
#include "query/query_stream_impl.hpp"
#include "query/soql_object.hpp"

namespace sfdc::bulk {

namespace {

void validate(std::string_view soql, const QueryOptions& options) {
  if (soql.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw InvalidArgument("query: the SOQL text is empty");
  }
  if (options.contentType != ContentType::CSV && options.contentType != ContentType::JSON &&
      options.contentType != ContentType::XML) {
    throw InvalidArgument("query: the content type must be CSV, JSON or XML, not " +
                          std::string(toString(options.contentType)));
  }
  if (options.timeout.count() <= 0) throw InvalidArgument("query: the timeout must be positive");
}

std::chrono::milliseconds pause(int attempt) {
  return std::min(std::chrono::milliseconds(1000) * std::min(attempt, 8),
                  std::chrono::milliseconds(30'000));
}

// As a load creates its job: what provably did not happen (503, 429, no connection) is
// tried again until the deadline; an unknown outcome a few times (an empty query job
// left behind costs nothing but an open job).
Job createQueryJob(Connection& connection, Operation operation, const std::string& object,
                   ContentType contentType, const JobOptions& options,
                   std::chrono::steady_clock::time_point deadline) {
  constexpr int kUnknownOutcomeAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    try {
      const JobInfo info = connection.createJob(operation, object, contentType, options);
      return Job{info.id, info.operation, info.object, info.contentType, info.externalIdFieldName};
    } catch (...) {
      const auto error = std::current_exception();
      const auto outcome = detail::load::classifyUploadError(error);
      if (outcome == detail::load::UploadOutcome::Fatal ||
          (outcome == detail::load::UploadOutcome::Ambiguous &&
           attempt >= kUnknownOutcomeAttempts) ||
          std::chrono::steady_clock::now() + pause(attempt) >= deadline) {
        throw;
      }
      connection.log(LogLevel::Warning, "query: creating the job failed (" +
                                            detail::describeError(error) + "); trying again");
      std::this_thread::sleep_for(pause(attempt));
    }
  }
}

// The SOQL batch is the job's first; after an unknown outcome the job's batch list says
// whether it exists, so the query never runs twice.
BatchInfo addQueryBatch(Connection& connection, const Job& job, std::string_view soql,
                        std::chrono::steady_clock::time_point deadline) {
  for (int attempt = 1;; ++attempt) {
    try {
      return connection.addBatch(job, soql, AddBatchOptions{});
    } catch (...) {
      const auto error = std::current_exception();
      const auto outcome = detail::load::classifyUploadError(error);
      if (outcome == detail::load::UploadOutcome::Fatal ||
          std::chrono::steady_clock::now() + pause(attempt) >= deadline) {
        throw;
      }
      connection.log(LogLevel::Warning, "query: adding the SOQL batch to job " + job.id +
                                            " failed (" + detail::describeError(error) + ")");
      std::this_thread::sleep_for(pause(attempt));
      if (outcome == detail::load::UploadOutcome::Ambiguous) {
        std::vector<BatchInfo> batches = connection.getAllBatches(job);
        if (!batches.empty()) {
          std::stable_sort(
              batches.begin(), batches.end(),
              [](const BatchInfo& a, const BatchInfo& b) { return a.createdDate < b.createdDate; });
          return batches.front();
        }
      }
    }
  }
}

}  // namespace

QueryStream Client::query(std::string_view soql, const QueryOptions& options) {
  validate(soql, options);
  const std::string object = detail::queryObject(soql);
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;

  JobOptions jobOptions;
  jobOptions.pkChunking = options.pkChunking;
  const Job job = createQueryJob(*connection_, options.all ? Operation::QueryAll : Operation::Query,
                                 object, options.contentType, jobOptions, deadline);
  BatchInfo batch;
  try {
    batch = addQueryBatch(*connection_, job, soql, deadline);
    // Closing only stops new batches; the query batch (and its chunks) still run.
    closeJob(job);
  } catch (...) {
    // Leave nothing open that the caller has no handle on. A failed addBatch may still
    // have created the batch; aborting the job covers that case too.
    try {
      abortJob(job);
    } catch (const std::exception& e) {
      connection_->log(LogLevel::Warning, "aborting query job " + job.id + " failed: " + e.what());
    }
    throw;
  }
  connection_->log(LogLevel::Info, "query job " + job.id + " on " + object + ", batch " + batch.id);

  detail::query::PollSettings settings;
  settings.minInterval = options.pollMinInterval;
  settings.maxInterval = options.pollMaxInterval;
  settings.deadline = deadline;
  settings.cancel = options.cancel;
  settings.pkChunking = options.pkChunking.has_value();
  auto impl = std::make_unique<QueryStream::Impl>(connection_, job, batch.id, settings);
  impl->start();
  return QueryStream(std::move(impl));
}

}  // namespace sfdc::bulk
