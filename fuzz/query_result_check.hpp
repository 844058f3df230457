#pragma once

// The property the query result targets check: a result file reads as the same records
// (or fails with ParseError after the same records) whether it arrives in one read or in
// many small ones, as a slow download delivers it.

#include <nlohmann/json.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/query_result.hpp>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"

namespace sfdc::bulk::fuzz {

struct QueryReading {
  std::vector<nlohmann::json> records;
  bool failed = false;
};

inline QueryReading readQueryResult(ContentType type, ByteReader source) {
  QueryReading reading;
  QueryResultReader reader(type, std::move(source));
  nlohmann::json record;
  try {
    while (reader.nextRecord(record)) reading.records.push_back(std::move(record));
  } catch (const ParseError&) {
    reading.failed = true;
  }
  return reading;
}

inline void checkQueryResult(ContentType type, std::string_view body) {
  const QueryReading whole = readQueryResult(type, chunkedReader(body, body.size() + 1));
  const QueryReading pieces = readQueryResult(type, chunkedReader(body, smallChunk(body)));
  if (whole.failed != pieces.failed || whole.records != pieces.records) {
    fail("QueryResultReader returns different records when the file arrives in small reads");
  }
}

}  // namespace sfdc::bulk::fuzz
