#pragma once

#include <cstddef>
#include <memory>
#include <sfdc/bulk/http_transport.hpp>
#include <string>
#include <string_view>

namespace sfdc::bulk::detail {

/// zlib's default level: a good ratio for CSV/XML/JSON at ~50-100 MB/s per core, well
/// above what an upload to Salesforce sustains.
constexpr int kDefaultGzipLevel = 6;

/// `data` compressed as one gzip member (RFC 1952), as `Content-Encoding: gzip` expects.
std::string gzipCompress(std::string_view data, int level = kDefaultGzipLevel);

/// Decodes gzip data (also zlib-wrapped data and concatenated gzip members).
/// Throws ParseError when the data is corrupt or truncated.
std::string gunzip(std::string_view data);

/**
 * A BodySource that gzip-compresses another one on the fly, so a streamed upload stays
 * streamed: memory is bounded by one input chunk plus zlib's window, whatever the body
 * size. The compressed size is not known up front, so `size()` is -1 (chunked upload).
 */
class GzipBodySource final : public BodySource {
 public:
  explicit GzipBodySource(std::shared_ptr<BodySource> source, int level = kDefaultGzipLevel);
  ~GzipBodySource() override;
  GzipBodySource(const GzipBodySource&) = delete;
  GzipBodySource& operator=(const GzipBodySource&) = delete;

  /// Fills `buffer` with compressed bytes; 0 once the gzip trailer has been produced.
  std::size_t read(char* buffer, std::size_t size) override;
  /// Rewinds the wrapped source and restarts compression from scratch.
  bool rewind() override;

 private:
  struct State;
  std::shared_ptr<BodySource> source_;
  std::unique_ptr<State> state_;
};

}  // namespace sfdc::bulk::detail
