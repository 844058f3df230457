#pragma once

// Finds the `<records>` children of an XML `<queryResult>` one at a time with a small tag
// scanner, so a large result file is never parsed (or held) whole. Each fragment is then
// parsed on its own with pugixml.

#include <string>
#include <string_view>

#include "query/pull_buffer.hpp"

namespace sfdc::bulk::detail {

class XmlRecordsScanner {
 public:
  explicit XmlRecordsScanner(ByteReader source) : buffer_(std::move(source)) {}

  /// The bytes of the next `<records>` element, valid until the next call; false at the
  /// end of the document. Throws ParseError for truncated or non-XML bodies and for
  /// elements nested deeper than kMaxNestingDepth.
  bool next(std::string_view& fragment);

  /// The namespace declarations (`xmlns…="…"` attributes) of the root element, to be put
  /// on a wrapper so that prefixes inside a fragment still resolve.
  const std::string& rootNamespaces() const noexcept { return rootNamespaces_; }

 private:
  enum class Token { Incomplete, Skip, Start, Empty, End };
  Token scanToken(std::size_t at, std::size_t& tokenEnd) const;
  bool checkStart();
  void captureNamespaces(std::string_view tag);

  PullBuffer buffer_;
  std::size_t pos_ = 0;
  std::size_t recordStart_ = 0;
  int depth_ = 0;
  bool inRecord_ = false;
  bool started_ = false;
  bool finished_ = false;
  std::string rootNamespaces_;
};

/// Local name of the tag starting at `tag` (after `<` or `</`), prefix removed.
std::string_view tagLocalName(std::string_view tag) noexcept;

}  // namespace sfdc::bulk::detail
