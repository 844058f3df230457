#pragma once

// Decoding DML batch bodies into the org's InputRecords (§5.1–§5.3). Problems with the
// whole body throw BatchFailure with the stateMessage the batch fails with.

#include <string>
#include <vector>

#include "org.hpp"

namespace sfdc::emulator::server {

/// CSV: header row of field names (`Rel.Field` and `Type:Rel.Field` passed through),
/// empty cell = field absent, `#N/A` = null. RFC 4180 quoting, LF or CRLF.
std::vector<InputRecord> decodeCsvBatch(const std::string& body);
/// XML `<sObjects><sObject>…`: `xsi:nil="true"` = null, `<Rel><sObject><F>v</F>` =
/// "Rel.F" (with `<type>T</type>` inside: "T:Rel.F").
std::vector<InputRecord> decodeXmlBatch(const std::string& body);
/// JSON array of objects: null = null, nested object = relationship (its
/// `attributes.type` makes the key "T:Rel.F").
std::vector<InputRecord> decodeJsonBatch(const std::string& body);

/// Dispatch on the job's contentType (CSV, XML, JSON).
std::vector<InputRecord> decodeBatch(const std::string& body, const std::string& contentType);

/// Parses RFC 4180 CSV into rows of cells; exposed for tests.
std::vector<std::vector<std::string>> parseCsv(const std::string& text);

}  // namespace sfdc::emulator::server
