// A batch result body (CSV, XML or JSON): parsed, or rejected with ParseError.

#include <sfdc/bulk/error.hpp>

#include "codec/wire_codec.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = sfdc::bulk::fuzz::asText(data, size);
  try {
    (void)sfdc::bulk::detail::parseDmlResults(body);
  } catch (const sfdc::bulk::ParseError&) {
  }
  return 0;
}
