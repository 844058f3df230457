#pragma once

// Keeps secrets out of log lines and error messages: every registered secret (access
// tokens, refresh tokens, client secrets, passwords) is replaced by "***" wherever it
// appears, in case a server or a URL echoes one back. Values that are secret by their
// name (`client_secret=…`, `"refresh_token": "…"`), PEM private keys and signed JWTs
// (a JWT bearer assertion) are masked too, even when they were never registered, since
// an endpoint may echo a request it got from somewhere else.

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::bulk::detail {

class Redactor {
 public:
  /// Register a secret; values shorter than 4 characters are ignored (they would
  /// mangle ordinary text and are not real secrets).
  void add(std::string secret);
  std::string apply(std::string_view text) const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;
};

/// Rethrows the exception being handled with `redactor` applied to its message: an
/// sfdc::bulk exception keeps its type and details; anything else goes on unchanged.
/// Call only from inside a catch block.
[[noreturn]] void rethrowRedacted(const Redactor& redactor);

}  // namespace sfdc::bulk::detail
