#pragma once

// What the fuzz targets share: the input as text, a byte source that splits it the way a
// network download would, and a way to report a broken property as a crash.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string_view>

namespace sfdc::bulk::fuzz {

inline std::string_view asText(const std::uint8_t* data, std::size_t size) noexcept {
  return {reinterpret_cast<const char*>(data), size};
}

/// Hands out `text` at most `chunk` bytes per read, as a ByteReader (the SDK's byte
/// source). `text` must outlive the reader.
inline std::function<std::size_t(char*, std::size_t)> chunkedReader(std::string_view text,
                                                                    std::size_t chunk) {
  auto offset = std::make_shared<std::size_t>(0);
  return [text, chunk, offset](char* buffer, std::size_t size) -> std::size_t {
    std::size_t n = text.size() - *offset;
    if (n > size) n = size;
    if (n > chunk) n = chunk;
    std::memcpy(buffer, text.data() + *offset, n);
    *offset += n;
    return n;
  };
}

/// A small read size that varies with the input, so that over a run every element
/// boundary falls at every position of a read.
inline std::size_t smallChunk(std::string_view text) noexcept { return 1 + text.size() % 13; }

/// A parser broke one of its promises without crashing: make it a crash libFuzzer keeps.
[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "fuzz property violated: %s\n", what);
  std::abort();
}

}  // namespace sfdc::bulk::fuzz
