#pragma once

// Shared helpers for the emulator's HTTP tests: an emulator on an ephemeral port, a
// session token, and small request/poll helpers over httplib::Client.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "sfdc/emulator/emulator.hpp"

namespace sfdc::emulator::testing {

inline constexpr const char* kXmlNs = "http://www.force.com/2009/06/asyncapi/dataload";

/// Value of the first `<name>` element in an XML body ("" if absent).
inline std::string xmlValue(const std::string& body, const std::string& name) {
  std::smatch m;
  if (std::regex_search(body, m, std::regex("<" + name + ">([^<]*)</" + name + ">"))) {
    return m[1];
  }
  return {};
}

/// Capture group 1 of every match of `pattern` in `body`.
inline std::vector<std::string> allMatches(const std::string& body, const std::string& pattern) {
  const std::regex re(pattern);
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(body.begin(), body.end(), re); it != std::sregex_iterator();
       ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

/// Replaces ids and timestamps with placeholders so bodies can be compared exactly.
inline std::string normalized(const std::string& body) {
  std::string out =
      std::regex_replace(body, std::regex("\\b(750|751|752|005)[A-Za-z0-9]{15}\\b"), "$1ID");
  out = std::regex_replace(out, std::regex("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}"),
                           "DATE");
  return out;
}

class ServerTest : public ::testing::Test {
 protected:
  explicit ServerTest(EmulatorOptions options = defaultOptions()) : emulator_(options) {}

  static EmulatorOptions defaultOptions() {
    EmulatorOptions o;
    o.workers = 4;
    return o;
  }

  void SetUp() override {
    emulator_.start();
    token_ = emulator_.issueAccessToken();
  }
  void TearDown() override { emulator_.stop(); }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", emulator_.port());
    c.set_read_timeout(10, 0);
    return c;
  }

  httplib::Headers session() const { return {{"X-SFDC-Session", token_}}; }

  static std::string base() { return "/services/async/47.0"; }

  httplib::Result post(const std::string& path, const std::string& body,
                       const std::string& contentType) const {
    auto c = client();
    return c.Post((base() + path).c_str(), session(), body, contentType.c_str());
  }

  httplib::Result get(const std::string& path) const {
    auto c = client();
    return c.Get((base() + path).c_str(), session());
  }

  static std::string jobXml(const std::string& operation, const std::string& object,
                            const std::string& contentType, const std::string& extra = "") {
    return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><jobInfo xmlns=\"") + kXmlNs +
           "\"><operation>" + operation + "</operation><object>" + object + "</object>" + extra +
           "<contentType>" + contentType + "</contentType></jobInfo>";
  }

  /// Creates a job with an XML request and returns its id.
  std::string createJob(const std::string& operation, const std::string& object,
                        const std::string& contentType, const std::string& extra = "",
                        const httplib::Headers& headers = {}) {
    auto c = client();
    httplib::Headers h = session();
    h.insert(headers.begin(), headers.end());
    auto r = c.Post((base() + "/job").c_str(), h, jobXml(operation, object, contentType, extra),
                    "application/xml; charset=UTF-8");
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 201) << r->body;
    return xmlValue(r->body, "id");
  }

  /// Adds a batch and returns its id (reading XML or JSON batchInfo).
  std::string addBatch(const std::string& jobId, const std::string& body,
                       const std::string& contentType) {
    auto r = post("/job/" + jobId + "/batch", body, contentType);
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 201) << r->body;
    if (r->get_header_value("Content-Type") == "application/json") {
      return nlohmann::json::parse(r->body).at("id").get<std::string>();
    }
    return xmlValue(r->body, "id");
  }

  /// Polls batch info until the batch leaves Queued/InProgress; returns the last body.
  std::string waitForBatch(const std::string& jobId, const std::string& batchId) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::string body;
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = get("/job/" + jobId + "/batch/" + batchId);
      if (!r) break;
      body = r->body;
      const bool json = r->get_header_value("Content-Type") == "application/json";
      const std::string state = json ? nlohmann::json::parse(body).at("state").get<std::string>()
                                     : xmlValue(body, "state");
      if (state != "Queued" && state != "InProgress") return body;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ADD_FAILURE() << "batch did not finish: " << body;
    return body;
  }

  Emulator emulator_;
  std::string token_;
};

}  // namespace sfdc::emulator::testing
