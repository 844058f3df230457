#include <array>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <utility>

namespace sfdc::bulk {
namespace {

// One table per enum keeps names and parsing in a single place.
template <class E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<Operation, 7> kOperations{{{Operation::Insert, "insert"},
                                               {Operation::Update, "update"},
                                               {Operation::Upsert, "upsert"},
                                               {Operation::Delete, "delete"},
                                               {Operation::HardDelete, "hardDelete"},
                                               {Operation::Query, "query"},
                                               {Operation::QueryAll, "queryAll"}}};
constexpr NameTable<ContentType, 6> kContentTypes{{{ContentType::CSV, "CSV"},
                                                   {ContentType::JSON, "JSON"},
                                                   {ContentType::XML, "XML"},
                                                   {ContentType::ZIP_CSV, "ZIP_CSV"},
                                                   {ContentType::ZIP_JSON, "ZIP_JSON"},
                                                   {ContentType::ZIP_XML, "ZIP_XML"}}};
constexpr NameTable<ConcurrencyMode, 2> kModes{
    {{ConcurrencyMode::Parallel, "Parallel"}, {ConcurrencyMode::Serial, "Serial"}}};
constexpr NameTable<JobState, 4> kJobStates{{{JobState::Open, "Open"},
                                             {JobState::Closed, "Closed"},
                                             {JobState::Aborted, "Aborted"},
                                             {JobState::Failed, "Failed"}}};
constexpr NameTable<BatchState, 5> kBatchStates{{{BatchState::Queued, "Queued"},
                                                 {BatchState::InProgress, "InProgress"},
                                                 {BatchState::Completed, "Completed"},
                                                 {BatchState::Failed, "Failed"},
                                                 {BatchState::NotProcessed, "NotProcessed"}}};

template <class E, std::size_t N>
std::string_view nameOf(const NameTable<E, N>& table, E value) noexcept {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "?";
}

template <class E, std::size_t N>
E parseName(const NameTable<E, N>& table, std::string_view text, const char* what) {
  for (const auto& [e, name] : table) {
    if (name == text) return e;
  }
  throw ParseError(std::string("unknown ") + what + " '" + std::string(text.substr(0, 64)) + "'");
}

}  // namespace

std::string_view toString(Operation op) noexcept { return nameOf(kOperations, op); }
std::string_view toString(ContentType type) noexcept { return nameOf(kContentTypes, type); }
std::string_view toString(ConcurrencyMode mode) noexcept { return nameOf(kModes, mode); }
std::string_view toString(JobState state) noexcept { return nameOf(kJobStates, state); }
std::string_view toString(BatchState state) noexcept { return nameOf(kBatchStates, state); }

Operation parseOperation(std::string_view text) {
  return parseName(kOperations, text, "operation");
}
ContentType parseContentType(std::string_view text) {
  return parseName(kContentTypes, text, "content type");
}
ConcurrencyMode parseConcurrencyMode(std::string_view text) {
  // simple-salesforce sends the enum ordinal (wire reference §3.3); accept it back too.
  if (text == "0") return ConcurrencyMode::Parallel;
  if (text == "1") return ConcurrencyMode::Serial;
  return parseName(kModes, text, "concurrency mode");
}
JobState parseJobState(std::string_view text) { return parseName(kJobStates, text, "job state"); }
BatchState parseBatchState(std::string_view text) {
  // Old documentation prints "Not Processed"; tolerate it on input.
  if (text == "Not Processed") return BatchState::NotProcessed;
  return parseName(kBatchStates, text, "batch state");
}

bool isQuery(Operation op) noexcept { return op == Operation::Query || op == Operation::QueryAll; }

bool isZip(ContentType type) noexcept {
  return type == ContentType::ZIP_CSV || type == ContentType::ZIP_JSON ||
         type == ContentType::ZIP_XML;
}

std::string_view mimeType(ContentType type) noexcept {
  switch (type) {
    case ContentType::CSV:
      return "text/csv";
    case ContentType::JSON:
      return "application/json";
    case ContentType::XML:
      return "application/xml";
    case ContentType::ZIP_CSV:
      return "zip/csv";
    case ContentType::ZIP_JSON:
      return "zip/json";
    case ContentType::ZIP_XML:
      return "zip/xml";
  }
  return "application/octet-stream";
}

}  // namespace sfdc::bulk
