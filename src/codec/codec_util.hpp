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

/// Deepest nesting accepted in a server document: JSON objects and arrays, or XML
/// elements. Records nest their relationships a few levels; a deeper document is broken
/// or hostile, and walking it recursively would exhaust the stack.
inline constexpr int kMaxNestingDepth = 100;

/// Throws ParseError "<what>: nested deeper than kMaxNestingDepth levels".
[[noreturn]] void throwTooDeep(std::string_view what, std::string_view body);

/// True when the JSON text nests objects and arrays at most kMaxNestingDepth deep. A
/// byte scan, so that nothing recursive ever sees a deeper document.
bool jsonDepthWithinLimit(std::string_view json) noexcept;

/// True when the parsed XML document nests elements at most kMaxNestingDepth deep.
/// pugixml parses without recursion; this bounds what walks its tree afterwards.
bool xmlDepthWithinLimit(const pugi::xml_document& doc) noexcept;

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

/// Parses `body` as XML; throws ParseError naming `what` when malformed or nested deeper
/// than kMaxNestingDepth.
void loadXml(pugi::xml_document& doc, std::string_view body, std::string_view what);

/// Parses `body` as JSON; throws ParseError naming `what` when malformed or nested deeper
/// than kMaxNestingDepth.
nlohmann::json loadJson(std::string_view body, std::string_view what);

/// Decimal integer with optional surrounding whitespace; empty text is 0.
/// Throws ParseError naming the field when the text is not a number.
std::int64_t parseInteger(std::string_view text, std::string_view field, std::string_view body);

/// A JSON scalar as text: strings unchanged, null empty, numbers and bools printed.
std::string jsonText(const nlohmann::json& value);

/// `true`/`false` (any case, also `1`/`0`) from text.
bool parseBool(std::string_view text) noexcept;

/// Where and why `text` cannot be written into an XML 1.0 document: `what` is null when it
/// can; otherwise the first offending byte is at `at`.
struct XmlTextProblem {
  std::size_t at = 0;
  const char* what = nullptr;
};

/// Checks that `text` is valid UTF-8 (no overlong forms, no surrogates) made only of
/// characters XML 1.0 allows: tab, LF, CR, U+0020 to U+D7FF, U+E000 to U+FFFD, and
/// U+10000 upwards. No XML escape can carry the others.
XmlTextProblem findXmlTextProblem(std::string_view text) noexcept;

/// Escapes `&`, `<`, `>`, `"` and CR for XML text and attribute values.
void appendXmlEscaped(std::string& out, std::string_view text);

}  // namespace sfdc::bulk::detail
