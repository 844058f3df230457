// Backoff arithmetic and Retry-After parsing, with fixed random draws and clock.

#include "retry.hpp"

#include <gtest/gtest.h>

namespace sfdc::bulk::detail {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, GrowsExponentiallyWithEqualJitterAndCaps) {
  RetryPolicy policy;
  policy.initialBackoff = milliseconds(100);
  policy.maxBackoff = milliseconds(1000);
  policy.multiplier = 2.0;
  // Lowest draw: half the step; highest: the whole step.
  EXPECT_EQ(backoffDelay(policy, 1, 0.0), milliseconds(50));
  EXPECT_EQ(backoffDelay(policy, 1, 1.0), milliseconds(100));
  EXPECT_EQ(backoffDelay(policy, 2, 0.0), milliseconds(100));
  EXPECT_EQ(backoffDelay(policy, 3, 1.0), milliseconds(400));
  EXPECT_EQ(backoffDelay(policy, 4, 0.5), milliseconds(600));
  EXPECT_EQ(backoffDelay(policy, 5, 1.0), milliseconds(1000));
  EXPECT_EQ(backoffDelay(policy, 30, 1.0), milliseconds(1000));
}

TEST(RetryAfterTest, ParsesSecondsAndHttpDates) {
  auto now = std::chrono::system_clock::time_point(
      std::chrono::seconds(784111777));  // 1994-11-06 08:49:37 UTC
  EXPECT_EQ(parseRetryAfter("120", now), milliseconds(120000));
  EXPECT_EQ(parseRetryAfter(" 0 ", now), milliseconds(0));
  EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:49:47 GMT", now), milliseconds(10000));
  EXPECT_EQ(parseRetryAfter("Sunday, 06-Nov-94 08:50:37 GMT", now), milliseconds(60000));
  EXPECT_EQ(parseRetryAfter("Sun Nov  6 08:49:38 1994", now), milliseconds(1000));
  EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:49:00 GMT", now), milliseconds(0));
  EXPECT_FALSE(parseRetryAfter("soon", now).has_value());
  EXPECT_FALSE(parseRetryAfter("", now).has_value());
}

}  // namespace
}  // namespace sfdc::bulk::detail
