#pragma once

// Keeps secrets out of log lines and error messages: every registered secret (access
// tokens, refresh tokens, client secrets, passwords) is replaced by "***" wherever it
// appears, in case a server or a URL echoes one back.

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

}  // namespace sfdc::bulk::detail
