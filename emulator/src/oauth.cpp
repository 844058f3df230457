// The OAuth 2.0 token endpoint (§2.3) and the access tokens it issues.

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <string_view>
#include <vector>

#include "base64.hpp"
#include "handlers.hpp"
#include "jwt_assertion.hpp"

namespace sfdc::emulator::server {

namespace {

std::string base64(const unsigned char* data, std::size_t size) {
  static constexpr const char* kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < size; i += 3) {
    const unsigned n = (static_cast<unsigned>(data[i]) << 16) |
                       (i + 1 < size ? static_cast<unsigned>(data[i + 1]) << 8 : 0u) |
                       (i + 2 < size ? static_cast<unsigned>(data[i + 2]) : 0u);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < size ? kAlphabet[n & 63] : '=';
  }
  return out;
}

/// Base64 HMAC-SHA256 of `id + issued_at` keyed with the client secret, as Salesforce signs its
/// token answers.
std::string signature(const std::string& message, const std::string& key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  return base64(digest, length);
}

std::string percentDecode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() &&
               std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::map<std::string, std::string> parseForm(const std::string& body) {
  std::map<std::string, std::string> form;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const std::string pair = body.substr(start, end - start);
    start = end + 1;
    const auto eq = pair.find('=');
    if (eq == std::string::npos) {
      form[percentDecode(pair)] = "";
    } else {
      form[percentDecode(pair.substr(0, eq))] = percentDecode(pair.substr(eq + 1));
    }
  }
  return form;
}

Reply oauthError(const std::string& error, const std::string& description) {
  Reply reply;
  reply.status = 400;
  reply.contentType = kJsonType;
  reply.body = nlohmann::ordered_json{{"error", error}, {"error_description", description}}.dump();
  return reply;
}

const std::string& orgId() {
  static const std::string id = toId18("00Dx00000000001");
  return id;
}

}  // namespace

std::string TokenStore::issue() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr const char* kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
  std::string token = orgId().substr(0, 15) + "!AQ";
  for (int i = 0; i < 40; ++i) token += kChars[random() % 64];
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  // Drop expired tokens now and then so a long run doesn't grow the map.
  if (++counter_ % 256 == 0) {
    for (auto it = tokens_.begin(); it != tokens_.end();) {
      it = it->second <= now ? tokens_.erase(it) : std::next(it);
    }
  }
  tokens_[token] = now + lifetime_;
  return token;
}

bool TokenStore::valid(const std::string& token) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = tokens_.find(token);
  return it != tokens_.end() && std::chrono::steady_clock::now() < it->second;
}

void TokenStore::expireAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_.clear();
}

namespace {

// RFC 6749 lets a client authenticate with HTTP Basic instead of form fields; Salesforce
// accepts both for the client credentials grant. Fills the form's fields from the header.
void readBasicClientAuth(const httplib::Request& request,
                         std::map<std::string, std::string>& form) {
  const std::string header = request.get_header_value("Authorization");
  if (header.rfind("Basic ", 0) != 0) return;
  const std::string pair =
      base64Decode(header.substr(6), Base64Alphabet::Standard).value_or(std::string());
  const auto colon = pair.find(':');
  if (colon == std::string::npos) return;
  form.emplace("client_id", percentDecode(pair.substr(0, colon)));
  form.emplace("client_secret", percentDecode(pair.substr(colon + 1)));
}

// The audiences the emulator accepts: Salesforce's production and sandbox login hosts,
// and the emulator's own address, standing in for the org's My Domain.
std::vector<std::string> jwtAudiences(const ServerContext& context) {
  return {"https://login.salesforce.com", "https://test.salesforce.com", context.baseUrl};
}

// A new access token, answered as Salesforce answers every successful grant.
Reply issueToken(ServerContext& context) {
  const std::string issuedAt =
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count());
  // The identity URL points at the emulator so that nothing leaves the machine.
  const std::string id = context.baseUrl + "/id/" + orgId() + "/" + context.jobs.userId();
  nlohmann::ordered_json body;
  body["access_token"] = context.tokens.issue();
  body["instance_url"] = context.baseUrl;
  body["id"] = id;
  body["token_type"] = "Bearer";
  body["issued_at"] = issuedAt;  // epoch milliseconds as a string (§2.3)
  body["signature"] = signature(id + issuedAt, DefaultCredentials::kClientSecret);
  body["scope"] = "id api refresh_token";
  Reply reply;
  reply.contentType = kJsonType;
  reply.body = body.dump();
  return reply;
}

}  // namespace

Reply handleTokenRequest(ServerContext& context, const httplib::Request& request) {
  auto form = parseForm(request.body);
  for (const auto& [key, value] : request.params) form.emplace(key, value);  // query string too
  const std::string grant = form["grant_type"];
  constexpr const char* kJwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  if (grant != "refresh_token" && grant != "password" && grant != "client_credentials" &&
      grant != kJwtBearer) {
    return oauthError("unsupported_grant_type", "grant type not supported");
  }
  if (grant == kJwtBearer) {
    // The assertion carries the client id (`iss`); no secret is involved.
    JwtExpectations expected{DefaultCredentials::kClientId,
                             jwtAudiences(context),
                             {DefaultCredentials::kUsername},
                             std::chrono::system_clock::now() + context.options.jwtClockOffset};
    JwtSubject subject;
    if (const auto refusal =
            checkJwtAssertion(form["assertion"], *context.jwtKey, expected, subject)) {
      return oauthError(refusal->error, refusal->description);
    }
    return issueToken(context);
  }
  if (grant == "client_credentials") readBasicClientAuth(request, form);
  // Salesforce's answers for a bad client id / secret; bad user credentials or refresh
  // token give invalid_grant "authentication failure" [OBS pastebin kab1gCjn].
  if (form["client_id"] != DefaultCredentials::kClientId) {
    return oauthError("invalid_client_id", "client identifier invalid");
  }
  if (form.count("client_secret") != 0 &&
      form["client_secret"] != DefaultCredentials::kClientSecret) {
    return oauthError("invalid_client", "invalid client credentials");
  }
  bool ok = false;
  if (grant == "refresh_token") {
    ok = form["refresh_token"] == DefaultCredentials::kRefreshToken;
  } else if (grant == "client_credentials") {
    // The secret is required here (guess: the same answer as a wrong one).
    if (form.count("client_secret") == 0) {
      return oauthError("invalid_client", "invalid client credentials");
    }
    // The reported answer when the app has no "Run As" user (seen in public integration
    // guides and tests, e.g. Sumo Logic's Salesforce source troubleshooting).
    if (!context.options.clientCredentialsUser) {
      return oauthError("invalid_grant", "no client credentials user enabled");
    }
    ok = true;
  } else {
    ok = form["username"] == DefaultCredentials::kUsername &&
         form["password"] ==
             std::string(DefaultCredentials::kPassword) + DefaultCredentials::kSecurityToken &&
         form.count("client_secret") != 0;
  }
  if (!ok) return oauthError("invalid_grant", "authentication failure");
  return issueToken(context);
}

}  // namespace sfdc::emulator::server
