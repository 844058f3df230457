#pragma once

// What the emulator batch targets do with a batch body a client sent: decode it as the
// job's content type and apply the records to an org, as a batch worker would. Bad
// batches end in BatchFailure (the batch's stateMessage); nothing else may escape.

#include <string>

#include "batch_decode.hpp"
#include "fuzz_support.hpp"
#include "org.hpp"

namespace sfdc::bulk::fuzz {

inline void checkEmulatorBatch(const std::string& contentType, std::string_view body) {
  // One org for the whole run; emptied after each input so it does not grow.
  static emulator::Org org;
  try {
    const auto records = emulator::server::decodeBatch(std::string(body), contentType);
    (void)org.applyDml("insert", "Contact", records, "");
  } catch (const emulator::BatchFailure&) {
  }
  org.clear();
}

}  // namespace sfdc::bulk::fuzz
