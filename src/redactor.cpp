#include "redactor.hpp"

#include <algorithm>
#include <cctype>
#include <sfdc/bulk/error.hpp>
#include <typeinfo>

namespace sfdc::bulk::detail {

namespace {

constexpr const char* kMask = "***";

// Names whose values are secrets in a form body, a query string or a JSON document.
constexpr std::string_view kSecretNames[] = {
    "access_token", "refresh_token", "client_secret", "password",         "security_token",
    "id_token",     "assertion",     "private_key",   "client_assertion", "sessionId",
};

bool nameCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Masks the value after `name=` (up to &, whitespace or a quote) and after
// `"name": "` (up to the closing quote, escapes skipped), for every secret name.
void maskNamedValues(std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!nameCharacter(text[i]) || (i > 0 && nameCharacter(text[i - 1]))) continue;
    std::size_t end = i;
    while (end < text.size() && nameCharacter(text[end])) ++end;
    const std::string_view name(text.data() + i, end - i);
    const bool secret = std::any_of(std::begin(kSecretNames), std::end(kSecretNames),
                                    [&](std::string_view s) { return equalsIgnoreCase(s, name); });
    if (!secret) {
      i = end - 1;
      continue;
    }
    std::size_t pos = end;
    std::size_t valueStart = std::string::npos, valueEnd = std::string::npos;
    if (pos < text.size() && text[pos] == '=') {
      valueStart = pos + 1;
      valueEnd = text.find_first_of("& \t\r\n\"'", valueStart);
      if (valueEnd == std::string::npos) valueEnd = text.size();
    } else if (pos < text.size() && text[pos] == '"') {
      // JSON: "name" : "value"
      ++pos;
      while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
      if (pos < text.size() && text[pos] == ':') {
        ++pos;
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
        if (pos < text.size() && text[pos] == '"') {
          valueStart = pos + 1;
          valueEnd = valueStart;
          while (valueEnd < text.size() && text[valueEnd] != '"') {
            valueEnd += text[valueEnd] == '\\' ? 2 : 1;
          }
          valueEnd = std::min(valueEnd, text.size());
        }
      }
    }
    if (valueStart == std::string::npos || valueEnd <= valueStart) {
      i = end - 1;
      continue;
    }
    text.replace(valueStart, valueEnd - valueStart, kMask);
    i = valueStart + 2;
  }
}

// PEM private keys ("-----BEGIN [RSA |EC |ENCRYPTED ]PRIVATE KEY-----" … END line).
void maskPrivateKeys(std::string& text) {
  static constexpr std::string_view kBegin = "-----BEGIN ";
  static constexpr std::string_view kKey = "PRIVATE KEY-----";
  for (std::size_t begin = text.find(kBegin); begin != std::string::npos;
       begin = text.find(kBegin, begin + 1)) {
    const std::size_t key = text.find(kKey, begin);
    const std::size_t lineEnd = text.find('\n', begin);
    if (key == std::string::npos || (lineEnd != std::string::npos && key > lineEnd)) continue;
    const std::size_t bodyStart = key + kKey.size();
    const std::size_t end = text.find("-----END ", bodyStart);
    const std::size_t stop = end == std::string::npos ? text.size() : end;
    text.replace(bodyStart, stop - bodyStart, kMask);
  }
}

bool base64UrlCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

// Signed JWTs (`eyJ…` header, claims and signature, base64url, dot-separated), such as a
// JWT bearer assertion an endpoint repeats: a bearer credential until it expires.
void maskJwts(std::string& text) {
  for (std::size_t begin = text.find("eyJ"); begin != std::string::npos;
       begin = text.find("eyJ", begin + 1)) {
    if (begin > 0 && base64UrlCharacter(text[begin - 1])) continue;
    std::size_t end = begin;
    int dots = 0;
    while (end < text.size() && (base64UrlCharacter(text[end]) || text[end] == '.')) {
      dots += text[end] == '.' ? 1 : 0;
      ++end;
    }
    if (dots != 2) continue;
    text.replace(begin, end - begin, kMask);
  }
}

}  // namespace

void Redactor::add(std::string secret) {
  if (secret.size() < 4) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (std::find(secrets_.begin(), secrets_.end(), secret) == secrets_.end()) {
    secrets_.push_back(std::move(secret));
    // Longest first: a secret that contains another (password + security token) is
    // masked whole rather than leaving its tail behind.
    std::stable_sort(
        secrets_.begin(), secrets_.end(),
        [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  }
}

std::string Redactor::apply(std::string_view text) const {
  std::string out(text);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& secret : secrets_) {
      for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3)) {
        out.replace(pos, secret.size(), kMask);
      }
    }
  }
  maskNamedValues(out);
  maskPrivateKeys(out);
  maskJwts(out);
  return out;
}

void rethrowRedacted(const Redactor& redactor) {
  // Rebuilt only when the message changes and the type is exactly the one caught, so
  // that a subclass is never sliced into its base.
  auto unchanged = [&redactor](const Error& e, const std::type_info& type, std::string& what) {
    what = redactor.apply(e.what());
    return typeid(e) != type || what == e.what();
  };
  std::string what;
  try {
    throw;
  } catch (const ApiError& e) {
    if (unchanged(e, typeid(ApiError), what)) throw;
    throw ApiError(e.httpStatus(), redactor.apply(e.exceptionCode()),
                   redactor.apply(e.exceptionMessage()), e.jobId(), e.batchId());
  } catch (const AuthError& e) {
    if (unchanged(e, typeid(AuthError), what)) throw;
    throw AuthError(what, e.httpStatus(), redactor.apply(e.oauthError()));
  } catch (const TransportError& e) {
    if (unchanged(e, typeid(TransportError), what)) throw;
    throw TransportError(what, e.curlCode(), e.retryable(), e.requestSent());
  } catch (const TimeoutError& e) {
    if (unchanged(e, typeid(TimeoutError), what)) throw;
    throw TimeoutError(what, e.jobId(), e.batchId());
  } catch (const FileError& e) {
    if (unchanged(e, typeid(FileError), what)) throw;
    throw FileError(what, e.path());
  } catch (const InvalidArgument& e) {
    if (unchanged(e, typeid(InvalidArgument), what)) throw;
    throw InvalidArgument(what);
  } catch (const ParseError& e) {
    if (unchanged(e, typeid(ParseError), what)) throw;
    throw ParseError(what);
  } catch (const Error& e) {
    if (unchanged(e, typeid(Error), what)) throw;
    throw Error(what);
  }
}

}  // namespace sfdc::bulk::detail
