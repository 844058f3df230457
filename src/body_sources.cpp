#include "body_sources.hpp"

#include <algorithm>
#include <cstring>
#include <sfdc/bulk/error.hpp>

namespace sfdc::bulk::detail {

IstreamBodySource::IstreamBodySource(std::istream& in) : in_(in) {
  start_ = in_.tellg();
  seekable_ = start_ != std::streampos(-1);
  if (seekable_) {
    in_.seekg(0, std::ios::end);
    auto end = in_.tellg();
    in_.seekg(start_);
    if (end != std::streampos(-1)) size_ = static_cast<long long>(end - start_);
  }
  in_.clear();
}

std::size_t IstreamBodySource::read(char* buffer, std::size_t size) {
  in_.read(buffer, static_cast<std::streamsize>(size));
  auto n = in_.gcount();
  if (in_.bad()) throw Error("reading the batch body stream failed");
  return static_cast<std::size_t>(n);
}

bool IstreamBodySource::rewind() {
  if (!seekable_) return false;
  in_.clear();
  in_.seekg(start_);
  return !in_.fail();
}

std::size_t StringBodySource::read(char* buffer, std::size_t size) {
  const std::size_t n = std::min(size, text_.size() - offset_);
  std::memcpy(buffer, text_.data() + offset_, n);
  offset_ += n;
  return n;
}

FileBodySource::FileBodySource(const std::string& path) : file_(path, std::ios::binary) {
  if (!file_) throw InvalidArgument("cannot open batch file '" + path + "'");
  file_.seekg(0, std::ios::end);
  size_ = static_cast<long long>(file_.tellg());
  file_.seekg(0);
}

std::size_t FileBodySource::read(char* buffer, std::size_t size) {
  file_.read(buffer, static_cast<std::streamsize>(size));
  auto n = file_.gcount();
  if (file_.bad()) throw Error("reading the batch file failed");
  return static_cast<std::size_t>(n);
}

bool FileBodySource::rewind() {
  file_.clear();
  file_.seekg(0);
  return !file_.fail();
}

}  // namespace sfdc::bulk::detail
