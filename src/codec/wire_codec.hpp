#pragma once

// Encoders and parsers for the Bulk API's own documents (jobInfo, batchInfo,
// batchInfoList, DML results, query result lists, error bodies) in XML and JSON.
// Parsers sniff the body (`<` XML, `{`/`[` JSON, otherwise CSV) rather than trusting
// Content-Type, because servers and proxies disagree on it (wire reference §1.4).

#include <optional>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::bulk::detail {

enum class WireFormat { Xml, Json };

/// The format the API uses for a job's status documents: JSON for JSON/ZIP_JSON jobs,
/// XML otherwise.
WireFormat statusFormat(ContentType type) noexcept;

/// What createJob sends. XML elements are written in XSD order (wire reference §3.2).
struct JobCreateRequest {
  Operation operation = Operation::Insert;
  std::string object;
  ContentType contentType = ContentType::CSV;
  std::string externalIdFieldName;
  std::optional<ConcurrencyMode> concurrencyMode;
  std::string assignmentRuleId;
};

std::string encodeJobCreate(const JobCreateRequest& request, WireFormat format);
/// `<jobInfo><state>Closed</state></jobInfo>` / `{"state":"Closed"}`.
std::string encodeJobState(JobState state, WireFormat format);

/// Parsers throw ParseError with a short description and the start of the body.
/// Unknown elements/keys are ignored; XML is parsed namespace-aware (any prefix).
JobInfo parseJobInfo(std::string_view body);
BatchInfo parseBatchInfo(std::string_view body);
/// Handles zero, one or many `<batchInfo>` children and `{"batchInfo":[…]}` or a single
/// object in place of the array.
std::vector<BatchInfo> parseBatchInfoList(std::string_view body);
/// DML results from CSV (`"Id","Success","Created","Error"`), XML `<results>` or JSON.
std::vector<RecordResult> parseDmlResults(std::string_view body);
/// Query result ids from XML `<result-list>` or a JSON array of strings.
std::vector<std::string> parseResultList(std::string_view body);

/// exceptionCode/exceptionMessage of an `<error>` or JSON error body; nullopt when the
/// body is not one (malformed, or nested deeper than kMaxNestingDepth), so that the
/// caller reports the HTTP status instead.
struct ErrorBody {
  std::string exceptionCode;
  std::string exceptionMessage;
};
std::optional<ErrorBody> parseErrorBody(std::string_view body);

}  // namespace sfdc::bulk::detail
