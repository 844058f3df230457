// A Bulk API 2.0 answer: a jobInfo, a job list page or a resultPages document, each
// parsed from the same bytes, or rejected with ParseError.

#include <sfdc/bulk/error.hpp>

#include "bulk2/bulk2_codec.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = sfdc::bulk::fuzz::asText(data, size);
  try {
    (void)sfdc::bulk::detail::parseBulk2JobInfo(body);
  } catch (const sfdc::bulk::ParseError&) {
  }
  try {
    (void)sfdc::bulk::detail::parseBulk2JobPage(body);
  } catch (const sfdc::bulk::ParseError&) {
  }
  try {
    (void)sfdc::bulk::detail::parseQueryResultPageLinks(body);
  } catch (const sfdc::bulk::ParseError&) {
  }
  return 0;
}
