#include "session.hpp"

#include <chrono>
#include <sfdc/bulk/curl_transport.hpp>
#include <sfdc/bulk/error.hpp>

#include "bulk2/bulk2_errors.hpp"
#include "codec/wire_codec.hpp"
#include "url_policy.hpp"

namespace sfdc::bulk::detail {
namespace {

std::string trimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

Session::Session(Config config, std::shared_ptr<HttpTransport> transport, Pacing pacing)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      redactor_(std::make_shared<Redactor>()),
      pacing_(std::move(pacing)) {
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
  if (call.api == BulkApiFamily::V1) {
    request.url = base + "/services/async/" + config_.apiVersion + "/" + call.path;
    request.headers.emplace_back("X-SFDC-Session", token.token);
  } else {
    // Links the server hands out are already rooted at the instance.
    request.url = call.path.rfind("/services/data/", 0) == 0
                      ? base + call.path
                      : base + "/services/data/v" + config_.apiVersion + "/" + call.path;
    request.headers.emplace_back("Authorization", "Bearer " + token.token);
  }
  if (!call.contentType.empty()) request.headers.emplace_back("Content-Type", call.contentType);
  for (const auto& header : call.extraHeaders) request.headers.push_back(header);
  request.body = call.body;
  request.bodySource = call.bodySource;
  request.gzipBody = call.gzipBody;
  return request;
}

void Session::throwApiError(int status, const std::string& body, const ApiCall& call) const {
  auto error = parseErrorBody(body);
  std::string code = error ? error->exceptionCode : std::string();
  std::string message = error ? error->exceptionMessage : body.substr(0, 300);
  if (call.api == BulkApiFamily::V2) message = explainBulk2Error(status, code, message, call.path);
  throw ApiError(status, redactor_->apply(code), redactor_->apply(message), call.jobId,
                 call.batchId);
}

HttpResponse Session::call(const ApiCall& call, int* uncertainAttempts) {
  try {
    return perform(call, Delivery::Buffered, uncertainAttempts).response;
  } catch (...) {
    rethrowRedacted(*redactor_);
  }
}

std::unique_ptr<HttpResponseStream> Session::open(const ApiCall& call) {
  try {
    return perform(call, Delivery::Streamed, nullptr).stream;
  } catch (...) {
    rethrowRedacted(*redactor_);
  }
}

Reply Session::perform(const ApiCall& call, Delivery delivery, int* uncertainAttempts) {
  AccessToken token = auth_->current();
  LoopSpec spec;
  spec.policy = config_.retry;
  spec.idempotency = call.idempotency;
  spec.delivery = delivery;
  LoopHooks hooks;
  hooks.build = [this, &call, &token] { return buildRequest(call, token); };
  hooks.renewSession = [this, &call, &token](const HttpResponse& answer, int renewals) {
    // A few renewals per call: sessions can be ended again while a replay is on its
    // way (an admin's "expire all sessions", a burst of logins), but a token that keeps
    // being rejected right after it was issued will not get better by asking again.
    if (renewals >= kMaxSessionRenewals) {
      throw AuthError(
          "the session was rejected again after " + std::to_string(renewals) + " token refreshes",
          answer.status, "InvalidSessionId");
    }
    auto fresh = auth_->refresh(token.token);
    if (!fresh) {
      throw AuthError(
          "the session was rejected (expired or invalid session id) and a static access "
          "token cannot be refreshed",
          answer.status, "InvalidSessionId");
    }
    if (call.bodySource && !call.bodySource->rewind()) {
      throw AuthError("the session expired and the request body cannot be replayed", answer.status,
                      "InvalidSessionId");
    }
    log(LogLevel::Info, "session expired; refreshed the access token and replaying " + call.method +
                            " " + call.path);
    token = *fresh;
  };
  hooks.fail = [this, &call](const HttpResponse& answer) {
    throwApiError(answer.status, answer.body, call);
  };
  hooks.log = [this](LogLevel level, const std::string& message) { log(level, message); };
  hooks.requests = &requests_;
  hooks.uncertainAttempts = uncertainAttempts;
  return runRequestLoop(*transport_, spec, hooks, pacing_);
}

}  // namespace sfdc::bulk::detail
