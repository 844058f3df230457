#include "zip_archive.hpp"

#include <zlib.h>

#include <cstdint>
#include <limits>

namespace sfdc::emulator::server {
namespace {

constexpr std::uint32_t kEndOfDirectory = 0x06054b50;
constexpr std::uint32_t kDirectoryEntry = 0x02014b50;
constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::size_t kEndOfDirectorySize = 22;
constexpr std::size_t kDirectoryEntrySize = 46;
constexpr std::size_t kLocalHeaderSize = 30;
constexpr std::uint16_t kStored = 0;
constexpr std::uint16_t kDeflated = 8;

// Little-endian reads at an offset the caller has bounds-checked.
std::uint16_t u16(std::string_view s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                    static_cast<unsigned char>(s[at + 1]) << 8);
}

std::uint32_t u32(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(u16(s, at)) | static_cast<std::uint32_t>(u16(s, at + 2)) << 16;
}

void need(std::string_view archive, std::size_t at, std::size_t size, const char* what) {
  if (at > archive.size() || archive.size() - at < size) {
    throw ZipError(std::string("malformed zip: ") + what + " runs past the end of the archive");
  }
}

std::size_t findEndOfDirectory(std::string_view archive) {
  if (archive.size() < kEndOfDirectorySize) throw ZipError("not a zip archive (too short)");
  // The record is the last thing in the archive but may be followed by a comment of up
  // to 65,535 bytes.
  const std::size_t last = archive.size() - kEndOfDirectorySize;
  const std::size_t first = last > 0xFFFF ? last - 0xFFFF : 0;
  for (std::size_t at = last + 1; at-- > first;) {
    if (u32(archive, at) == kEndOfDirectory) return at;
  }
  throw ZipError("not a zip archive (no end of central directory record)");
}

std::string inflateRaw(std::string_view compressed, std::size_t expected, const std::string& name) {
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw ZipError("cannot start inflating " + name);
  std::string out(expected, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&z, Z_FINISH);
  if (rc == Z_BUF_ERROR && z.avail_out == 0) {
    // Output is full: the stream must end here, or it holds more than its header says.
    unsigned char probe = 0;
    z.next_out = &probe;
    z.avail_out = 1;
    rc = inflate(&z, Z_FINISH);
    if (rc != Z_STREAM_END) rc = Z_DATA_ERROR;
  }
  const bool exact = rc == Z_STREAM_END && z.total_out == expected;
  inflateEnd(&z);
  if (!exact) throw ZipError("corrupt deflate data in " + name);
  return out;
}

}  // namespace

std::vector<ZipEntry> readZip(std::string_view archive, const ZipLimits& limits) {
  const std::size_t end = findEndOfDirectory(archive);
  const std::uint16_t entries = u16(archive, end + 10);
  const std::uint32_t directorySize = u32(archive, end + 12);
  const std::uint32_t directoryOffset = u32(archive, end + 16);
  if (u16(archive, end + 4) != 0 || u16(archive, end + 6) != 0) {
    throw ZipError("multi-part zip archives are not supported");
  }
  if (entries == 0xFFFF || directoryOffset == 0xFFFFFFFF) {
    throw ZipError("zip64 archives are not supported");
  }
  need(archive, directoryOffset, directorySize, "the central directory");

  std::vector<ZipEntry> out;
  std::size_t files = 0;
  std::size_t totalBytes = 0;
  std::size_t at = directoryOffset;
  for (std::uint16_t i = 0; i < entries; ++i) {
    need(archive, at, kDirectoryEntrySize, "a central directory entry");
    if (u32(archive, at) != kDirectoryEntry) throw ZipError("malformed zip: bad central directory");
    const std::uint16_t flags = u16(archive, at + 8);
    const std::uint16_t method = u16(archive, at + 10);
    const std::uint32_t crc = u32(archive, at + 16);
    const std::uint32_t compressedSize = u32(archive, at + 20);
    const std::uint32_t size = u32(archive, at + 24);
    const std::uint16_t nameLength = u16(archive, at + 28);
    const std::size_t skip =
        static_cast<std::size_t>(nameLength) + u16(archive, at + 30) + u16(archive, at + 32);
    const std::uint32_t localOffset = u32(archive, at + 42);
    need(archive, at + kDirectoryEntrySize, skip, "a central directory entry");
    ZipEntry entry;
    entry.name.assign(archive.substr(at + kDirectoryEntrySize, nameLength));
    at += kDirectoryEntrySize + skip;

    if (compressedSize == 0xFFFFFFFF || size == 0xFFFFFFFF || localOffset == 0xFFFFFFFF) {
      throw ZipError("zip64 archives are not supported (" + entry.name + ")");
    }
    if (flags & 0x1) throw ZipError("encrypted entries are not supported (" + entry.name + ")");
    entry.directory = !entry.name.empty() && entry.name.back() == '/';
    if (entry.directory) {
      out.push_back(std::move(entry));
      continue;
    }
    if (++files > limits.maxFiles) {
      throw ZipError("the zip holds more than " + std::to_string(limits.maxFiles) + " files");
    }
    if (size > limits.maxTotalBytes - totalBytes) {
      throw ZipError("the unzipped files exceed " + std::to_string(limits.maxTotalBytes) +
                     " bytes (at " + entry.name + ")");
    }
    totalBytes += size;

    need(archive, localOffset, kLocalHeaderSize, "a local file header");
    if (u32(archive, localOffset) != kLocalHeader) {
      throw ZipError("malformed zip: bad local header for " + entry.name);
    }
    const std::size_t dataAt = localOffset + kLocalHeaderSize + u16(archive, localOffset + 26) +
                               u16(archive, localOffset + 28);
    need(archive, dataAt, compressedSize, entry.name.c_str());
    const std::string_view stored = archive.substr(dataAt, compressedSize);
    if (method == kStored) {
      if (compressedSize != size) throw ZipError("malformed zip: sizes differ for " + entry.name);
      entry.data.assign(stored);
    } else if (method == kDeflated) {
      entry.data = inflateRaw(stored, size, entry.name);
    } else {
      throw ZipError("compression method " + std::to_string(method) + " is not supported (" +
                     entry.name + ")");
    }
    const auto actual = crc32(0L, reinterpret_cast<const Bytef*>(entry.data.data()),
                              static_cast<uInt>(entry.data.size()));
    if (actual != crc) throw ZipError("CRC mismatch in " + entry.name);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace sfdc::emulator::server
