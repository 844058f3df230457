#include "auth/authenticator.hpp"

#include <cctype>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/error.hpp>

#include "retry_loop.hpp"

namespace sfdc::bulk::detail {

std::string formEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() * 3);
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {

class StaticAuthenticator final : public Authenticator {
 public:
  explicit StaticAuthenticator(std::string token) : token_{std::move(token), {}} {}
  AccessToken current() override { return token_; }
  std::optional<AccessToken> refresh(const std::string&) override { return std::nullopt; }

 private:
  AccessToken token_;
};

// OAuth2 token endpoint client; the grant decides the form fields.
class OAuthAuthenticator final : public Authenticator {
 public:
  OAuthAuthenticator(std::string tokenUrl, std::string form,
                     std::shared_ptr<HttpTransport> transport, RetryPolicy retry, LogFn log)
      : tokenUrl_(std::move(tokenUrl)),
        form_(std::move(form)),
        transport_(std::move(transport)),
        retry_(retry),
        log_(std::move(log)) {}

  AccessToken current() override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!cached_) cached_ = fetch();
    return *cached_;
  }

  std::optional<AccessToken> refresh(const std::string& rejected) override {
    std::lock_guard<std::mutex> lock(mutex_);
    // Several threads may see the same expired token; only the first refreshes.
    if (!cached_ || cached_->token == rejected) cached_ = fetch();
    return cached_;
  }

 private:
  AccessToken fetch() {
    if (tokenUrl_.empty()) throw InvalidArgument("the OAuth2 token URL is empty");
    HttpRequest request;
    request.method = "POST";
    request.url = tokenUrl_;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"}};
    request.body = form_;
    if (log_) log_(LogLevel::Info, "requesting an access token from " + tokenUrl_);
    // The token endpoint either issues a token or not; resending is harmless.
    HttpResponse response =
        sendWithRetries(*transport_, request, retry_, Idempotency::Idempotent, log_);
    nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    if (response.status != 200 || !body.is_object() || !body.contains("access_token")) {
      std::string error, description;
      if (body.is_object()) {
        error = body.value("error", "");
        description = body.value("error_description", "");
      }
      std::string message =
          "OAuth2 token request failed (HTTP " + std::to_string(response.status) + ")";
      if (!error.empty()) message += ": " + error;
      if (!description.empty()) message += " - " + description;
      throw AuthError(message, response.status, error);
    }
    AccessToken token;
    token.token = body["access_token"].get<std::string>();
    if (body.contains("instance_url") && body["instance_url"].is_string()) {
      token.instanceUrl = body["instance_url"].get<std::string>();
    }
    if (onToken) onToken(token.token);
    return token;
  }

 public:
  std::function<void(const std::string&)> onToken;

 private:
  std::string tokenUrl_;
  std::string form_;
  std::shared_ptr<HttpTransport> transport_;
  RetryPolicy retry_;
  LogFn log_;
  std::mutex mutex_;
  std::optional<AccessToken> cached_;
};

}  // namespace

std::unique_ptr<Authenticator> makeAuthenticator(const ClientConfig& config,
                                                 std::shared_ptr<HttpTransport> transport,
                                                 const RetryPolicy& retry,
                                                 std::shared_ptr<Redactor> redactor, LogFn log) {
  auto remember = [redactor](const std::string& secret) { redactor->add(secret); };
  if (const auto* fixed = std::get_if<AccessTokenConfig>(&config)) {
    if (fixed->accessToken.empty()) throw InvalidArgument("the access token is empty");
    remember(fixed->accessToken);
    return std::make_unique<StaticAuthenticator>(fixed->accessToken);
  }
  std::string url, form;
  if (const auto* r = std::get_if<RefreshTokenConfig>(&config)) {
    if (r->clientId.empty() || r->refreshToken.empty()) {
      throw InvalidArgument("refresh-token auth needs clientId and refreshToken");
    }
    remember(r->clientSecret);
    remember(r->refreshToken);
    url = r->refreshUrl;
    form = "grant_type=refresh_token&refresh_token=" + formEncode(r->refreshToken) +
           "&client_id=" + formEncode(r->clientId);
    if (!r->clientSecret.empty()) form += "&client_secret=" + formEncode(r->clientSecret);
  } else {
    const auto& p = std::get<PasswordConfig>(config);
    if (p.clientId.empty() || p.username.empty()) {
      throw InvalidArgument("username-password auth needs clientId and username");
    }
    remember(p.clientSecret);
    remember(p.password);
    remember(p.password + p.securityToken);
    url = p.tokenUrl;
    form = "grant_type=password&client_id=" + formEncode(p.clientId) +
           "&client_secret=" + formEncode(p.clientSecret) + "&username=" + formEncode(p.username) +
           "&password=" + formEncode(p.password + p.securityToken);
  }
  auto auth = std::make_unique<OAuthAuthenticator>(url, std::move(form), std::move(transport),
                                                   retry, std::move(log));
  auth->onToken = remember;
  return auth;
}

}  // namespace sfdc::bulk::detail
