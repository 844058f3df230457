// Client::load over the real client: the loader's LoadApi mapped onto Client's public
// operations, plus two things only the session offers: the per-load gzip choice for
// batch bodies and the client's log sink.

#include <sfdc/bulk/client.hpp>

#include "../codec/wire_codec.hpp"
#include "../session.hpp"
#include "loader.hpp"

namespace sfdc::bulk {

namespace {

class ClientLoadApi final : public detail::load::LoadApi {
 public:
  ClientLoadApi(Client& client, detail::Session& session, bool gzip)
      : client_(client), session_(session), gzip_(gzip) {}

  Job createJob(Operation operation, std::string_view object, ContentType contentType,
                const JobOptions& options) override {
    return client_.createJob(operation, object, contentType, options);
  }

  BatchInfo addBatch(const Job& job, std::shared_ptr<BodySource> body) override {
    // As Client::addBatch(job, BodySource), with this load's gzip setting.
    detail::ApiCall call;
    call.method = "POST";
    call.path = "job/" + job.id + "/batch";
    call.contentType = std::string(mimeType(job.contentType)) + "; charset=UTF-8";
    call.bodySource = std::move(body);
    call.gzipBody = gzip_;
    call.idempotency = detail::Idempotency::NonIdempotent;
    call.jobId = job.id;
    return detail::parseBatchInfo(session_.call(call).body);
  }

  std::vector<BatchInfo> getAllBatches(const Job& job) override {
    return client_.getAllBatches(job);
  }

  std::string getBatchRequest(const Job& job, const std::string& batchId) override {
    return client_.getBatchRequest(job, batchId);
  }

  std::vector<RecordResult> getBatchResult(const Job& job, const std::string& batchId) override {
    return client_.getBatchResult(job, batchId).records;
  }

  void closeJob(const Job& job) override { client_.closeJob(job); }
  void abortJob(const Job& job) override { client_.abortJob(job); }
  void log(LogLevel level, const std::string& message) override { session_.log(level, message); }

 private:
  Client& client_;
  detail::Session& session_;
  bool gzip_;
};

}  // namespace

LoadResult Client::load(Operation operation, std::string_view object, RecordSource source,
                        const LoadOptions& options) {
  ClientLoadApi api(*this, *session_, options.gzip.value_or(session_->config().gzipRequests));
  return detail::load::runLoad(api, operation, object, source, options);
}

}  // namespace sfdc::bulk
