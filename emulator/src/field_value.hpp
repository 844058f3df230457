#pragma once

// Field values as the emulator stores them: every value is text in one canonical form
// per type (booleans `true`/`false`, dates `yyyy-MM-dd`, datetimes
// `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC, ids in 18-character form), so that comparing and
// formatting stored values needs no parsing of user input again.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "org.hpp"

namespace sfdc::emulator::detail {

bool isTextType(FieldType type);     ///< String, TextArea, Email, Phone, Url, Picklist
bool isNumericType(FieldType type);  ///< Int, Double, Currency
bool isIdType(FieldType type);       ///< Id, Reference

std::string toLower(std::string_view s);  ///< ASCII only: names and keys are ASCII
bool iequals(std::string_view a, std::string_view b);
/// Three-way ASCII case-insensitive comparison.
int icompare(std::string_view a, std::string_view b);

std::size_t utf8Length(std::string_view s);

std::optional<std::string> parseBoolean(std::string_view s);
std::optional<double> parseNumber(std::string_view s);
std::string formatNumber(double value, bool integral);
/// `yyyy-MM-dd`, optionally followed by `Z`, `+HHmm`, `+HH:mm` or a time part (ignored).
std::optional<std::string> parseDate(std::string_view s);
/// §5.5 datetimes (`Z`, `±HHmm`, `±HH:mm`, no zone = UTC, milliseconds optional) and
/// plain dates (midnight UTC), normalised to UTC `yyyy-MM-ddTHH:mm:ss.SSSZ`.
std::optional<std::string> parseDateTime(std::string_view s);
/// The same, as milliseconds since 1970-01-01T00:00:00Z.
std::optional<std::int64_t> parseDateTimeMillis(std::string_view s);

std::int64_t daysFromCivil(int year, unsigned month, unsigned day);
std::string formatDate(std::int64_t days);             ///< days since 1970-01-01
std::string formatDateTime(std::int64_t epochMillis);  ///< canonical UTC form
std::int64_t nowMillis();

/// Checks and normalises a value for storage in a field (not for Id/Reference
/// existence, which needs the org). Returns the error for the record, if any.
std::optional<DmlError> normalizeValue(const FieldDef& field, std::string& value);

}  // namespace sfdc::emulator::detail
