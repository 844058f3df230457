#include "redactor.hpp"

#include <algorithm>

namespace sfdc::bulk::detail {

void Redactor::add(std::string secret) {
  if (secret.size() < 4) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (std::find(secrets_.begin(), secrets_.end(), secret) == secrets_.end()) {
    secrets_.push_back(std::move(secret));
  }
}

std::string Redactor::apply(std::string_view text) const {
  std::string out(text);
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& secret : secrets_) {
    for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3)) {
      out.replace(pos, secret.size(), "***");
    }
  }
  return out;
}

}  // namespace sfdc::bulk::detail
