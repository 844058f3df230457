#pragma once

// Binary attachment batches (ZIP_CSV, ZIP_XML, ZIP_JSON jobs): a zip whose root holds
// request.txt (the records, in the job's inner format) and the files the records' binary
// fields name as `#path`. Jobs of the other content types cannot set binary fields.

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "org.hpp"

namespace sfdc::emulator::server {

/// "CSV" for ZIP_CSV, "XML" for ZIP_XML, "JSON" for ZIP_JSON; empty for the others.
std::string zipInnerContentType(const std::string& contentType);

struct AttachmentBatch {
  std::string request;                                 ///< request.txt
  std::unordered_map<std::string, std::string> files;  ///< path in the zip -> bytes
  std::unordered_set<std::string> directories;         ///< without the trailing '/'
};

/// Opens a zip batch body. Throws BatchFailure ("InvalidBatch : …") when the zip is
/// malformed or over a limit, or request.txt is missing or a directory.
AttachmentBatch openAttachmentBatch(const std::string& body);

/// The binary (base64) fields of `object` in `records`. With `zip`, each value `#path`
/// becomes that file's bytes, and a value without '#' or naming a file the zip lacks (or a
/// directory) rejects its record with INVALID_FIELD. Without `zip` (a CSV, XML or JSON
/// job), a binary field in any record fails the batch.
void resolveBinaryFields(const ObjectDef& object, std::vector<InputRecord>& records,
                         const AttachmentBatch* zip);

}  // namespace sfdc::emulator::server
