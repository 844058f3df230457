#include "retry.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <string>

namespace sfdc::bulk::detail {

std::chrono::milliseconds backoffDelay(const RetryPolicy& policy, int retry, double unitRandom) {
  const double initial = static_cast<double>(policy.initialBackoff.count());
  const double cap = static_cast<double>(policy.maxBackoff.count());
  const double step = std::min(cap, initial * std::pow(policy.multiplier, std::max(0, retry - 1)));
  const double jittered = step / 2 + (step / 2) * std::clamp(unitRandom, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(jittered));
}

namespace {

int monthIndex(std::string_view name) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < 12; ++i) {
    if (kMonths[i] == name) return i;
  }
  return -1;
}

// Days from 1970-01-01 to a civil date (proleptic Gregorian), avoiding timegm's
// platform differences.
long long daysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const long long yoe = y - era * 400;
  const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<std::chrono::system_clock::time_point> parseHttpDate(std::string_view text) {
  // Accepts "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT" and
  // "Sun Nov  6 08:49:37 1994" by normalising separators and reading tokens.
  std::string s(text);
  for (char& c : s) {
    if (c == ',' || c == '-') c = ' ';
  }
  char a[16] = {}, b[16] = {}, c[16] = {}, d[16] = {}, e[16] = {};
  int n = std::sscanf(s.c_str(), "%15s %15s %15s %15s %15s", a, b, c, d, e);
  int day = 0, month = -1, year = 0, hh = 0, mm = 0, ss = 0;
  if (n >= 5 && std::isdigit(static_cast<unsigned char>(b[0]))) {
    // IMF-fixdate or RFC 850: weekday day month year time
    day = std::atoi(b);
    month = monthIndex(c);
    year = std::atoi(d);
    if (year < 100) year += year < 70 ? 2000 : 1900;
    if (std::sscanf(e, "%d:%d:%d", &hh, &mm, &ss) != 3) return std::nullopt;
  } else if (n >= 5) {
    // asctime: weekday month day time year
    month = monthIndex(b);
    day = std::atoi(c);
    if (std::sscanf(d, "%d:%d:%d", &hh, &mm, &ss) != 3) return std::nullopt;
    year = std::atoi(e);
  } else {
    return std::nullopt;
  }
  if (month < 0 || day < 1 || day > 31 || year < 1970) return std::nullopt;
  const long long secs = daysFromCivil(year, month + 1, day) * 86400LL + hh * 3600 + mm * 60 + ss;
  return std::chrono::system_clock::time_point(std::chrono::seconds(secs));
}

}  // namespace

std::optional<std::chrono::milliseconds> parseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) {
    value.remove_prefix(1);
  }
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) {
    value.remove_suffix(1);
  }
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    if (value.size() > 9) return std::chrono::milliseconds(std::chrono::hours(24 * 365));
    return std::chrono::milliseconds(std::stoll(std::string(value)) * 1000);
  }
  auto when = parseHttpDate(value);
  if (!when) return std::nullopt;
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*when - now);
  return std::max(wait, std::chrono::milliseconds(0));
}

}  // namespace sfdc::bulk::detail
