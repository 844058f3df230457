#include "session.hpp"

#include <chrono>
#include <sfdc/bulk/curl_transport.hpp>
#include <sfdc/bulk/error.hpp>

#include "codec/wire_codec.hpp"
#include "url_policy.hpp"

namespace sfdc::bulk::detail {
namespace {

std::string trimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// Read the rest of a streamed error body (bounded: error documents are small).
std::string drain(HttpResponseStream& stream) {
  std::string body;
  char buffer[4096];
  while (body.size() < (1 << 20)) {
    std::size_t n = stream.read(buffer, sizeof buffer);
    if (n == 0) break;
    body.append(buffer, n);
  }
  return body;
}

}  // namespace

Session::Session(Config config, std::shared_ptr<HttpTransport> transport)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      redactor_(std::make_shared<Redactor>()) {
  if (!transport_) throw InvalidArgument("the HTTP transport is null");
  if (!config_.baseUrl.empty()) requireSecureUrl("Config::baseUrl", config_.baseUrl);
  auth_ = makeAuthenticator(config_.clientConfig, transport_, config_.retry, redactor_,
                            [this](LogLevel level, const std::string& m) { log(level, m); });
  // Said on every construction, not once per process: each client is a new decision.
  const auto* curl = dynamic_cast<const CurlTransport*>(transport_.get());
  if (curl != nullptr && !curl->options().verifyTls) {
    log(LogLevel::Warning,
        "TLS certificate verification is off (CurlOptions::verifyTls = false): any server "
        "can pose as Salesforce and read the session id and the records; trust a private CA "
        "with CurlOptions::caBundle instead");
  }
}

void Session::log(LogLevel level, const std::string& message) const {
  if (config_.logHandler) config_.logHandler(level, redactor_->apply(message));
}

std::string Session::instanceUrl() {
  try {
    auto token = auth_->current();
    return trimSlash(token.instanceUrl.empty() ? config_.baseUrl : token.instanceUrl);
  } catch (...) {
    rethrowRedacted(*redactor_);
  }
}

HttpRequest Session::buildRequest(const ApiCall& call, const AccessToken& token) const {
  const std::string base =
      trimSlash(token.instanceUrl.empty() ? config_.baseUrl : token.instanceUrl);
  if (base.empty()) throw InvalidArgument("Config::baseUrl is empty and no instance URL is known");
  HttpRequest request;
  request.method = call.method;
  request.url = base + "/services/async/" + config_.apiVersion + "/" + call.path;
  request.headers.emplace_back("X-SFDC-Session", token.token);
  if (!call.contentType.empty()) request.headers.emplace_back("Content-Type", call.contentType);
  for (const auto& header : call.extraHeaders) request.headers.push_back(header);
  request.body = call.body;
  request.bodySource = call.bodySource;
  request.gzipBody = call.gzipBody;
  return request;
}

bool Session::isInvalidSession(int status, const std::string& body) const {
  // Bulk API v1 reports an expired session as 400 + InvalidSessionId, not 401; accept
  // 401 too in case a proxy or a newer server answers that way.
  if (status != 400 && status != 401) return false;
  auto error = parseErrorBody(body);
  return error && error->exceptionCode == "InvalidSessionId";
}

void Session::throwApiError(int status, const std::string& body, const ApiCall& call) const {
  auto error = parseErrorBody(body);
  std::string code = error ? error->exceptionCode : std::string();
  std::string message = error ? error->exceptionMessage : body.substr(0, 300);
  throw ApiError(status, redactor_->apply(code), redactor_->apply(message), call.jobId,
                 call.batchId);
}

HttpResponse Session::call(const ApiCall& call) {
  try {
    return perform(call);
  } catch (...) {
    rethrowRedacted(*redactor_);
  }
}

std::unique_ptr<HttpResponseStream> Session::open(const ApiCall& call) {
  try {
    return performOpen(call);
  } catch (...) {
    rethrowRedacted(*redactor_);
  }
}

HttpResponse Session::perform(const ApiCall& call) {
  auto token = auth_->current();
  for (int replay = 0;; ++replay) {
    HttpRequest request = buildRequest(call, token);
    const auto started = std::chrono::steady_clock::now();
    HttpResponse response = sendWithRetries(*transport_, request, config_.retry, call.idempotency,
                                            [this](LogLevel level, const std::string& m) {
                                              requests_.fetch_add(1);
                                              log(level, m);
                                            });
    requests_.fetch_add(1);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    log(LogLevel::Debug,
        call.method + " " + request.url + " -> " + std::to_string(response.status) + " (" +
            std::to_string(response.body.size()) + " bytes, " + std::to_string(ms) + " ms)");
    if (response.status >= 200 && response.status < 300) return response;
    if (replay == 0 && isInvalidSession(response.status, response.body)) {
      auto fresh = auth_->refresh(token.token);
      if (!fresh) {
        throw AuthError(
            "the session was rejected (InvalidSessionId) and a static access "
            "token cannot be refreshed",
            response.status, "InvalidSessionId");
      }
      if (call.bodySource && !call.bodySource->rewind()) {
        throw AuthError("the session expired and the batch body cannot be replayed",
                        response.status, "InvalidSessionId");
      }
      log(LogLevel::Info, "session expired; refreshed the access token and replaying " +
                              call.method + " " + call.path);
      token = *fresh;
      continue;
    }
    if (isInvalidSession(response.status, response.body)) {
      throw AuthError("the session was rejected again after a token refresh", response.status,
                      "InvalidSessionId");
    }
    throwApiError(response.status, response.body, call);
  }
}

std::unique_ptr<HttpResponseStream> Session::performOpen(const ApiCall& call) {
  auto token = auth_->current();
  for (int replay = 0;; ++replay) {
    HttpRequest request = buildRequest(call, token);
    auto stream = openWithRetries(*transport_, request, config_.retry,
                                  [this](LogLevel level, const std::string& m) {
                                    requests_.fetch_add(1);
                                    log(level, m);
                                  });
    requests_.fetch_add(1);
    const int status = stream->status();
    log(LogLevel::Debug,
        call.method + " " + request.url + " -> " + std::to_string(status) + " (streamed)");
    if (status >= 200 && status < 300) return stream;
    std::string body = drain(*stream);
    if (replay == 0 && isInvalidSession(status, body)) {
      auto fresh = auth_->refresh(token.token);
      if (!fresh) {
        throw AuthError(
            "the session was rejected (InvalidSessionId) and a static access "
            "token cannot be refreshed",
            status, "InvalidSessionId");
      }
      log(LogLevel::Info,
          "session expired; refreshed the access token and replaying GET " + call.path);
      token = *fresh;
      continue;
    }
    throwApiError(status, body, call);
  }
}

}  // namespace sfdc::bulk::detail
