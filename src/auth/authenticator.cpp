#include "auth/authenticator.hpp"

#include <cctype>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/error.hpp>

#include "auth/jwt.hpp"
#include "retry_loop.hpp"
#include "transport/curl_errors.hpp"
#include "url_policy.hpp"

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

// OAuth2 token endpoint client; the grant decides the form fields. The form is built
// anew for every token request, since a JWT assertion is only valid for minutes.
class OAuthAuthenticator final : public Authenticator {
 public:
  using FormBuilder = std::function<std::string()>;

  OAuthAuthenticator(std::string tokenUrl, FormBuilder form,
                     std::shared_ptr<HttpTransport> transport, RetryPolicy retry,
                     std::shared_ptr<Redactor> redactor, LogFn log)
      : tokenUrl_(std::move(tokenUrl)),
        form_(std::move(form)),
        transport_(std::move(transport)),
        retry_(retry),
        redactor_(std::move(redactor)),
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
    request.body = form_();
    if (log_) log_(LogLevel::Info, "requesting an access token from " + tokenUrl_);
    // The token endpoint either issues a token or not; resending is harmless.
    HttpResponse response =
        sendWithRetries(*transport_, request, retry_, Idempotency::Idempotent, log_);
    const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    if (response.status != 200 || !body.is_object() || !body.contains("access_token")) {
      // The endpoint's own words may echo the request: redacted before they go anywhere.
      const std::string error = redactor_->apply(stringField(body, "error"));
      const std::string description = redactor_->apply(stringField(body, "error_description"));
      std::string message =
          "OAuth2 token request failed (HTTP " + std::to_string(response.status) + ")";
      if (!error.empty()) message += ": " + error;
      if (!description.empty()) message += " - " + description;
      if (!body.is_object()) message += " - the answer is not a JSON object";
      throw AuthError(message, response.status, error);
    }
    const nlohmann::json& accessToken = body["access_token"];
    if (!accessToken.is_string() || accessToken.get_ref<const std::string&>().empty()) {
      throw AuthError(
          "the token endpoint " + urlForMessages(tokenUrl_) +
              " answered HTTP 200 with an access_token that is " +
              (accessToken.is_string()
                   ? std::string("empty")
                   : std::string("a JSON ") + accessToken.type_name() + ", not a string"),
          response.status);
    }
    AccessToken token;
    token.token = accessToken.get<std::string>();
    if (onToken) onToken(token.token);
    if (body.contains("instance_url")) {
      const nlohmann::json& instance = body["instance_url"];
      if (!instance.is_string()) {
        throw AuthError(std::string("the token endpoint answered with an instance_url that is a "
                                    "JSON ") +
                            instance.type_name() + ", not a string",
                        response.status);
      }
      token.instanceUrl = instance.get<std::string>();
      const std::string reason = insecureUrlReason(token.instanceUrl);
      if (!reason.empty()) {
        // Following it would send the new session id to that address.
        throw AuthError("refusing the instance_url '" +
                            redactor_->apply(urlForMessages(token.instanceUrl)) +
                            "' from the token endpoint: it " + reason,
                        response.status);
      }
    }
    return token;
  }

  // A string member of a JSON object, or "" when absent or not a string.
  static std::string stringField(const nlohmann::json& object, const char* name) {
    if (!object.is_object()) return {};
    const auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
  }

 public:
  std::function<void(const std::string&)> onToken;

 private:
  std::string tokenUrl_;
  FormBuilder form_;
  std::shared_ptr<HttpTransport> transport_;
  RetryPolicy retry_;
  std::shared_ptr<Redactor> redactor_;
  LogFn log_;
  std::mutex mutex_;
  std::optional<AccessToken> cached_;
};

