#pragma once

// Query result files in the job's format (§6.3): CSV with a header per file, a JSON
// array of records with `attributes`, or an XML queryResult. Output larger than
// `maxBytes` is split into several complete files.

#include <cstddef>
#include <string>
#include <vector>

#include "org.hpp"

namespace sfdc::emulator::server {

/// The CSV body of a query that matched nothing (§6.3); clients test for this literal.
inline constexpr const char* kNoRecordsCsv = "Records not found for this query";

std::vector<std::string> formatQueryResults(const QueryOutput& output, const Org& org,
                                            const std::string& contentType,
                                            const std::string& apiVersion, std::size_t maxBytes);

}  // namespace sfdc::emulator::server
