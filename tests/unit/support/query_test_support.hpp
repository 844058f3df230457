#pragma once

// Shared set-up of the Client::query unit tests: a client over a QueryFakeServer with
// millisecond polling and retries.

#include <gtest/gtest.h>

#include <memory>
#include <sfdc/bulk.hpp>
#include <string>
#include <vector>

#include "query_fake_server.hpp"

namespace sfdc::bulk::testing {

inline Config queryTestConfig() {
  Config config;
  config.baseUrl = "https://na1.example.com";
  config.clientConfig = AccessTokenConfig{"00Dx0000000BV7z!AR8AQtoken"};
  config.retry.initialBackoff = std::chrono::milliseconds(1);
  config.retry.maxBackoff = std::chrono::milliseconds(4);
  return config;
}

struct QueryTest : ::testing::Test {
  std::shared_ptr<QueryFakeServer> server = std::make_shared<QueryFakeServer>();
  Client client{queryTestConfig(), server};

  static QueryOptions fast() {
    QueryOptions options;
    options.pollMinInterval = std::chrono::milliseconds(1);
    options.pollMaxInterval = std::chrono::milliseconds(4);
    options.timeout = std::chrono::seconds(10);
    return options;
  }

  /// One batch (the SOQL batch) that completes on the second poll.
  void singleBatch(const std::vector<std::string>& results) {
    server->polls = {{{server->rootBatchId, "InProgress"}}, {{server->rootBatchId, "Completed"}}};
    server->resultIds[server->rootBatchId] = results;
  }

  static std::vector<std::vector<std::string>> readAll(QueryStream& stream) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    while (stream.nextRow(row)) rows.push_back(row);
    return rows;
  }
};

using Rows = std::vector<std::vector<std::string>>;

}  // namespace sfdc::bulk::testing
