#pragma once

// A scripted HttpTransport for unit tests: answers requests from a queue and records
// every request it saw, so tests can check methods, URLs, headers and body bytes.

#include <deque>
#include <functional>
#include <mutex>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace sfdc::bulk::testing {

struct RecordedRequest {
  std::string method;
  std::string url;
  Headers headers;
  std::string body;  ///< bodySource contents are read out here
  bool gzipBody = false;

  std::string header(std::string_view name) const {
    const auto* value = findHeader(headers, name);
    return value ? *value : std::string();
  }
};

class FakeTransport : public HttpTransport {
 public:
  /// A scripted step: either a response or an exception to throw.
  using Step = std::function<HttpResponse(const RecordedRequest&)>;

  void push(int status, std::string body, Headers headers = {}) {
    std::lock_guard<std::mutex> lock(mutex_);
    steps_.push_back([=](const RecordedRequest&) { return HttpResponse{status, headers, body}; });
  }
  void pushXml(int status, std::string body) {
    push(status, std::move(body), {{"Content-Type", "application/xml"}});
  }
  void pushJson(int status, std::string body) {
    push(status, std::move(body), {{"Content-Type", "application/json"}});
  }
  void pushStep(Step step) {
    std::lock_guard<std::mutex> lock(mutex_);
    steps_.push_back(std::move(step));
  }
  void pushTransportError(bool retryable, bool requestSent) {
    pushStep([=](const RecordedRequest&) -> HttpResponse {
      throw TransportError("connection reset", 56, retryable, requestSent);
    });
  }

  HttpResponse send(const HttpRequest& request) override {
    RecordedRequest recorded{request.method, request.url, request.headers, request.body,
                             request.gzipBody};
    if (request.bodySource) {
      recorded.body.clear();
      char buffer[8192];
      for (std::size_t n; (n = request.bodySource->read(buffer, sizeof buffer)) > 0;) {
        recorded.body.append(buffer, n);
      }
    }
    Step step;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(recorded);
      if (steps_.empty()) {
        throw std::logic_error("FakeTransport: unexpected request " + request.method + " " +
                               request.url);
      }
      step = std::move(steps_.front());
      steps_.pop_front();
    }
    return step(recorded);
  }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  RecordedRequest last() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_.back();
  }
  std::size_t pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return steps_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::deque<Step> steps_;
  std::vector<RecordedRequest> requests_;
};

}  // namespace sfdc::bulk::testing
