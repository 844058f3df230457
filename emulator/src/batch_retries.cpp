#include "batch_retries.hpp"

namespace sfdc::emulator::server {

std::string retriedMoreThan(int retries) {
  // The service's text once its retries are used up [OBS simple-salesforce #646
  // "InternalServerError : Retried more than X times"; DOC 198.0 query processing page
  // "Retried more than fifteen times"]. The number is a word there; "ten" for uploads is
  // [INF].
  const char* word = retries == kQueryRetries ? "fifteen" : "ten";
  return std::string("InternalServerError : Retried more than ") + word + " times";
}

std::string failedWithoutRetry(const std::string& why) {
  // The service fails the batch instead of retrying it; its text for that is not
  // documented [INF].
  return "InternalServerError : " + why + " (Sforce-Disable-Batch-Retry: not retried)";
}

}  // namespace sfdc::emulator::server
