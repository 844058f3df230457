// gzip response bodies, as the SDK decodes them: decoded, or rejected with ParseError; and
// whatever gzipCompress produces decodes back to the same bytes.

#include <sfdc/bulk/error.hpp>
#include <string>

#include "fuzz_support.hpp"
#include "transport/gzip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fuzz = sfdc::bulk::fuzz;
  const std::string_view bytes = fuzz::asText(data, size);
  try {
    (void)sfdc::bulk::detail::gunzip(bytes);
  } catch (const sfdc::bulk::ParseError&) {
  }
  const std::string packed =
      sfdc::bulk::detail::gzipCompress(bytes, 1 + static_cast<int>(size % 9));
  if (sfdc::bulk::detail::gunzip(packed) != bytes) fuzz::fail("gunzip(gzipCompress(x)) != x");
  return 0;
}
