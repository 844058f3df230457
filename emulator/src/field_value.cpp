#include "field_value.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "salesforce_id.hpp"

namespace sfdc::emulator::detail {
namespace {

char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `pos`.
bool readDigits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!isDigit(s[pos + i])) return false;
    v = v * 10 + (s[pos + i] - '0');
  }
  out = v;
  return true;
}

bool validDate(int y, int m, int d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + ((m == 2 && leap) ? 1 : 0);
}

// `yyyy-MM-dd` at the start of `s`.
bool readDate(std::string_view s, int& y, int& m, int& d) {
  return s.size() >= 10 && readDigits(s, 0, 4, y) && s[4] == '-' && readDigits(s, 5, 2, m) &&
         s[7] == '-' && readDigits(s, 8, 2, d) && validDate(y, m, d);
}

// A zone designator that is the whole of `s`: Z, ±HH, ±HHmm or ±HH:mm; minutes east.
bool readZone(std::string_view s, int& offsetMinutes) {
  offsetMinutes = 0;
  if (s.empty() || s == "Z" || s == "z") return true;
  if (s[0] != '+' && s[0] != '-') return false;
  int hh = 0, mm = 0;
  if (!readDigits(s, 1, 2, hh)) return false;
  std::string_view rest = s.substr(3);
  if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);
  if (!rest.empty() && !(rest.size() == 2 && readDigits(rest, 0, 2, mm))) return false;
  if (hh > 23 || mm > 59) return false;
  offsetMinutes = (s[0] == '-' ? -1 : 1) * (hh * 60 + mm);
  return true;
}

void appendPadded(std::string& out, long long v, int width) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  for (int i = static_cast<int>(end - buf); i < width; ++i) out += '0';
  out.append(buf, end);
}

DmlError typeError(const FieldDef& field, std::string_view value) {
  return DmlError{"INVALID_TYPE_ON_FIELD_IN_RECORD",
                  field.name + ": value not of required type: " + std::string(value),
                  {field.name}};
}

bool plausibleEmail(std::string_view s) {
  const auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = s.substr(at + 1);
  const auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size()) return false;
  for (char c : s) {
    if (c == ' ' || c == ',' || c == ';' || c == '<' || c == '>') return false;
  }
  return true;
}

}  // namespace

bool isTextType(FieldType t) {
  return t == FieldType::String || t == FieldType::TextArea || t == FieldType::Email ||
         t == FieldType::Phone || t == FieldType::Url || t == FieldType::Picklist;
}
bool isNumericType(FieldType t) {
  return t == FieldType::Int || t == FieldType::Double || t == FieldType::Currency;
}
bool isIdType(FieldType t) { return t == FieldType::Id || t == FieldType::Reference; }

std::string toLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lowerAscii(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
  }
  return true;
}

