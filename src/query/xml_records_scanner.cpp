#include "query/xml_records_scanner.hpp"

#include <cstring>
#include <sfdc/bulk/error.hpp>
#include <string>

#include "codec/codec_util.hpp"

namespace sfdc::bulk::detail {

namespace {

bool isXmlSpace(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

[[noreturn]] void fail(const std::string& what) { throw ParseError("XML query result: " + what); }

// Position just past `terminator` searched from `from`, or npos.
std::size_t findAfter(std::string_view text, std::size_t from, std::string_view terminator) {
  const std::size_t at = text.find(terminator, from);
  return at == std::string_view::npos ? at : at + terminator.size();
}

}  // namespace

std::string_view tagLocalName(std::string_view tag) noexcept {
  std::size_t end = 0;
  while (end < tag.size() && !isXmlSpace(tag[end]) && tag[end] != '>' && tag[end] != '/') ++end;
  std::string_view name = tag.substr(0, end);
  const std::size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

XmlRecordsScanner::Token XmlRecordsScanner::scanToken(std::size_t at, std::size_t& tokenEnd) const {
  const std::string_view text = buffer_.view();
  const std::string_view rest = text.substr(at);
  auto skipUntil = [&](std::string_view terminator, std::size_t skip) {
    tokenEnd = findAfter(text, at + skip, terminator);
    return tokenEnd == std::string_view::npos ? Token::Incomplete : Token::Skip;
  };
  if (rest.size() < 2) return Token::Incomplete;
  if (rest[1] == '?') return skipUntil("?>", 2);
  if (rest[1] == '!') {
    if (rest.size() < 4) return Token::Incomplete;
    if (rest.compare(0, 4, "<!--") == 0) return skipUntil("-->", 4);
    if (rest.size() < 9) return Token::Incomplete;
    if (rest.compare(0, 9, "<![CDATA[") == 0) return skipUntil("]]>", 9);
    return skipUntil(">", 2);  // DOCTYPE and friends (no internal subset expected)
  }
  if (rest[1] == '/') {
    const std::size_t close = text.find('>', at + 2);
    if (close == std::string_view::npos) return Token::Incomplete;
    tokenEnd = close + 1;
    return Token::End;
  }
  // Start tag: '>' inside a quoted attribute value does not end it.
  char quote = 0;
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      tokenEnd = i + 1;
      return text[i - 1] == '/' ? Token::Empty : Token::Start;
    }
  }
  return Token::Incomplete;
}

bool XmlRecordsScanner::checkStart() {
  started_ = true;
  // Look at the first meaningful byte: XML, or the plain-text zero-row marker.
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  for (;;) {
    std::string_view text = buffer_.view();
    // Part of a BOM only: the rest decides, whatever size the first read had.
    if (!text.empty() && text.size() < kBom.size() && kBom.substr(0, text.size()) == text &&
        buffer_.fill()) {
      continue;
    }
    if (text.size() >= 3 && text.compare(0, 3, kBom) == 0) text.remove_prefix(3);
    while (!text.empty() && isXmlSpace(text.front())) text.remove_prefix(1);
    if (!text.empty()) {
      if (text.front() == '<') return true;
      if (isNoRecordsMarker(buffer_.view(), false)) {
        if (!buffer_.fill()) {
          finished_ = true;
          return false;
        }
        continue;
      }
      fail("expected an XML document");
    }
    if (!buffer_.fill()) {
      finished_ = true;  // empty body
      return false;
    }
  }
}

void XmlRecordsScanner::captureNamespaces(std::string_view tag) {
  // Copy every xmlns / xmlns:p attribute of the root verbatim.
  std::size_t i = 1;
  while (i < tag.size() && !isXmlSpace(tag[i]) && tag[i] != '>' && tag[i] != '/') ++i;
  while (i < tag.size()) {
    while (i < tag.size() && isXmlSpace(tag[i])) ++i;
    const std::size_t nameStart = i;
    while (i < tag.size() && tag[i] != '=' && !isXmlSpace(tag[i]) && tag[i] != '>') ++i;
    const std::string_view name = tag.substr(nameStart, i - nameStart);
    while (i < tag.size() && (isXmlSpace(tag[i]) || tag[i] == '=')) ++i;
    if (i >= tag.size() || (tag[i] != '"' && tag[i] != '\'')) break;
    const char quote = tag[i];
    const std::size_t close = tag.find(quote, i + 1);
    if (close == std::string_view::npos) break;
    if (name == "xmlns" || name.substr(0, 6) == "xmlns:") {
      rootNamespaces_.append(" ").append(tag.substr(nameStart, close + 1 - nameStart));
    }
    i = close + 1;
  }
}

bool XmlRecordsScanner::next(std::string_view& fragment) {
  if (finished_) return false;
  if (!started_ && !checkStart()) return false;
  buffer_.discard(pos_);
  pos_ = 0;
  for (;;) {
    // Outside a record, text and finished tokens are dropped as we go; inside one, the
    // bytes from the record's start tag are kept until its end tag.
    const char* base = buffer_.data();
    const void* lt = std::memchr(base + pos_, '<', buffer_.size() - pos_);
    if (lt == nullptr) {
      pos_ = buffer_.size();
      if (!inRecord_) {
        buffer_.discard(pos_);
        pos_ = 0;
      }
      if (!buffer_.fill()) {
        if (depth_ != 0 || inRecord_) fail("document ends before its root element closes");
        finished_ = true;
        return false;
      }
      continue;
    }
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(lt) - base);
    std::size_t tokenEnd = 0;
    const Token token = scanToken(at, tokenEnd);
    if (token == Token::Incomplete) {
      if (!inRecord_) {
        buffer_.discard(at);
        pos_ = 0;
      } else {
        pos_ = at;
      }
      if (!buffer_.fill()) fail("document ends inside a tag");
      continue;
    }
    const std::string_view tag(buffer_.data() + at, tokenEnd - at);
    pos_ = tokenEnd;
    switch (token) {
      case Token::Start:
      case Token::Empty: {
        const bool empty = token == Token::Empty;
        if (depth_ == 0) {
          captureNamespaces(tag);
        } else if (depth_ == 1 && !inRecord_ && tagLocalName(tag.substr(1)) == "records") {
          if (empty) {
            fragment = tag;
            return true;
          }
          inRecord_ = true;
          recordStart_ = at;
        }
        if (!empty && ++depth_ > kMaxNestingDepth) {
          fail("elements nest deeper than " + std::to_string(kMaxNestingDepth) + " levels");
        }
        break;
      }
      case Token::End:
        if (--depth_ < 0) fail("unbalanced end tag");
        if (inRecord_ && depth_ == 1) {
          inRecord_ = false;
          fragment = std::string_view(buffer_.data() + recordStart_, tokenEnd - recordStart_);
          return true;
        }
        break;
      default:
        break;
    }
    if (!inRecord_) {
      buffer_.discard(pos_);
      pos_ = 0;
    }
  }
}

}  // namespace sfdc::bulk::detail
