#pragma once

// Finds the top-level elements of a JSON array one at a time without parsing the whole
// document: tracks strings, escapes and nesting depth to know where each element ends.

#include <string_view>

#include "query/pull_buffer.hpp"

namespace sfdc::bulk::detail {

class JsonArrayScanner {
 public:
  explicit JsonArrayScanner(ByteReader source) : buffer_(std::move(source)) {}

  /// The bytes of the next element, valid until the next call; false after the `]`.
  /// Throws ParseError for a body that is not an array, ends early, or nests deeper than
  /// kMaxNestingDepth (counting the array).
  bool next(std::string_view& element);

 private:
  bool ensure(std::size_t position);  // true when buffer_ holds position (filling as needed)
  bool start();

  PullBuffer buffer_;
  std::size_t pos_ = 0;
  bool started_ = false;
  bool finished_ = false;
};

}  // namespace sfdc::bulk::detail
