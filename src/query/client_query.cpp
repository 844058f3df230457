// Client::query: validate, create the query job, send the SOQL batch, close the job and
// hand back a stream that follows the job's batches and reads their result files. With
// api = BulkApi::V2 the query runs over Bulk API 2.0 instead (queryBulk2 below).
//
// Streaming starts as soon as the first batch is Completed, not after the whole job: a
// PK-chunked query's first chunks can be read while later ones still run, and nothing
// is buffered meanwhile (the tracker polls only when the reader needs a batch it has
// not yet seen Completed). Client::query itself waits for that first batch, so a
// malformed query or a timeout surfaces from the call that started it.

#include <algorithm>
#include <sfdc/bulk/bulk2_connection.hpp>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/error.hpp>
#include <thread>

#include "error_text.hpp"
#include "load/upload_pool.hpp"
#include "query/bulk2_query_job.hpp"
#include "query/bulk2_query_stream.hpp"
#include "query/job_creation.hpp"
#include "query/soql_object.hpp"
#include "query/v1_query_stream.hpp"

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
  if (options.parallelDownloads < 1) {
    throw InvalidArgument("query: parallelDownloads must be at least 1, not " +
                          std::to_string(options.parallelDownloads));
  }
  if (options.api != BulkApi::V2) return;
  if (options.contentType != ContentType::CSV) {
    throw InvalidArgument("query: Bulk API 2.0 returns CSV only, not " +
                          std::string(toString(options.contentType)) +
                          "; use contentType CSV or api = BulkApi::V1");
  }
  if (options.pkChunking) {
    throw InvalidArgument(
        "query: pkChunking does not apply to Bulk API 2.0 (the service splits large queries "
        "on its own); unset it or use api = BulkApi::V1");
  }
  if (options.maxRecordsPerPage && *options.maxRecordsPerPage <= 0) {
    throw InvalidArgument("query: maxRecordsPerPage must be positive, not " +
                          std::to_string(*options.maxRecordsPerPage));
  }
}

std::shared_ptr<Bulk2Connection> bulk2Of(const std::shared_ptr<Connection>& connection) {
  std::shared_ptr<Bulk2Connection> bulk2 = connection->bulk2();
  if (!bulk2) {
    throw Error(
        "query: this connection does not offer Bulk API 2.0 (Connection::bulk2() returned "
        "null); use api = BulkApi::V1 or a connection with a 2.0 side");
  }
  return bulk2;
}

detail::query::PollSettings pollSettings(const QueryOptions& options,
                                         std::chrono::steady_clock::time_point deadline) {
  detail::query::PollSettings poll;
  poll.minInterval = options.pollMinInterval;
  poll.maxInterval = options.pollMaxInterval;
  poll.deadline = deadline;
  poll.cancel = options.cancel;
  poll.onProgress = options.onProgress;
  return poll;
}

// Bulk API 2.0: one query job, its results paged by locator (or downloaded in parallel
// through resultPages). Client::query returns once the job is JobComplete and the first
// page is open, so errors of the job as a whole come from it, as over v1.
QueryStream streamBulk2(std::shared_ptr<Bulk2Connection> bulk2, QueryJob job,
                        const QueryOptions& options) {
  detail::query::Bulk2StreamSettings settings;
  settings.maxRecordsPerPage = options.maxRecordsPerPage;
  settings.parallelDownloads = options.parallelDownloads;
  settings.cancel = options.cancel;
  auto impl =
      std::make_unique<detail::query::Bulk2QueryStream>(std::move(bulk2), std::move(job), settings);
  impl->start();
  return QueryStream(std::move(impl));
}

// Bulk API v1: follows the job's batches from the SOQL batch `batchId`.
QueryStream streamV1(const std::shared_ptr<Connection>& connection, const Job& job,
                     const std::string& batchId, const QueryOptions& options,
                     std::chrono::steady_clock::time_point deadline) {
  detail::query::PollSettings settings = pollSettings(options, deadline);
  settings.pkChunking = options.pkChunking.has_value();
  auto impl = std::make_unique<detail::query::V1QueryStream>(connection, job, batchId, settings,
                                                             options.parallelDownloads);
  impl->start();
  return QueryStream(std::move(impl));
}

