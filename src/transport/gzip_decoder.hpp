#pragma once

// Streamed decoding of `Content-Encoding: gzip` response bodies with ISA-L.
//
// A large query is bound, on the client, by inflating its result files: zlib (which
// libcurl decodes with) spends more CPU on it than parsing and writing the rows
// together. ISA-L's inflate produces the same bytes several times faster. When the
// library was built with it (SFDC_BULK_HAVE_ISAL), CurlTransfer asks for gzip itself,
// switches libcurl's decoding off and feeds the raw body through this class; otherwise
// libcurl decodes as before.

#include <cstddef>
#include <memory>
#include <string>

namespace sfdc::bulk::detail {

/// True when this build decodes gzip responses itself (with ISA-L).
bool ownGzipDecoding() noexcept;

class GzipDecoder {
 public:
  GzipDecoder();  ///< throws std::logic_error when !ownGzipDecoding()
  ~GzipDecoder();
  GzipDecoder(const GzipDecoder&) = delete;
  GzipDecoder& operator=(const GzipDecoder&) = delete;

  /// Decodes `size` more bytes of the body, appending the output to `out`. Several gzip
  /// members in a row decode to their concatenation. False when the data is corrupt
  /// (see error()); `out` then holds what decoded before the damage.
  bool feed(const char* data, std::size_t size, std::string& out);
  /// True when no member is left unfinished: nothing was fed, or the last member's
  /// trailer (and checksum) arrived. A body that ends otherwise was cut short.
  bool complete() const noexcept;
  /// Why feed() failed.
  const std::string& error() const noexcept { return error_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::string error_;
};

}  // namespace sfdc::bulk::detail
