#include "codec/codec_util.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sfdc/bulk/error.hpp>

namespace sfdc::bulk::detail {

namespace {

constexpr std::size_t kBodyExcerpt = 200;

bool isXmlSpace(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trimSpaces(std::string_view text) noexcept {
  while (!text.empty() && isXmlSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isXmlSpace(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string_view trimBodyStart(std::string_view body) noexcept {
  if (body.size() >= 3 && body.compare(0, 3, "\xEF\xBB\xBF") == 0) body.remove_prefix(3);
  while (!body.empty() && isXmlSpace(body.front())) body.remove_prefix(1);
  return body;
}

BodyKind sniffBody(std::string_view body) noexcept {
  body = trimBodyStart(body);
  if (body.empty()) return BodyKind::Empty;
  switch (body.front()) {
    case '<':
      return BodyKind::Xml;
    case '{':
    case '[':
      return BodyKind::Json;
    default:
      return BodyKind::Csv;
  }
}

void throwParseError(std::string_view what, std::string_view reason, std::string_view body) {
  std::string message;
  message.reserve(what.size() + reason.size() + kBodyExcerpt + 16);
  message.append(what).append(": ").append(reason).append("; body: ");
  // Cut at a UTF-8 character boundary so the message stays valid UTF-8.
  std::size_t cut = std::min(body.size(), kBodyExcerpt);
  while (cut < body.size() && cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  message.append(body.substr(0, cut));
  if (cut < body.size()) message.append("...");
  throw ParseError(message);
}

void throwTooDeep(std::string_view what, std::string_view body) {
  throwParseError(what, "nested deeper than " + std::to_string(kMaxNestingDepth) + " levels", body);
}

bool jsonDepthWithinLimit(std::string_view json) noexcept {
  int depth = 0;
  bool inString = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (inString) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        inString = false;
      }
    } else if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxNestingDepth) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

bool xmlDepthWithinLimit(const pugi::xml_document& doc) noexcept {
  // Depth-first walk by sibling and parent links, without recursion.
  int depth = 0;
  pugi::xml_node node = doc.first_child();
  while (node) {
    if (node.type() == pugi::node_element && depth >= kMaxNestingDepth) return false;
    if (pugi::xml_node child = node.first_child()) {
      ++depth;
      node = child;
      continue;
    }
    while (!node.next_sibling()) {
      node = node.parent();
      if (!node || node == doc) return true;
      --depth;
    }
    node = node.next_sibling();
  }
  return true;
}

std::string_view localName(const char* qualifiedName) noexcept {
  std::string_view name(qualifiedName);
  const auto colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node childByLocalName(pugi::xml_node parent, std::string_view name) noexcept {
  for (pugi::xml_node child = parent.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element && localName(child.name()) == name) return child;
  }
  return {};
}

void loadXml(pugi::xml_document& doc, std::string_view body, std::string_view what) {
  const pugi::xml_parse_result result =
      doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!result) {
    throwParseError(what, std::string("malformed XML (") + result.description() + ")", body);
  }
  if (!xmlDepthWithinLimit(doc)) throwTooDeep(what, body);
}

nlohmann::json loadJson(std::string_view body, std::string_view what) {
  if (!jsonDepthWithinLimit(body)) throwTooDeep(what, body);
  try {
    return nlohmann::json::parse(body.begin(), body.end());
  } catch (const nlohmann::json::exception& e) {
    throwParseError(what, std::string("malformed JSON (") + e.what() + ")", body);
  }
}

std::int64_t parseInteger(std::string_view text, std::string_view field, std::string_view body) {
  text = trimSpaces(text);
  if (text.empty()) return 0;
  std::int64_t value = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (*first == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, last, value);
  // JSON writers may print a counter as 5.0; accept an all-zero fraction.
  const char* end = ptr;
  if (end != last && *end == '.') {
    ++end;
    while (end != last && *end == '0') ++end;
  }
  if (ec != std::errc() || end != last) {
    throwParseError("bad number", std::string(field) + " is '" + std::string(text) + "'", body);
  }
  return value;
}

std::string jsonText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return {};
  if (value.is_number_float()) {
    // apiVersion arrives as 36.0 or 58: keep the "NN.N" spelling the XML form uses.
    const double number = value.get<double>();
    if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) < 1e15) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.1f", number);
      return buffer;
    }
  }
  return value.dump();
}

bool parseBool(std::string_view text) noexcept {
  text = trimSpaces(text);
  if (text == "1") return true;
  if (text.size() != 4) return false;
  for (std::size_t i = 0; i < 4; ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != "true"[i]) return false;
  }
  return true;
}

XmlTextProblem findXmlTextProblem(std::string_view text) noexcept {
  const auto* const begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = begin + text.size();
  const auto problem = [begin](const unsigned char* at, const char* what) {
    return XmlTextProblem{static_cast<std::size_t>(at - begin), what};
  };
  const unsigned char* p = begin;
  while (p < end) {
    const unsigned char lead = *p;
    if (lead >= 0x20 && lead < 0x80) {
      ++p;
      continue;
    }
    if (lead < 0x80) {
      if (lead != '\t' && lead != '\n' && lead != '\r') {
        return problem(p, "control character not allowed in XML");
      }
      ++p;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code = lead & 0x07u;
    } else {
      return problem(p, "invalid UTF-8");
    }
    if (static_cast<std::size_t>(end - p) < length) return problem(p, "invalid UTF-8");
    for (std::size_t i = 1; i < length; ++i) {
      if ((p[i] & 0xC0u) != 0x80u) return problem(p, "invalid UTF-8");
      code = (code << 6) | (p[i] & 0x3Fu);
    }
    const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return problem(p, "invalid UTF-8");
    }
    if (code == 0xFFFE || code == 0xFFFF) return problem(p, "character not allowed in XML");
    p += length;
  }
  return {};
}

void appendXmlEscaped(std::string& out, std::string_view text) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char* replacement = nullptr;
    switch (text[i]) {
      case '&':
        replacement = "&amp;";
        break;
      case '<':
        replacement = "&lt;";
        break;
      case '>':
        replacement = "&gt;";
        break;
      case '"':
        replacement = "&quot;";
        break;
      case '\r':
        // A literal CR would be normalised away by any XML parser; the reference keeps it.
        replacement = "&#13;";
        break;
      default:
        continue;
    }
    out.append(text.data() + start, i - start);
    out.append(replacement);
    start = i + 1;
  }
  out.append(text.data() + start, text.size() - start);
}

}  // namespace sfdc::bulk::detail
