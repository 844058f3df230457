#include "date_values.hpp"

#include <cstdint>
#include <cstdio>
#include <sfdc/bulk/error.hpp>

namespace sfbulk {

namespace {

using sfdc::bulk::InvalidArgument;

/// A left-to-right reader over a cell.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}
  bool done() const noexcept { return pos_ == text_.size(); }
  bool peek(char c) const noexcept { return pos_ < text_.size() && text_[pos_] == c; }
  bool take(char c) noexcept {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  /// Between `least` and `most` digits; false (nothing consumed) when fewer.
  bool number(std::size_t least, std::size_t most, int& value) noexcept {
    std::size_t n = 0;
    int v = 0;
    while (n < most && pos_ + n < text_.size() && text_[pos_ + n] >= '0' &&
           text_[pos_ + n] <= '9') {
      v = v * 10 + (text_[pos_ + n] - '0');
      ++n;
    }
    if (n < least) return false;
    pos_ += n;
    value = v;
    return true;
  }
  /// The digits of a fraction of a second, as milliseconds (further digits dropped).
  bool fraction(int& millis) noexcept {
    std::size_t n = 0;
    millis = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (n < 3) millis = millis * 10 + (text_[pos_] - '0');
      ++n;
      ++pos_;
    }
    for (std::size_t i = n; i < 3; ++i) millis *= 10;
    return n > 0;
  }
  std::string_view rest() const noexcept { return text_.substr(pos_); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

struct Parsed {
  int year = 0, month = 0, day = 0;
  bool hasTime = false;
  int hour = 0, minute = 0, second = 0, millis = 0;
  bool hasZone = false;
  std::int64_t zoneOffset = 0;  // seconds east of UTC
};

bool isLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeap(year) ? 29 : days[month - 1];
}

// Days from 1970-01-01 to a civil date (proleptic Gregorian).
std::int64_t daysFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t yoe = year - era * 400;
  const std::int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civilFromDays(std::int64_t z, int& year, int& month, int& day) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2));
}

/// `HH:mm[:ss[.SSS]]` (`H:mm` when `shortHour`).
bool parseTime(Scanner& in, bool shortHour, Parsed& out) {
  if (!in.number(shortHour ? 1 : 2, 2, out.hour) || !in.take(':') || !in.number(2, 2, out.minute)) {
    return false;
  }
  out.hasTime = true;
  if (in.take(':')) {
    if (!in.number(2, 2, out.second)) return false;
    if (in.take('.') && !in.fraction(out.millis)) return false;
  }
  return true;
}

/// `Z`, `+HH:MM`, `+HHMM`, `+HH` (or `-`) at the end.
bool parseZone(Scanner& in, Parsed& out) {
  if (in.take('Z')) {
    out.hasZone = true;
    return in.done();
  }
  const bool minus = in.peek('-');
  if (!in.take('+') && !in.take('-')) return false;
  int hours = 0;
  int minutes = 0;
  if (!in.number(2, 2, hours)) return false;
  if (in.take(':')) {
    if (!in.number(2, 2, minutes)) return false;
  } else {
    in.number(2, 2, minutes);
  }
  out.hasZone = true;
  out.zoneOffset = (minus ? -1 : 1) * (hours * 3600 + minutes * 60);
  return in.done();
}

/// One of the shapes in the header, or false. `isoT` tells an ISO 8601 `T`.
bool parseCell(std::string_view cell, bool dayFirst, Parsed& out, bool& isoT) {
  Scanner in(cell);
  isoT = false;
  if (cell.size() >= 10 && cell[4] == '-') {
    if (!in.number(4, 4, out.year) || !in.take('-') || !in.number(2, 2, out.month) ||
        !in.take('-') || !in.number(2, 2, out.day)) {
      return false;
    }
    if (in.done()) return true;
    isoT = in.peek('T');
    if (!in.take('T') && !in.take(' ')) return false;
    if (!parseTime(in, false, out)) return false;
    return in.done() || parseZone(in, out);
  }
  int first = 0;
  int second = 0;
  if (!in.number(1, 2, first) || !in.take('/') || !in.number(1, 2, second) || !in.take('/') ||
      !in.number(4, 4, out.year)) {
    return false;
  }
  out.month = dayFirst ? second : first;
  out.day = dayFirst ? first : second;
  if (in.done()) return true;
  if (!in.take(' ') || !parseTime(in, true, out)) return false;
  if (in.done()) return true;
  // A 12-hour clock.
  const std::string_view rest = in.rest();
  if (rest.size() != 3 || rest[0] != ' ') return false;
  const char a = static_cast<char>(rest[1] | 0x20);
  if ((a != 'a' && a != 'p') || (rest[2] | 0x20) != 'm') return false;
  if (out.hour < 1 || out.hour > 12) {
    throw InvalidArgument("hour " + std::to_string(out.hour) + " on a 12-hour clock");
  }
  out.hour = out.hour % 12 + (a == 'p' ? 12 : 0);
  return true;
}

void check(const Parsed& p, bool dayFirst, bool slashed) {
  if (p.month < 1 || p.month > 12) {
    std::string hint;
    if (slashed && !dayFirst && p.month > 12 && p.day <= 12) {
      hint = " (for day-first dates such as 31/12/2024 give --day-first)";
    } else if (slashed && dayFirst && p.month > 12 && p.day <= 12) {
      hint = " (--day-first reads d/M/yyyy; month-first dates need it left out)";
    }
    throw InvalidArgument("month " + std::to_string(p.month) + " does not exist" + hint);
  }
  if (p.day < 1 || p.day > daysInMonth(p.year, p.month)) {
    throw InvalidArgument("day " + std::to_string(p.day) + " does not exist in " +
                          std::to_string(p.year) + "-" + (p.month < 10 ? "0" : "") +
                          std::to_string(p.month));
  }
  if (p.hour > 23 || p.minute > 59 || p.second > 59) {
    throw InvalidArgument("the time is not between 00:00:00 and 23:59:59");
  }
}

}  // namespace

std::optional<std::string> DateConverter::convert(std::string_view cell) const {
  Parsed p;
  bool isoT = false;
  if (!parseCell(cell, dayFirst_, p, isoT)) return std::nullopt;
  const bool slashed = cell.find('/') != std::string_view::npos;
  check(p, dayFirst_, slashed);
  char text[96];  // room for any int, so no truncation is possible
  if (!p.hasTime) {
    if (!slashed) return std::nullopt;  // already yyyy-MM-dd
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", p.year, p.month, p.day);
    return std::string(text);
  }
  if (p.hasZone && isoT) return std::nullopt;  // ISO 8601 with a zone: sent as it is
  const std::int64_t local =
      daysFromCivil(p.year, p.month, p.day) * 86400 + p.hour * 3600 + p.minute * 60 + p.second;
  const std::int64_t utc = p.hasZone ? local - p.zoneOffset : zone_.toUtc(local);
  std::int64_t days = utc / 86400;
  std::int64_t seconds = utc % 86400;
  if (seconds < 0) {
    seconds += 86400;
    --days;
  }
  int year = 0;
  int month = 0;
  int day = 0;
  civilFromDays(days, year, month, day);
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", year, month, day,
                static_cast<int>(seconds / 3600), static_cast<int>(seconds / 60 % 60),
                static_cast<int>(seconds % 60), p.millis);
  return std::string(text);
}

}  // namespace sfbulk
