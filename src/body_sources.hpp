#pragma once

// BodySource adapters for streamed batch uploads.

#include <fstream>
#include <istream>
#include <memory>
#include <sfdc/bulk/http_transport.hpp>
#include <string>

namespace sfdc::bulk::detail {

/// Streams from a caller's istream; rewinds by seeking when the stream allows it.
class IstreamBodySource final : public BodySource {
 public:
  explicit IstreamBodySource(std::istream& in);
  std::size_t read(char* buffer, std::size_t size) override;
  bool rewind() override;
  long long size() const override { return size_; }

 private:
  std::istream& in_;
  std::streampos start_;
  bool seekable_;
  long long size_ = -1;
};

/// Streams a file it owns.
class FileBodySource final : public BodySource {
 public:
  explicit FileBodySource(const std::string& path);
  std::size_t read(char* buffer, std::size_t size) override;
  bool rewind() override;
  long long size() const override { return size_; }

 private:
  std::ifstream file_;
  long long size_ = -1;
};

}  // namespace sfdc::bulk::detail