// Each base64 line of a PEM key: a line quoted on its own is as much a leak as the
// whole key, which the redactor masks by its BEGIN/END markers.
void rememberPemLines(Redactor& redactor, const std::string& pem) {
  std::size_t start = 0;
  while (start < pem.size()) {
    std::size_t end = pem.find('\n', start);
    if (end == std::string::npos) end = pem.size();
    std::string line = pem.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() >= 16 && line.rfind("-----", 0) != 0) redactor.add(line);
    start = end + 1;
  }
}

}  // namespace

std::unique_ptr<Authenticator> makeAuthenticator(const ClientConfig& config,
                                                 std::shared_ptr<HttpTransport> transport,
                                                 const RetryPolicy& retry,
                                                 std::shared_ptr<Redactor> redactor, LogFn log) {
  // Each secret also in the encoded form it has in the token request body, which an
  // echoing endpoint would repeat.
  auto remember = [redactor](const std::string& secret) {
    redactor->add(secret);
    redactor->add(formEncode(secret));
  };
  if (const auto* fixed = std::get_if<AccessTokenConfig>(&config)) {
    if (fixed->accessToken.empty()) throw InvalidArgument("the access token is empty");
    remember(fixed->accessToken);
    return std::make_unique<StaticAuthenticator>(fixed->accessToken);
  }
  std::string url, form;
  OAuthAuthenticator::FormBuilder builder;
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
  } else if (const auto* p = std::get_if<PasswordConfig>(&config)) {
    if (p->clientId.empty() || p->username.empty()) {
      throw InvalidArgument("username-password auth needs clientId and username");
    }
    remember(p->clientSecret);
    remember(p->password);
    remember(p->securityToken);
    remember(p->password + p->securityToken);
    url = p->tokenUrl;
    form = "grant_type=password&client_id=" + formEncode(p->clientId) +
           "&client_secret=" + formEncode(p->clientSecret) +
           "&username=" + formEncode(p->username) +
           "&password=" + formEncode(p->password + p->securityToken);
  } else if (const auto* j = std::get_if<JwtBearerConfig>(&config)) {
    if (j->clientId.empty() || j->username.empty()) {
      throw InvalidArgument("JWT bearer auth needs clientId and username");
    }
    if (j->tokenUrl.empty()) throw InvalidArgument("JWT bearer auth needs tokenUrl");
    if (j->assertionLifetime.count() <= 0) {
      throw InvalidArgument("JWT bearer auth needs a positive assertionLifetime");
    }
    // Loaded now so that a missing or unreadable key is reported before any request.
    const PemSource pem = readJwtPrivateKeyPem(*j);
    redactor->add(pem.pem);
    rememberPemLines(*redactor, pem.pem);
    auto key = std::make_shared<RsaPrivateKey>(pem.pem, pem.source);
    url = j->tokenUrl;
    builder = [config = *j, key, remember] {
      const std::string assertion =
          buildJwtAssertion(config, *key, std::chrono::system_clock::now());
      // A bearer credential until it expires.
      remember(assertion);
      return "grant_type=" + formEncode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
             "&assertion=" + formEncode(assertion);
    };
  } else {
    const auto& c = std::get<ClientCredentialsConfig>(config);
    if (c.clientId.empty() || c.clientSecret.empty()) {
      throw InvalidArgument("client-credentials auth needs clientId and clientSecret");
    }
    if (c.tokenUrl.empty()) {
      throw InvalidArgument(
          "client-credentials auth needs tokenUrl: the org's My Domain token endpoint, e.g. "
          "https://MyDomain.my.salesforce.com/services/oauth2/token");
    }
    remember(c.clientSecret);
    url = c.tokenUrl;
    form = "grant_type=client_credentials&client_id=" + formEncode(c.clientId) +
           "&client_secret=" + formEncode(c.clientSecret);
  }
  if (!builder) builder = [form] { return form; };
  if (!url.empty()) requireSecureUrl("the OAuth2 token URL", url);
  auto auth = std::make_unique<OAuthAuthenticator>(url, std::move(builder), std::move(transport),
                                                   retry, redactor, std::move(log));
  auth->onToken = remember;
  return auth;
}

}  // namespace sfdc::bulk::detail
