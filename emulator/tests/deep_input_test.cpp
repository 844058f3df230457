// Batch bodies and queries nested far deeper than any real record or WHERE clause: the
// emulator must refuse them with an error instead of exhausting its stack.

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "batch_decode.hpp"
#include "org.hpp"

namespace sfdc::emulator {
namespace {

constexpr int kHostileDepth = 100000;

std::string repeat(const std::string& text, int times) {
  std::string out;
  out.reserve(text.size() * static_cast<std::size_t>(times));
  for (int i = 0; i < times; ++i) out.append(text);
  return out;
}

std::string failureOf(const std::function<void()>& run) {
  try {
    run();
  } catch (const BatchFailure& e) {
    return e.what();
  }
  return "<no failure>";
}

TEST(DeepInput, JsonBatchNestedTooDeepIsRefused) {
  const std::string body =
      "[{\"Name\":" + repeat("[", kHostileDepth) + repeat("]", kHostileDepth) + "}]";
  const std::string message = failureOf([&] { server::decodeJsonBatch(body); });
  EXPECT_EQ(message.rfind("InvalidBatch : Failed to parse JSON: nested deeper than 100", 0), 0u)
      << message;
}

TEST(DeepInput, JsonBatchWithBracketsInStringsIsNotDeep) {
  const std::string body = "[{\"Name\":\"" + repeat("[{", kHostileDepth) + "\"}]";
  const auto records = server::decodeJsonBatch(body);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields.at(0).second, repeat("[{", kHostileDepth));
}

TEST(DeepInput, XmlBatchNestedTooDeepIsRefused) {
  const std::string body = "<sObjects><sObject><Name>" + repeat("<x>", kHostileDepth) +
                           repeat("</x>", kHostileDepth) + "</Name></sObject></sObjects>";
  const std::string message = failureOf([&] { server::decodeXmlBatch(body); });
  EXPECT_EQ(message.rfind("InvalidBatch : Failed to parse XML: nested deeper than 100", 0), 0u)
      << message;
}

TEST(DeepInput, RelationshipBatchesStillDecode) {
  const auto xml = server::decodeXmlBatch(
      "<sObjects><sObject><Account><sObject><Ext__c>A1</Ext__c></sObject></Account>"
      "</sObject></sObjects>");
  ASSERT_EQ(xml.size(), 1u);
  EXPECT_EQ(xml[0].fields.at(0).first, "Account.Ext__c");
  const auto json = server::decodeJsonBatch("[{\"Account\":{\"Ext__c\":\"A1\"}}]");
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0].fields.at(0).first, "Account.Ext__c");
}

std::string queryFailure(const std::string& where) {
  Org org;
  return failureOf([&] { org.query("SELECT Id FROM Contact WHERE " + where, false); });
}

TEST(DeepInput, SoqlParenthesesNestedTooDeepAreMalformed) {
  const std::string message =
      queryFailure(repeat("(", kHostileDepth) + "LastName = 'x'" + repeat(")", kHostileDepth));
  EXPECT_EQ(message.rfind("MALFORMED_QUERY : conditions nested deeper than 100", 0), 0u) << message;
}

TEST(DeepInput, SoqlNotChainTooLongIsMalformed) {
  const std::string message = queryFailure(repeat("NOT ", kHostileDepth) + "LastName = 'x'");
  EXPECT_EQ(message.rfind("MALFORMED_QUERY : conditions nested deeper than 100", 0), 0u) << message;
}

TEST(DeepInput, SoqlModerateNestingStillRuns) {
  Org org;
  org.applyDml("insert", "Contact", {InputRecord{{{"LastName", std::string("x")}}}}, "");
  const auto result = org.query("SELECT LastName FROM Contact WHERE " + repeat("(", 40) +
                                    "NOT NOT LastName = 'x'" + repeat(")", 40),
                                false);
  EXPECT_EQ(result.rows.size(), 1u);
}

}  // namespace
}  // namespace sfdc::emulator
