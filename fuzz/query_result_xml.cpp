// A XML query result file read with QueryResultReader (see query_result_check.hpp).

#include "query_result_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  sfdc::bulk::fuzz::checkQueryResult(sfdc::bulk::ContentType::XML,
                                     sfdc::bulk::fuzz::asText(data, size));
  return 0;
}
