#pragma once

// A small stateful stand-in for the query side of the Bulk API, for Client::query unit
// tests: it routes requests by URL instead of answering from a fixed queue, because a
// query's request sequence depends on timing (how many polls) and on how far the caller
// reads. Polls step through a scripted list of batch states; result files can be cut
// off after some bytes to test resuming.

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fake_transport.hpp"
#include "responses.hpp"

namespace sfdc::bulk::testing {

class QueryFakeServer : public HttpTransport {
 public:
  using BatchStates = std::vector<std::pair<std::string, std::string>>;  // id, state

  std::string jobId = "750x0000000001QAAQ";
  std::string rootBatchId = "751x0000000001RAAQ";
  /// "CSV", "JSON" or "XML": the job's content type (JSON jobs answer in JSON).
  std::string contentType = "CSV";
  /// Batch list per poll; the last one repeats.
  std::vector<BatchStates> polls;
  /// stateMessage per batch id (for Failed batches).
  std::map<std::string, std::string> stateMessages;
  std::map<std::string, std::vector<std::string>> resultIds;
  std::map<std::string, std::string> files;
  /// Result id → {bytes served before the connection "drops", how many opens fail}.
  std::map<std::string, std::pair<std::size_t, int>> cuts;

  HttpResponse send(const HttpRequest& request) override {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(RecordedRequest{request.method, request.url, request.headers, request.body,
                                        request.gzipBody});
    return route(request);
  }

  std::unique_ptr<HttpResponseStream> open(const HttpRequest& request) override {
    HttpResponse response = send(request);
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string resultId = request.url.substr(request.url.rfind('/') + 1);
    std::size_t cutAt = std::string::npos;
    auto cut = cuts.find(resultId);
    if (cut != cuts.end() && cut->second.second > 0) {
      --cut->second.second;
      cutAt = cut->second.first;
    }
    return std::make_unique<Stream>(std::move(response), cutAt);
  }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  /// Requests whose URL ends with `suffix` (and method, when given).
  std::size_t count(const std::string& suffix, const std::string& method = "GET") const {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<std::size_t>(
        std::count_if(requests_.begin(), requests_.end(), [&](const RecordedRequest& r) {
          return r.method == method && r.url.size() >= suffix.size() &&
                 r.url.compare(r.url.size() - suffix.size(), suffix.size(), suffix) == 0;
        }));
  }
  std::size_t pollCount() const { return count("/job/" + jobId + "/batch"); }
  bool aborted() const {
    for (const auto& r : requests()) {
      if (r.method == "POST" && r.body.find("Aborted") != std::string::npos) return true;
    }
    return false;
  }

 private:
  class Stream final : public HttpResponseStream {
   public:
    Stream(HttpResponse response, std::size_t cutAt)
        : response_(std::move(response)), cutAt_(cutAt) {}
    int status() const override { return response_.status; }
    const Headers& headers() const override { return response_.headers; }
    std::size_t read(char* buffer, std::size_t size) override {
      if (offset_ >= cutAt_) throw TransportError("connection reset mid-body", 56, true, true);
      const std::size_t end = std::min(response_.body.size(), cutAt_);
      // Serve small pieces so the cut lands inside the reader's buffering.
      const std::size_t n = std::min({size, end - offset_, std::size_t{7}});
      std::memcpy(buffer, response_.body.data() + offset_, n);
      offset_ += n;
      return n;
    }

   private:
    HttpResponse response_;
    std::size_t cutAt_;
    std::size_t offset_ = 0;
  };

  bool json() const { return contentType == "JSON"; }

  HttpResponse reply(int status, std::string body) const {
    return HttpResponse{
        status, {{"Content-Type", json() ? "application/json" : "application/xml"}}, body};
  }

