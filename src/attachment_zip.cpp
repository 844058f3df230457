#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <limits>
#include <sfdc/bulk/attachment_zip.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/limits.hpp>
#include <sstream>

namespace sfdc::bulk {
namespace {

constexpr const char* kRequestFile = "request.txt";

void putU16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}

void putU32(std::string& out, std::uint32_t v) {
  putU16(out, v & 0xFFFF);
  putU16(out, v >> 16);
}

std::uint32_t crcOf(const std::string& bytes) {
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

// Raw deflate (no zlib or gzip wrapper), as zip entries carry it. Entries are at most
// kMaxZipUnzippedBytes, so one call with a uInt-sized buffer suffices.
std::string rawDeflate(const std::string& bytes) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw Error("AttachmentZip: cannot start deflate");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(bytes.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw Error("AttachmentZip: deflate failed");
  return out;
}

void checkPath(const std::string& path) {
  const auto bad = [&](const std::string& why) {
    throw InvalidArgument("AttachmentZip: file path '" + path + "' " + why);
  };
  if (path.empty()) bad("is empty");
  if (path == kRequestFile) bad("is reserved for the records (setRequest)");
  if (path.front() == '/') bad("must be relative to the zip's root");
  if (path.find('\\') != std::string::npos) bad("must use '/' to separate folders");
  if (path.back() == '/') bad("names a folder, not a file");
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") bad("has an empty, '.' or '..' part");
    start = end + 1;
  }
  if (path.size() > std::numeric_limits<std::uint16_t>::max()) bad("is too long for a zip");
}

}  // namespace

void AttachmentZip::setRequest(std::string records) {
  request_ = std::move(records);
  haveRequest_ = true;
}

void AttachmentZip::addFile(const std::string& path, std::string bytes) {
  checkPath(path);
  for (const File& f : files_) {
    if (f.path == path)
      throw InvalidArgument("AttachmentZip: file path '" + path + "' added twice");
  }
  unzippedBytes_ += bytes.size();
  files_.push_back({path, std::move(bytes)});
}

void AttachmentZip::addFileFrom(const std::string& path, const std::string& diskPath) {
  std::ifstream in(diskPath, std::ios::binary);
  if (!in) throw InvalidArgument("AttachmentZip: cannot open '" + diskPath + "' for " + path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw InvalidArgument("AttachmentZip: cannot read '" + diskPath + "'");
  addFile(path, std::move(bytes).str());
}

std::string AttachmentZip::build() const {
  if (!haveRequest_) throw InvalidArgument("AttachmentZip: no request (setRequest) was given");
  if (files_.size() + 1 > kMaxZipFiles) {
    throw InvalidArgument("AttachmentZip: " + std::to_string(files_.size()) +
                          " files and request.txt, over the limit of " +
                          std::to_string(kMaxZipFiles) + " files per batch");
  }
  if (unzippedBytes_ > kMaxZipUnzippedBytes) {
    throw InvalidArgument("AttachmentZip: the files hold " + std::to_string(unzippedBytes_) +
                          " bytes unzipped, over the limit of " +
                          std::to_string(kMaxZipUnzippedBytes) + " per batch");
  }
  std::string out;
  std::string directory;
  const auto add = [&](const std::string& name, const std::string& bytes) {
    const std::string stored = rawDeflate(bytes);
    const std::uint32_t crc = crcOf(bytes);
    const auto offset = static_cast<std::uint32_t>(out.size());
    // Local header and central directory entry share their middle: version, flags,
    // method (8, deflate), time, date, CRC and sizes, the name's length.
    const auto common = [&](std::string& to) {
      putU16(to, 20);      // version needed: 2.0 (deflate)
      putU16(to, 0x0800);  // flags: the name is UTF-8
      putU16(to, 8);
      putU16(to, 0);
      putU16(to, 0x21);  // 1980-01-01: a fixed date keeps the zip reproducible
      putU32(to, crc);
      putU32(to, static_cast<std::uint32_t>(stored.size()));
      putU32(to, static_cast<std::uint32_t>(bytes.size()));
      putU16(to, static_cast<std::uint32_t>(name.size()));
      putU16(to, 0);  // extra field
    };
    putU32(out, 0x04034b50);
    common(out);
    out += name;
    out += stored;
    putU32(directory, 0x02014b50);
    putU16(directory, 20);  // made by
    common(directory);
    putU16(directory, 0);  // comment
    putU16(directory, 0);  // disk
    putU16(directory, 0);  // internal attributes
    putU32(directory, 0);  // external attributes
    putU32(directory, offset);
    directory += name;
    if (out.size() > kMaxBatchBytes) {
      throw InvalidArgument("AttachmentZip: the zip is over " + std::to_string(kMaxBatchBytes) +
                            " bytes (at " + name + "); split the files across batches");
    }
  };
  add(kRequestFile, request_);
  for (const File& f : files_) add(f.path, f.bytes);
  const auto directoryOffset = static_cast<std::uint32_t>(out.size());
  out += directory;
  putU32(out, 0x06054b50);
  putU16(out, 0);
  putU16(out, 0);
  putU16(out, static_cast<std::uint32_t>(files_.size() + 1));
  putU16(out, static_cast<std::uint32_t>(files_.size() + 1));
  putU32(out, static_cast<std::uint32_t>(directory.size()));
  putU32(out, directoryOffset);
  putU16(out, 0);
  if (out.size() > kMaxBatchBytes) {
    throw InvalidArgument("AttachmentZip: the zip is over " + std::to_string(kMaxBatchBytes) +
                          " bytes; split the files across batches");
  }
  return out;
}

}  // namespace sfdc::bulk