int icompare(std::string_view a, std::string_view b) {
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(lowerAscii(a[i]));
    const auto y = static_cast<unsigned char>(lowerAscii(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

std::size_t utf8Length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::optional<std::string> parseBoolean(std::string_view s) {
  // Data Loader and spreadsheets write 1/0 and yes/no; Salesforce accepts them in CSV.
  if (iequals(s, "true") || s == "1" || iequals(s, "yes")) return std::string("true");
  if (iequals(s, "false") || s == "0" || iequals(s, "no")) return std::string("false");
  return std::nullopt;
}

std::optional<double> parseNumber(std::string_view s) {
  if (s.empty() || s.size() > 64) return std::nullopt;
  // strtod also takes hex, inf and nan, which Salesforce rejects: allow plain decimal
  // and scientific notation only.
  for (char c : s) {
    if (!(isDigit(c) || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E')) {
      return std::nullopt;
    }
  }
  const std::string copy(s);
  char* end = nullptr;
  const double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string formatNumber(double value, bool integral) {
  char buf[64];
  if (integral) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(value));
    (void)ec;
    return std::string(buf, end);
  }
  const double mag = std::fabs(value);
  const auto fmt = (mag == 0 || (mag >= 1e-5 && mag < 1e16)) ? std::chars_format::fixed
                                                             : std::chars_format::scientific;
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, fmt);
  (void)ec;
  return std::string(buf, end);
}

std::optional<std::string> parseDate(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (!readDate(s, y, m, d)) return std::nullopt;
  const std::string_view rest = s.substr(10);
  int offset = 0;
  // A datetime sent for a date field keeps its calendar date, as the API does.
  if (!rest.empty() && rest[0] != 'T' && !readZone(rest, offset)) return std::nullopt;
  if (!rest.empty() && rest[0] == 'T' && !parseDateTime(s)) return std::nullopt;
  return std::string(s.substr(0, 10));
}

std::optional<std::string> parseDateTime(std::string_view s) {
  const auto millis = parseDateTimeMillis(s);
  if (!millis) return std::nullopt;
  return formatDateTime(*millis);
}

std::optional<std::int64_t> parseDateTimeMillis(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  if (!readDate(s, y, mo, d)) return std::nullopt;
  std::size_t pos = 10;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't')) {
    if (!readDigits(s, pos + 1, 2, h) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !readDigits(s, pos + 4, 2, mi)) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!readDigits(s, pos + 1, 2, sec)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < s.size() && isDigit(s[pos])) {
          if (digits < 3) ms = ms * 10 + (s[pos] - '0');
          ++digits;
          ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (; digits < 3; ++digits) ms *= 10;
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  }
  int offset = 0;
  if (!readZone(s.substr(pos), offset)) return std::nullopt;
  return ((daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 24 + h) * 60 +
          mi - offset) *
             60000LL +
         sec * 1000LL + ms;
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian
// calendar, no time zone database involved.
std::int64_t daysFromCivil(int year, unsigned month, unsigned day) {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::string formatDate(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
  std::string out;
  out.reserve(10);
  appendPadded(out, y, 4);
  out += '-';
  appendPadded(out, m, 2);
  out += '-';
  appendPadded(out, d, 2);
  return out;
}

std::string formatDateTime(std::int64_t epochMillis) {
  std::int64_t days = epochMillis / 86400000;
  std::int64_t rem = epochMillis % 86400000;
  if (rem < 0) {
    rem += 86400000;
    --days;
  }
  std::string out = formatDate(days);
  out.reserve(24);
  out += 'T';
  appendPadded(out, rem / 3600000, 2);
  out += ':';
  appendPadded(out, rem / 60000 % 60, 2);
  out += ':';
  appendPadded(out, rem / 1000 % 60, 2);
  out += '.';
  appendPadded(out, rem % 1000, 3);
  out += 'Z';
  return out;
}

std::int64_t nowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<DmlError> normalizeValue(const FieldDef& field, std::string& value) {
  switch (field.type) {
    case FieldType::Id:
    case FieldType::Reference: {
      auto id = normalizeId(value);
      if (!id) {
        return DmlError{
            "MALFORMED_ID", field.name + ": id value of incorrect type: " + value, {field.name}};
      }
      value = std::move(*id);
      return std::nullopt;
    }
    case FieldType::Boolean: {
      auto b = parseBoolean(value);
      if (!b) return typeError(field, value);
      value = std::move(*b);
      return std::nullopt;
    }
    case FieldType::Int:
    case FieldType::Double:
    case FieldType::Currency: {
      const auto n = parseNumber(value);
      if (!n) return typeError(field, value);
      const bool integral = field.type == FieldType::Int;
      if (integral && (*n != std::floor(*n) || std::fabs(*n) > 9.2e18)) {
        return typeError(field, value);
      }
      value = formatNumber(*n, integral);
      return std::nullopt;
    }
    case FieldType::Date: {
      auto d = parseDate(value);
      if (!d) return typeError(field, value);
      value = std::move(*d);
      return std::nullopt;
    }
    case FieldType::DateTime: {
      auto dt = parseDateTime(value);
      if (!dt) return typeError(field, value);
      value = std::move(*dt);
      return std::nullopt;
    }
    case FieldType::Base64:
      return std::nullopt;  // bytes from the zip; the zip's limits bound them
    case FieldType::Email:
      if (!plausibleEmail(value)) {
        return DmlError{"INVALID_EMAIL_ADDRESS",
                        field.name + ": invalid email address: " + value,
                        {field.name}};
      }
      break;
    default:
      break;
  }
  if (static_cast<int>(utf8Length(value)) > field.length) {
    return DmlError{"STRING_TOO_LONG",
                    field.name + ": data value too large: " + value +
                        " (max length=" + std::to_string(field.length) + ")",
                    {field.name}};
  }
  return std::nullopt;
}

}  // namespace sfdc::emulator::detail
