#pragma once

// The fixture of the Bulk2Connection unit tests: a real connection over a scripted
// transport and a fake clock, with a static token, and helpers to check 2.0 requests.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sfdc/bulk.hpp>

#include "bulk2/bulk2_connection_impl.hpp"
#include "bulk2_responses.hpp"
#include "fake_pacing.hpp"
#include "fake_transport.hpp"
#include "responses.hpp"
#include "session.hpp"

namespace sfdc::bulk::testing {

inline constexpr const char* kBase = "https://na1.example.com";
inline constexpr const char* kToken = "00Dx0000000BV7z!AR8AQsecret-token";

inline Config staticConfig() {
  Config config;
  config.baseUrl = kBase;
  config.clientConfig = AccessTokenConfig{kToken};
  config.apiVersion = "62.0";
  config.retry.initialBackoff = std::chrono::milliseconds(1);
  config.retry.maxBackoff = std::chrono::milliseconds(5);
  return config;
}

inline std::string dataUrl(const std::string& path) {
  return std::string(kBase) + "/services/data/v62.0/" + path;
}

class StringSource final : public BodySource {
 public:
  explicit StringSource(std::string text) : text_(std::move(text)) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min(size, text_.size() - offset_);
    std::copy_n(text_.data() + offset_, n, buffer);
    offset_ += n;
    return n;
  }
  bool rewind() override {
    ++rewinds;
    offset_ = 0;
    return true;
  }
  long long size() const override { return static_cast<long long>(text_.size()); }
  int rewinds = 0;

 private:
  std::string text_;
  std::size_t offset_ = 0;
};

struct Bulk2ConnectionTest : ::testing::Test {
  std::shared_ptr<FakeTransport> fake = std::make_shared<FakeTransport>();
  FakePacing pacing;
  std::vector<std::string> logs;
  std::shared_ptr<Bulk2Connection> connection = make(staticConfig());
  IngestJob ingestJob{kIngestJobId,           Operation::Insert, "Account",
                      ColumnDelimiter::Comma, LineEnding::LF,    ""};
  QueryJob queryJob{kQueryJobId, Operation::Query, ColumnDelimiter::Comma, LineEnding::LF};

  std::shared_ptr<Bulk2Connection> make(Config config) {
    config.logHandler = [this](LogLevel, std::string_view line) { logs.emplace_back(line); };
    return std::make_shared<detail::Bulk2ConnectionImpl>(
        std::make_shared<detail::Session>(config, fake, pacing.pacing()));
  }

  void expectJsonCall(const RecordedRequest& request, const std::string& method,
                      const std::string& url) {
    EXPECT_EQ(request.method, method);
    EXPECT_EQ(request.url, url);
    EXPECT_EQ(request.header("Authorization"), std::string("Bearer ") + kToken);
    EXPECT_EQ(request.header("X-SFDC-Session"), "");
    EXPECT_EQ(request.header("Accept"), "application/json");
  }
};

inline std::vector<std::string> readAll(Bulk2CsvReader& reader) {
  std::vector<std::string> rows;
  std::vector<std::string> row;
  while (reader.nextRow(row)) {
    std::string joined;
    for (const auto& field : row) joined += (joined.empty() ? "" : "|") + field;
    rows.push_back(joined);
  }
  return rows;
}

}  // namespace sfdc::bulk::testing
