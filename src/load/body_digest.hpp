#pragma once

// A 64-bit fingerprint of a batch body, computed while the body is written, so that a
// batch found in the job without an upload claiming it (a duplicate) can be traced to
// the rows it repeats from its uploaded body alone, without keeping bodies on disk.
// Not cryptographic: it tells apart the bodies of one load, which is all it is used for.

#include <cstdint>
#include <cstring>
#include <string_view>

namespace sfdc::bulk::detail::load {

class BodyDigest {
 public:
  void update(std::string_view bytes) noexcept {
    const char* p = bytes.data();
    std::size_t n = bytes.size();
    // Finish a word left open by the previous piece, so the result does not depend on
    // how the body was cut into pieces.
    while (pendingBytes_ != 0 && n != 0) {
      pending_ |= static_cast<std::uint64_t>(static_cast<unsigned char>(*p++))
                  << (8 * pendingBytes_);
      --n;
      if (++pendingBytes_ == 8) {
        mix(pending_);
        pending_ = 0;
        pendingBytes_ = 0;
      }
    }
    for (; n >= 8; p += 8, n -= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, sizeof word);
      mix(word);
    }
    for (; n != 0; --n) {
      pending_ |= static_cast<std::uint64_t>(static_cast<unsigned char>(*p++))
                  << (8 * pendingBytes_++);
    }
  }

  /// The digest of everything passed to update so far.
  std::uint64_t value() const noexcept {
    std::uint64_t h = state_;
    h ^= pending_ + length_ * 0x9E3779B97F4A7C15ull + pendingBytes_;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return h;
  }

  static std::uint64_t of(std::string_view bytes) noexcept {
    BodyDigest digest;
    digest.update(bytes);
    return digest.value();
  }

 private:
  void mix(std::uint64_t word) noexcept {
    state_ = (state_ ^ (word * 0x87C37B91114253D5ull)) * 0x4CF5AD432745937Full;
    state_ ^= state_ >> 29;
    ++length_;
  }

  std::uint64_t state_ = 0x6A09E667F3BCC909ull;
  std::uint64_t length_ = 0;  // whole words mixed
  std::uint64_t pending_ = 0;
  unsigned pendingBytes_ = 0;
};

}  // namespace sfdc::bulk::detail::load
