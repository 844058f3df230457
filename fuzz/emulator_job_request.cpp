// The jobInfo a client sends to create a job, as the emulator reads it: the body (XML in
// either element order, or JSON) and the create-job headers, validated against an org.
// Bad requests end in ApiException (the error document the client gets); nothing else may
// escape. The input's first byte picks the format and the header the rest is tried in.

#include <string>

#include "fuzz_support.hpp"
#include "http_reply.hpp"
#include "job_request.hpp"
#include "org.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sfdc::emulator;
  if (size == 0) return 0;
  static const Org org;
  const std::string body(sfdc::bulk::fuzz::asText(data + 1, size - 1));
  const unsigned choice = data[0];
  const server::Format format = (choice & 1) ? server::Format::Json : server::Format::Xml;
  try {
    const server::JobInfoRequest request =
        server::parseJobInfoRequest(body, format, (choice & 2) != 0);
    server::CreateJobHeaders headers;
    (void)server::buildJob(request, org, "59.0", headers);
  } catch (const server::ApiException&) {
  }
  // The same bytes as a Sforce-Enable-PKChunking header value.
  try {
    (void)server::parsePkChunking(body);
  } catch (const server::ApiException&) {
  }
  return 0;
}
