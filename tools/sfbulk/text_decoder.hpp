#pragma once

// The character encoding of `sfbulk load --encoding`: cells of an input file in
// ISO-8859-1, Windows-1252 or another single-byte encoding are converted to UTF-8 (what
// Salesforce takes) with the system's iconv. The CSV structure is read on the bytes as
// they are, which is safe because these encodings write the delimiters, quotes and line
// ends as ASCII does; multi-byte encodings other than UTF-8 (UTF-16, Shift_JIS) are
// refused for that reason.

#include <memory>
#include <string>
#include <string_view>

namespace sfbulk {

class TextDecoder {
 public:
  /// Throws sfdc::bulk::InvalidArgument for an encoding iconv does not know, or one that
  /// is neither UTF-8 nor single-byte and ASCII-compatible.
  explicit TextDecoder(const std::string& encoding);
  ~TextDecoder();
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;

  /// True for UTF-8: cells pass through unchanged.
  bool isUtf8() const noexcept { return handle_ == nullptr; }
  /// The encoding's name as given.
  const std::string& name() const noexcept { return name_; }

  /// `text` in UTF-8. Throws sfdc::bulk::InvalidArgument naming the byte that is not a
  /// character of the encoding (e.g. 0x81 in Windows-1252).
  std::string decode(std::string_view text) const;

 private:
  std::string name_;
  void* handle_ = nullptr;  // iconv_t; null for UTF-8
};

}  // namespace sfbulk
