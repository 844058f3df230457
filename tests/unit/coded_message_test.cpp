// The one rule that splits the service's "<ExceptionCode> : <message>" texts, used for
// load batches, 2.0 jobs and query batches alike.

#include "coded_message.hpp"

#include <gtest/gtest.h>

#include "load/batch_outcome.hpp"

namespace sfdc::bulk::detail {
namespace {

TEST(CodedMessage, SplitsTheCodeFromTheText) {
  const CodedMessage split = splitCodedMessage("InvalidBatch : Field name not found : Foo__c");
  EXPECT_EQ(split.code, "InvalidBatch");
  EXPECT_EQ(split.message, "Field name not found : Foo__c");
  EXPECT_EQ(splitCodedMessage("INVALID_FIELD_2 : x").code, "INVALID_FIELD_2");
}

TEST(CodedMessage, ATextWithoutACodeIsAllMessage) {
  for (const std::string text :
       {"", "no separator here", " : leading separator", "Two words : text", "a.b : text",
        "ClientInputError: no space before the colon"}) {
    const CodedMessage split = splitCodedMessage(text);
    EXPECT_EQ(split.code, "") << text;
    EXPECT_EQ(split.message, text);
  }
}

TEST(CodedMessage, BatchErrorsUseTheSameRule) {
  BatchInfo info;
  info.state = BatchState::Failed;
  info.stateMessage = "InvalidBatch : Field name not found : Foo";
  EXPECT_EQ(load::batchError(info).statusCode, "InvalidBatch");
  EXPECT_EQ(load::batchError(info).message, "Field name not found : Foo");
  info.stateMessage = "Two words : text";
  EXPECT_EQ(load::batchError(info).statusCode, "Failed");
  EXPECT_EQ(load::batchError(info).message, "Two words : text");
}

}  // namespace
}  // namespace sfdc::bulk::detail
