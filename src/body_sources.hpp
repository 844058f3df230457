#pragma once

// BodySource adapters for streamed uploads (v1 batches, 2.0 job data).

#include <fstream>
#include <istream>
#include <memory>
#include <sfdc/bulk/http_transport.hpp>
#include <string>
#include <string_view>

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

/// Streams a copy of the caller's text, so the caller's buffer may go away or change
/// while the request (or its replay) is on its way.
class StringBodySource final : public BodySource {
 public:
  explicit StringBodySource(std::string_view text) : text_(text) {}
  std::size_t read(char* buffer, std::size_t size) override;
  bool rewind() override {
    offset_ = 0;
    return true;
  }
  long long size() const override { return static_cast<long long>(text_.size()); }

 private:
  std::string text_;
  std::size_t offset_ = 0;
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
