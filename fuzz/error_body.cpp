// Any error response body: recognised as an <error> document or not, never an exception.

#include "codec/wire_codec.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)sfdc::bulk::detail::parseErrorBody(sfdc::bulk::fuzz::asText(data, size));
  return 0;
}