  std::string batchInfo(const std::string& id, const std::string& state) const {
    auto message = stateMessages.find(id);
    const std::string text = message == stateMessages.end() ? "" : message->second;
    if (json()) {
      std::string body = batchInfoJson(id, jobId, state);
      if (!text.empty()) body.insert(1, "\"stateMessage\":\"" + text + "\",");
      return body;
    }
    std::string body = batchInfoXml(id, jobId, state, text);
    return body.substr(body.find("<batchInfo"));  // drop the prolog for list embedding
  }

  std::string operationOf(const std::string& body) const {
    return body.find("queryAll") != std::string::npos ? "queryAll" : "query";
  }

  HttpResponse route(const HttpRequest& request) {
    const std::string prefix = "/services/async/59.0/";
    const std::string path = request.url.substr(request.url.find(prefix) + prefix.size());
    const std::string job = "job/" + jobId;
    if (request.method == "POST" && path == "job") {
      operation_ = operationOf(request.body);
      object_ =
          between(request.body, json() ? "\"object\":\"" : "<object>", json() ? "\"" : "</object>");
      return jobInfo("Open");
    }
    if (request.method == "POST" && path == job) {
      return jobInfo(request.body.find("Aborted") != std::string::npos ? "Aborted" : "Closed");
    }
    if (request.method == "POST" && path == job + "/batch") {
      soql_ = request.body;
      return reply(201, json() ? batchInfoJson(rootBatchId, jobId, "Queued")
                               : batchInfoXml(rootBatchId, jobId, "Queued"));
    }
    if (request.method == "GET" && path == job + "/batch") {
      if (polls.empty()) throw std::logic_error("QueryFakeServer: no poll scripted");
      const BatchStates& states = polls[std::min(pollIndex_++, polls.size() - 1)];
      std::string body = json() ? "{\"batchInfo\":["
                                : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                                  "<batchInfoList xmlns=\"http://www.force."
                                  "com/2009/06/asyncapi/dataload\">";
      for (std::size_t i = 0; i < states.size(); ++i) {
        if (json() && i > 0) body += ",";
        body += batchInfo(states[i].first, states[i].second);
      }
      body += json() ? "]}" : "</batchInfoList>";
      return reply(200, body);
    }
    const std::string batchPrefix = job + "/batch/";
    if (request.method == "GET" && path.rfind(batchPrefix, 0) == 0) {
      std::string rest = path.substr(batchPrefix.size());
      const auto slash = rest.find('/');
      const std::string batchId = rest.substr(0, slash);
      rest = slash == std::string::npos ? "" : rest.substr(slash);
      if (rest == "/result") {
        const auto& ids = resultIds.at(batchId);
        std::string body;
        if (json()) {
          body = "[";
          for (std::size_t i = 0; i < ids.size(); ++i) body += (i ? ",\"" : "\"") + ids[i] + "\"";
          body += "]";
        } else {
          body =
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><result-list "
              "xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">";
          for (const auto& id : ids) body += "<result>" + id + "</result>";
          body += "</result-list>";
        }
        return reply(200, body);
      }
      if (rest.rfind("/result/", 0) == 0) {
        return HttpResponse{200, {{"Content-Type", "text/plain"}}, files.at(rest.substr(8))};
      }
    }
    throw std::logic_error("QueryFakeServer: unexpected request " + request.method + " " +
                           request.url);
  }

  HttpResponse jobInfo(const std::string& state) const {
    return reply(json() ? 200 : 201,
                 json() ? jobInfoJson(jobId, operation_, object_, state)
                        : jobInfoXml(jobId, operation_, object_, state, contentType));
  }

  static std::string between(const std::string& text, const std::string& open,
                             const std::string& close) {
    const auto start = text.find(open);
    if (start == std::string::npos) return {};
    const auto from = start + open.size();
    return text.substr(from, text.find(close, from) - from);
  }

  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::size_t pollIndex_ = 0;
  std::string operation_ = "query";
  std::string object_ = "Account";
  std::string soql_;
};

}  // namespace sfdc::bulk::testing
