#pragma once

// A growable window over a ByteReader for the incremental query-result scanners: bytes
// are appended by fill() and dropped from the front by discard(), so memory stays bounded
// by the largest unfinished element plus one read.

#include <cstring>
#include <sfdc/bulk/csv.hpp>
#include <string>
#include <string_view>

namespace sfdc::bulk::detail {

class PullBuffer {
 public:
  explicit PullBuffer(ByteReader source, std::size_t chunk = 1 << 16)
      : source_(std::move(source)), buffer_(chunk < 16 ? 16 : chunk, '\0') {}

  const char* data() const noexcept { return buffer_.data() + begin_; }
  std::size_t size() const noexcept { return end_ - begin_; }
  std::string_view view() const noexcept { return {data(), size()}; }
  bool eof() const noexcept { return eof_; }

  /// Appends the next bytes of the source; false (and eof()) when it is exhausted.
  /// Positions relative to data() stay valid.
  bool fill() {
    if (eof_) return false;
    if (begin_ > 0) {
      std::memmove(&buffer_[0], buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    const std::size_t n = source_(&buffer_[end_], buffer_.size() - end_);
    if (n == 0) {
      eof_ = true;
      return false;
    }
    end_ += n;
    return true;
  }

  /// Forgets the first `n` bytes; positions relative to data() shift down by `n`.
  void discard(std::size_t n) noexcept { begin_ += n < size() ? n : size(); }

 private:
  ByteReader source_;
  std::string buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
};

/// True when `text` (after a BOM and whitespace) is the zero-row marker
/// `Records not found for this query`, or a prefix of it that is all we have so far.
bool isNoRecordsMarker(std::string_view text, bool complete) noexcept;

}  // namespace sfdc::bulk::detail
