#pragma once

// The JSON documents of Bulk API 2.0: the create and state-change bodies the client
// sends, and the jobInfo (ingest and query, full and abbreviated forms), job list pages
// and resultPages links the server answers. Unknown keys are ignored; absent ones keep
// their defaults, because create, PATCH and GET answers carry different subsets.

#include <sfdc/bulk/bulk2_types.hpp>
#include <string>
#include <string_view>

namespace sfdc::bulk::detail {

/// `{"object":…,"operation":…,"contentType":"CSV","columnDelimiter":…,"lineEnding":…}`
/// plus externalIdFieldName and assignmentRuleId when set.
std::string encodeIngestJobCreate(Operation operation, std::string_view object,
                                  const IngestJobOptions& options);
/// `{"operation":"query"|"queryAll","query":…,"contentType":"CSV",…}`.
std::string encodeQueryJobCreate(std::string_view soql, const QueryJobOptions& options);
/// `{"state":"UploadComplete"}` or `{"state":"Aborted"}`.
std::string encodeBulk2StateChange(Bulk2JobState state);

/// Parsers throw ParseError naming what was expected and the start of the body.
Bulk2JobInfo parseBulk2JobInfo(std::string_view body);
Bulk2JobPage parseBulk2JobPage(std::string_view body);
/// Reads `resultUrl` (or `resultLink`) per page and `nextRecordsUrl` (or the
/// documentation table's `nextRecordUrl`).
QueryResultPageLinks parseQueryResultPageLinks(std::string_view body);

}  // namespace sfdc::bulk::detail
