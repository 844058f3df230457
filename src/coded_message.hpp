#pragma once

// The service's messages that carry an exception code read `<ExceptionCode> : <message>`:
// a batch's stateMessage, a 2.0 job's errorMessage ("InvalidBatch : Field name not found :
// Foo"). One rule splits them everywhere, so that callers branch on the code as they do
// for synchronous errors and no message shows its code twice.

#include <string>

namespace sfdc::bulk::detail {

struct CodedMessage {
  std::string code;  ///< empty when the text carries no code
  std::string message;
};

/// The code (letters, digits and `_` before the first " : ") and the text after it; a
/// text without such a code is all message.
CodedMessage splitCodedMessage(const std::string& text);

}  // namespace sfdc::bulk::detail
