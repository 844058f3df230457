// A Bulk API 2.0 upload as the emulator reads it: the records found outside quotes, each
// split into cells on every delimiter the service knows. Every span must lie inside the
// data and the records must come in order.

#include <cstdlib>

#include "bulk2_csv.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = sfdc::bulk::fuzz::asText(data, size);
  using namespace sfdc::emulator::server;
  const CsvRecords records = splitRecords(body);
  std::size_t previous = 0;
  for (const auto& [begin, end] : records.spans) {
    if (begin < previous || end < begin || end > body.size()) std::abort();
    previous = end;
    for (const char* name : {"COMMA", "TAB", "SEMICOLON", "PIPE", "CARET", "BACKQUOTE"}) {
      (void)splitCells(body.substr(begin, end - begin), delimiterOf(name));
    }
  }
  return 0;
}
