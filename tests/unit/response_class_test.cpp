// The one place that says what an HTTP answer means: success, worth a retry (and for
// which requests), an expired session, or an error to throw.

#include "response_class.hpp"

#include <gtest/gtest.h>

#include "support/responses.hpp"

namespace sfdc::bulk::detail {
namespace {

TEST(ClassifyStatus, SortsEveryStatusIntoOneMeaning) {
  for (int status : {200, 201, 204, 299}) {
    EXPECT_EQ(classifyStatus(status), StatusClass::Success) << status;
  }
  for (int status : {429, 503})
    EXPECT_EQ(classifyStatus(status), StatusClass::NotActedOn) << status;
  for (int status : {408, 500, 502, 504}) {
    EXPECT_EQ(classifyStatus(status), StatusClass::Transient) << status;
  }
  for (int status : {501, 505, 507, 599}) {
    EXPECT_EQ(classifyStatus(status), StatusClass::ServerError) << status;
  }
  for (int status : {0, 100, 301, 400, 401, 403, 404, 405, 409, 415, 600}) {
    EXPECT_EQ(classifyStatus(status), StatusClass::Refused) << status;
  }
}

TEST(ClassifyResponse, IdempotentRequestsRetryEveryTransientStatus) {
  for (int status : {408, 429, 500, 502, 503, 504}) {
    EXPECT_EQ(classifyResponse(status, "", Idempotency::Idempotent), Verdict::Retry) << status;
  }
  for (int status : {400, 401, 404, 501}) {
    EXPECT_EQ(classifyResponse(status, "", Idempotency::Idempotent), Verdict::Fail) << status;
  }
  EXPECT_EQ(classifyResponse(201, "", Idempotency::Idempotent), Verdict::Success);
}

TEST(ClassifyResponse, NonIdempotentRequestsRetryOnlyWhatTheServerDidNotAct) {
  for (int status : {429, 503}) {
    EXPECT_EQ(classifyResponse(status, "", Idempotency::NonIdempotent), Verdict::Retry) << status;
  }
  for (int status : {408, 500, 502, 504, 501}) {
    EXPECT_EQ(classifyResponse(status, "", Idempotency::NonIdempotent), Verdict::Fail) << status;
  }
  EXPECT_EQ(classifyResponse(201, "", Idempotency::NonIdempotent), Verdict::Success);
}

TEST(ClassifyResponse, InvalidSessionIdIsAnExpiredSessionIn400And401Only) {
  const std::string xml = testing::errorXml("InvalidSessionId", "Invalid session id");
  const std::string json = testing::errorJson("InvalidSessionId", "Invalid session id");
  for (auto idempotency : {Idempotency::Idempotent, Idempotency::NonIdempotent}) {
    EXPECT_EQ(classifyResponse(400, xml, idempotency), Verdict::SessionExpired);
    EXPECT_EQ(classifyResponse(401, json, idempotency), Verdict::SessionExpired);
    EXPECT_EQ(classifyResponse(403, xml, idempotency), Verdict::Fail);
  }
  // A 5xx that happens to carry the code still means the server is in trouble.
  EXPECT_EQ(classifyResponse(503, xml, Idempotency::Idempotent), Verdict::Retry);
  EXPECT_EQ(classifyResponse(500, xml, Idempotency::NonIdempotent), Verdict::Fail);
  EXPECT_EQ(classifyResponse(400, testing::errorXml("InvalidJob", "no such job"),
                             Idempotency::Idempotent),
            Verdict::Fail);
  EXPECT_EQ(classifyResponse(400, "not a document", Idempotency::Idempotent), Verdict::Fail);
}

}  // namespace
}  // namespace sfdc::bulk::detail