// As a load creates its job (see job_creation.hpp).
Job createQueryJob(Connection& connection, Operation operation, const std::string& object,
                   ContentType contentType, const JobOptions& options,
                   std::chrono::steady_clock::time_point deadline) {
  return detail::query::createQueryJobWithRetry(
      [&] {
        const JobInfo info = connection.createJob(operation, object, contentType, options);
        return Job{info.id, info.operation, info.object, info.contentType,
                   info.externalIdFieldName};
      },
      [&](const std::string& message) { connection.log(LogLevel::Warning, message); }, deadline);
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
          std::chrono::steady_clock::now() + detail::query::creationPause(attempt) >= deadline) {
        throw;
      }
      connection.log(LogLevel::Warning, "query: adding the SOQL batch to job " + job.id +
                                            " failed (" + detail::describeError(error) + ")");
      std::this_thread::sleep_for(detail::query::creationPause(attempt));
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

namespace {

struct StartedQuery {
  Job job;
  BatchInfo batch;
};

// Bulk API v1: the query job, its SOQL batch, and the job closed.
StartedQuery startV1Query(const std::shared_ptr<Connection>& connection, Client& client,
                          std::string_view soql, const QueryOptions& options,
                          std::chrono::steady_clock::time_point deadline) {
  const std::string object = detail::queryObject(soql);
  JobOptions jobOptions;
  jobOptions.pkChunking = options.pkChunking;
  const Job job = createQueryJob(*connection, options.all ? Operation::QueryAll : Operation::Query,
                                 object, options.contentType, jobOptions, deadline);
  BatchInfo batch;
  try {
    batch = addQueryBatch(*connection, job, soql, deadline);
    // Closing only stops new batches; the query batch (and its chunks) still run.
    client.closeJob(job);
  } catch (...) {
    // Leave nothing open that the caller has no handle on. A failed addBatch may still
    // have created the batch; aborting the job covers that case too.
    try {
      client.abortJob(job);
    } catch (const std::exception& e) {
      connection->log(LogLevel::Warning, "aborting query job " + job.id + " failed: " + e.what());
    }
    throw;
  }
  connection->log(LogLevel::Info, "query job " + job.id + " on " + object + ", batch " + batch.id);
  return {job, batch};
}

}  // namespace

QueryStream Client::query(std::string_view soql, const QueryOptions& options) {
  validate(soql, options);
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  if (options.api == BulkApi::V2) {
    std::shared_ptr<Bulk2Connection> bulk2 = bulk2Of(connection_);
    QueryJob job =
        detail::query::runBulk2QueryJob(*bulk2, soql, options.all, pollSettings(options, deadline));
    return streamBulk2(std::move(bulk2), std::move(job), options);
  }
  const StartedQuery started = startV1Query(connection_, *this, soql, options, deadline);
  return streamV1(connection_, started.job, started.batch.id, options, deadline);
}

std::string Client::submitQuery(std::string_view soql, const QueryOptions& options) {
  validate(soql, options);
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  if (options.api == BulkApi::V2) {
    return detail::query::createBulk2QueryJob(*bulk2Of(connection_), soql, options.all,
                                              pollSettings(options, deadline))
        .id;
  }
  return startV1Query(connection_, *this, soql, options, deadline).job.id;
}

QueryStream Client::attachQuery(std::string_view jobId, const QueryOptions& options) {
  if (options.timeout.count() <= 0) throw InvalidArgument("query: the timeout must be positive");
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  if (options.api == BulkApi::V2) {
    std::shared_ptr<Bulk2Connection> bulk2 = bulk2Of(connection_);
    Bulk2JobInfo info = bulk2->getQueryJobInfo(jobId);
    if (info.id.empty()) info.id = std::string(jobId);
    QueryJob job = detail::query::waitForBulk2QueryJob(*bulk2, std::move(info),
                                                       pollSettings(options, deadline));
    return streamBulk2(std::move(bulk2), std::move(job), options);
  }
  const JobInfo info = getJobInfo(attachJob(jobId));
  if (!isQuery(info.operation)) {
    throw InvalidArgument("query: job " + std::string(jobId) + " is a " +
                          std::string(toString(info.operation)) + " job, not a query");
  }
  const Job job{info.id, info.operation, info.object, info.contentType, info.externalIdFieldName};
  std::vector<BatchInfo> batches = connection_->getAllBatches(job);
  if (batches.empty()) {
    throw InvalidArgument("query: job " + job.id + " has no query batch");
  }
  // The SOQL batch is the job's first; PK-chunk batches come after it.
  std::stable_sort(batches.begin(), batches.end(), [](const BatchInfo& a, const BatchInfo& b) {
    return a.createdDate < b.createdDate;
  });
  return streamV1(connection_, job, batches.front().id, options, deadline);
}

}  // namespace sfdc::bulk
