// A XML batch body as the emulator receives it (see emulator_batch_check.hpp).

#include "emulator_batch_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  sfdc::bulk::fuzz::checkEmulatorBatch("XML", sfdc::bulk::fuzz::asText(data, size));
  return 0;
}
