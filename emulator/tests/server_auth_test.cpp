// OAuth token endpoint and the X-SFDC-Session check.

#include "server_test_support.hpp"

namespace sfdc::emulator::testing {
namespace {

class ServerAuthTest : public ServerTest {
 protected:
  httplib::Result token(const std::string& form) {
    auto c = client();
    return c.Post("/services/oauth2/token", form, "application/x-www-form-urlencoded");
  }
};

TEST_F(ServerAuthTest, RefreshTokenGrantIssuesAWorkingToken) {
  auto r = token(
      "grant_type=refresh_token&client_id=emulator-client-id&client_secret=emulator-client-secret"
      "&refresh_token=emulator-refresh-token");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  const auto j = nlohmann::json::parse(r->body);
  for (const char* key :
       {"access_token", "instance_url", "id", "issued_at", "signature", "token_type", "scope"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["instance_url"], emulator_.url());
  EXPECT_EQ(j["token_type"], "Bearer");
  EXPECT_TRUE(std::regex_match(j["issued_at"].get<std::string>(), std::regex("\\d{13}")));
  token_ = j["access_token"];
  auto c = client();
  auto job = c.Post((base() + "/job").c_str(), session(), jobXml("insert", "Account", "CSV"),
                    "application/xml");
  ASSERT_TRUE(job);
  EXPECT_EQ(job->status, 201);
}

TEST_F(ServerAuthTest, PasswordGrantNeedsPasswordPlusSecurityToken) {
  const std::string form =
      "grant_type=password&client_id=emulator-client-id&client_secret=emulator-client-secret"
      "&username=user%40example.com&password=";
  auto ok = token(form + "passwordTOKEN");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  auto bad = token(form + "password");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(bad->body, R"({"error":"invalid_grant","error_description":"authentication failure"})");
}

TEST_F(ServerAuthTest, BadRefreshTokenAndUnsupportedGrant) {
  auto bad = token(
      "grant_type=refresh_token&client_id=emulator-client-id&client_secret=emulator-client-secret"
      "&refresh_token=nope");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(nlohmann::json::parse(bad->body)["error"], "invalid_grant");
  auto unsupported = token("grant_type=authorization_code&client_id=emulator-client-id");
  ASSERT_TRUE(unsupported);
  EXPECT_EQ(unsupported->status, 400);
  EXPECT_EQ(nlohmann::json::parse(unsupported->body)["error"], "unsupported_grant_type");
}

TEST_F(ServerAuthTest, MissingOrUnknownSessionIsInvalidSessionIdInXml) {
  auto c = client();
  auto none = c.Get((base() + "/job/750x0000000000AAAA").c_str());
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 400);
  EXPECT_EQ(none->get_header_value("Content-Type"), "application/xml");
  EXPECT_EQ(none->body,
            std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><error\n   xmlns=\"") + kXmlNs +
                "\">\n <exceptionCode>InvalidSessionId</exceptionCode>\n"
                " <exceptionMessage>Invalid session id</exceptionMessage>\n</error>");
  // Header names are case-insensitive (jsforce sends X-SFDC-SESSION).
  auto upper = c.Post((base() + "/job").c_str(), {{"X-SFDC-SESSION", token_}},
                      jobXml("insert", "Account", "CSV"), "application/xml");
  ASSERT_TRUE(upper);
  EXPECT_EQ(upper->status, 201);
}

TEST_F(ServerAuthTest, ExpiredSessionsGetInvalidSessionIdInTheJobsFormat) {
  auto created = post("/job", R"({"operation":"insert","object":"Account","contentType":"JSON"})",
                      "application/json");
  ASSERT_TRUE(created);
  const std::string jobId = nlohmann::json::parse(created->body)["id"];
  emulator_.expireSessions();
  auto r = get("/job/" + jobId);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(r->body,
            R"({"exceptionCode":"InvalidSessionId","exceptionMessage":"Invalid session id"})");
  token_ = emulator_.issueAccessToken();
  auto again = get("/job/" + jobId);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

class ServerShortTokenTest : public ServerTest {
 protected:
  ServerShortTokenTest() : ServerTest(options()) {}
  static EmulatorOptions options() {
    EmulatorOptions o = defaultOptions();
    o.tokenLifetime = std::chrono::seconds(0);
    return o;
  }
};

TEST_F(ServerShortTokenTest, TokensExpireAfterTheirLifetime) {
  auto r = get("/job/750x0000000000AAAA");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(xmlValue(r->body, "exceptionCode"), "InvalidSessionId");
}

}  // namespace
}  // namespace sfdc::emulator::testing
