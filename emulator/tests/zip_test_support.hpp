#pragma once

// Building zip archives for the emulator's attachment tests: stored or deflated entries,
// directories (names ending in '/'), and hooks to corrupt what a test needs corrupted.

#include <zlib.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sfdc::emulator::testing {

struct ZipInput {
  std::string name;
  std::string data;
};

inline void putU16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}

inline void putU32(std::string& out, std::uint32_t v) {
  putU16(out, v & 0xFFFF);
  putU16(out, v >> 16);
}

inline std::string rawDeflate(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

/// A zip of `entries`, deflated when `deflate` (directories are always stored).
/// `sizeSkew` is added to every declared uncompressed size, to fake a lying header.
inline std::string makeZip(const std::vector<ZipInput>& entries, bool deflate = true,
                           std::uint32_t sizeSkew = 0) {
  std::string out;
  std::string directory;
  for (const ZipInput& e : entries) {
    const bool isDirectory = !e.name.empty() && e.name.back() == '/';
    const bool deflated = deflate && !isDirectory;
    const std::string stored = deflated ? rawDeflate(e.data) : e.data;
    const auto crc = static_cast<std::uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size())));
    const auto offset = static_cast<std::uint32_t>(out.size());
    const auto header = [&](std::string& to, bool central) {
      putU32(to, central ? 0x02014b50 : 0x04034b50);
      if (central) putU16(to, 20);  // version made by
      putU16(to, 20);               // version needed
      putU16(to, 0);                // flags
      putU16(to, deflated ? 8 : 0);
      putU16(to, 0);  // time
      putU16(to, 0);  // date
      putU32(to, crc);
      putU32(to, static_cast<std::uint32_t>(stored.size()));
      putU32(to, static_cast<std::uint32_t>(e.data.size()) + sizeSkew);
      putU16(to, static_cast<std::uint32_t>(e.name.size()));
      putU16(to, 0);  // extra
      if (central) {
        putU16(to, 0);  // comment
        putU16(to, 0);  // disk
        putU16(to, 0);  // internal attributes
        putU32(to, isDirectory ? 0x10 : 0);
        putU32(to, offset);
      }
      to += e.name;
    };
    header(out, false);
    out += stored;
    header(directory, true);
  }
  const auto directoryOffset = static_cast<std::uint32_t>(out.size());
  out += directory;
  putU32(out, 0x06054b50);
  putU16(out, 0);
  putU16(out, 0);
  putU16(out, static_cast<std::uint32_t>(entries.size()));
  putU16(out, static_cast<std::uint32_t>(entries.size()));
  putU32(out, static_cast<std::uint32_t>(directory.size()));
  putU32(out, directoryOffset);
  putU16(out, 0);
  return out;
}

}  // namespace sfdc::emulator::testing
