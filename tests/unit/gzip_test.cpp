#include "transport/gzip.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <sfdc/bulk/error.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk::detail {
namespace {

std::string sample(std::size_t size) {
  std::string s;
  for (std::size_t i = 0; s.size() < size; ++i) s += "row," + std::to_string(i * 31 % 977) + "\n";
  s.resize(size);
  return s;
}

/// Hands out at most `chunk` bytes per read, like a file or network source would.
class ChunkedSource final : public BodySource {
 public:
  ChunkedSource(std::string data, std::size_t chunk) : data_(std::move(data)), chunk_(chunk) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min({size, chunk_, data_.size() - offset_});
    std::memcpy(buffer, data_.data() + offset_, n);
    offset_ += n;
    return n;
  }
  bool rewind() override {
    offset_ = 0;
    return rewindable_;
  }
  bool rewindable_ = true;

 private:
  std::string data_;
  std::size_t chunk_;
  std::size_t offset_ = 0;
};

std::string drain(BodySource& source, std::size_t piece) {
  std::string out;
  std::vector<char> buffer(piece);
  while (std::size_t n = source.read(buffer.data(), buffer.size())) out.append(buffer.data(), n);
  return out;
}

TEST(GzipTest, RoundTripsEmptySmallAndLarge) {
  for (std::size_t size :
       {std::size_t{0}, std::size_t{1}, std::size_t{1000}, std::size_t{3'000'000}}) {
    const std::string data = sample(size);
    const std::string packed = gzipCompress(data);
    ASSERT_GE(packed.size(), 18u);  // gzip header + trailer
    EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x8b);
    EXPECT_EQ(gunzip(packed), data);
  }
}

TEST(GzipTest, ConcatenatedMembersDecodeToConcatenation) {
  EXPECT_EQ(gunzip(gzipCompress("abc") + gzipCompress("def")), "abcdef");
}

TEST(GzipTest, CorruptOrTruncatedInputThrowsParseError) {
  const std::string packed = gzipCompress(sample(10'000));
  EXPECT_THROW(gunzip(packed.substr(0, packed.size() / 2)), ParseError);
  EXPECT_THROW(gunzip("definitely not gzip"), ParseError);
}

TEST(GzipTest, StreamingSourceMatchesOneShotAndRewinds) {
  const std::string data = sample(1'500'000);
  auto inner = std::make_shared<ChunkedSource>(data, 7'000);
  GzipBodySource source(inner);
  EXPECT_EQ(source.size(), -1);
  // Tiny output buffers force many deflate calls per input chunk.
  const std::string packed = drain(source, 333);
  EXPECT_EQ(gunzip(packed), data);
  EXPECT_EQ(source.read(nullptr, 0), 0u);

  ASSERT_TRUE(source.rewind());
  EXPECT_EQ(gunzip(drain(source, 64 * 1024)), data);

  inner->rewindable_ = false;
  EXPECT_FALSE(source.rewind());
}

TEST(GzipTest, StreamingEmptySourceIsValidGzip) {
  GzipBodySource source(std::make_shared<ChunkedSource>("", 10));
  EXPECT_EQ(gunzip(drain(source, 5)), "");
}

}  // namespace
}  // namespace sfdc::bulk::detail
