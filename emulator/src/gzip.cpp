#include "gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace sfdc::emulator::server {

std::string gzipCompress(std::string_view data) {
  z_stream z{};
  // windowBits 15 + 16 selects the gzip wrapper. The fastest level: a page of query results
  // is tens of megabytes, and the emulator's time to compress it would otherwise be most
  // of what a client measures when it downloads over loopback.
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(data.size())));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const auto written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("gzip compression failed");
  out.resize(written);
  return out;
}

std::string gzipDecompress(std::string_view data) {
  z_stream z{};
  // 15 + 32: detect the gzip or zlib header automatically.
  if (inflateInit2(&z, 15 + 32) != Z_OK) throw std::runtime_error("inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[16384];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      throw std::runtime_error("corrupt gzip data");
    }
    out.append(buffer, sizeof buffer - z.avail_out);
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      throw std::runtime_error("truncated gzip data");
    }
  }
  inflateEnd(&z);
  return out;
}

bool acceptsGzip(const std::string& acceptEncoding) {
  std::size_t start = 0;
  while (start < acceptEncoding.size()) {
    std::size_t end = acceptEncoding.find(',', start);
    if (end == std::string::npos) end = acceptEncoding.size();
    std::string item = acceptEncoding.substr(start, end - start);
    start = end + 1;
    std::transform(item.begin(), item.end(), item.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    item.erase(std::remove_if(item.begin(), item.end(),
                              [](unsigned char c) { return std::isspace(c) != 0; }),
               item.end());
    const std::string coding = item.substr(0, item.find(';'));
    if (coding != "gzip" && coding != "x-gzip") continue;
    // `gzip;q=0` explicitly refuses it.
    const auto q = item.find(";q=");
    if (q != std::string::npos && std::stod("0" + item.substr(q + 3)) == 0.0) continue;
    return true;
  }
  return false;
}

}  // namespace sfdc::emulator::server
