#pragma once

// Small helpers shared by the wire codecs: body sniffing, ParseError construction and
// namespace-agnostic access to pugixml nodes.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace sfdc::bulk::detail {

enum class BodyKind { Xml, Json, Csv, Empty };

/// Skips a UTF-8 BOM and leading whitespace.
std::string_view trimBodyStart(std::string_view body) noexcept;

/// `<` means XML, `{` or `[` JSON, anything else CSV (or Empty for a blank body).
BodyKind sniffBody(std::string_view body) noexcept;

/// Throws ParseError "<what>: <reason>; body: <first ~200 chars>".
[[noreturn]] void throwParseError(std::string_view what, std::string_view reason,
                                  std::string_view body);

/// Local part of a possibly prefixed XML name (`ns1:jobInfo` -> `jobInfo`).
std::string_view localName(const char* qualifiedName) noexcept;

/// First child element with the given local name, or an empty node.
pugi::xml_node childByLocalName(pugi::xml_node parent, std::string_view name) noexcept;

/// Parses `body` as XML; throws ParseError naming `what` when malformed.
void loadXml(pugi::xml_document& doc, std::string_view body, std::string_view what);

/// Parses `body` as JSON; throws ParseError naming `what` when malformed.
nlohmann::json loadJson(std::string_view body, std::string_view what);

/// Decimal integer with optional surrounding whitespace; empty text is 0.
/// Throws ParseError naming the field when the text is not a number.
std::int64_t parseInteger(std::string_view text, std::string_view field, std::string_view body);

/// A JSON scalar as text: strings unchanged, null empty, numbers and bools printed.
std::string jsonText(const nlohmann::json& value);

/// `true`/`false` (any case, also `1`/`0`) from text.
bool parseBool(std::string_view text) noexcept;

/// Escapes `&`, `<`, `>`, `"` and CR for XML text and attribute values.
void appendXmlEscaped(std::string& out, std::string_view text);

}  // namespace sfdc::bulk::detail
