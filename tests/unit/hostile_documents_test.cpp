// Server documents a hostile or broken server could send: nested far deeper than any
// record, or numbers outside the range of the field they fill. Each must end in a
// ParseError naming the limit or the field, never a crash or undefined behaviour.

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/query_result.hpp>
#include <string>

#include "codec/wire_codec.hpp"

namespace sfdc::bulk::detail {
namespace {

constexpr int kHostileDepth = 100000;
constexpr const char* kDepthMessage = "nested deeper than 100 levels";

std::string repeat(const std::string& text, int times) {
  std::string out;
  out.reserve(text.size() * static_cast<std::size_t>(times));
  for (int i = 0; i < times; ++i) out.append(text);
  return out;
}

std::string deepJsonArray() { return repeat("[", kHostileDepth) + repeat("]", kHostileDepth); }

std::string deepXml(const std::string& name) {
  return repeat("<" + name + ">", kHostileDepth) + repeat("</" + name + ">", kHostileDepth);
}

// The ParseError's message, or a note that none came.
std::string parseErrorOf(const std::function<void()>& run) {
  try {
    run();
  } catch (const ParseError& e) {
    return e.what();
  }
  return "<no ParseError>";
}

#define EXPECT_PARSE_ERROR_WITH(run, text)                                        \
  do {                                                                            \
    const std::string message_ = parseErrorOf([&] { run; });                      \
    EXPECT_NE(message_.find(text), std::string::npos) << message_.substr(0, 300); \
  } while (false)

// ---- depth: status documents --------------------------------------------------------

TEST(HostileDepth, JobInfoJson) {
  const std::string body = "{\"id\":\"750x\",\"extra\":" + deepJsonArray() + "}";
  EXPECT_PARSE_ERROR_WITH(parseJobInfo(body), kDepthMessage);
}

TEST(HostileDepth, JobInfoXml) {
  const std::string body = "<jobInfo><id>750x</id><extra>" + deepXml("a") + "</extra></jobInfo>";
  EXPECT_PARSE_ERROR_WITH(parseJobInfo(body), kDepthMessage);
}

TEST(HostileDepth, BatchInfoJsonAndXml) {
  EXPECT_PARSE_ERROR_WITH(parseBatchInfo("{\"extra\":" + deepJsonArray() + "}"), kDepthMessage);
  EXPECT_PARSE_ERROR_WITH(parseBatchInfo("<batchInfo>" + deepXml("a") + "</batchInfo>"),
                          kDepthMessage);
}

TEST(HostileDepth, BatchInfoListJsonAndXml) {
  EXPECT_PARSE_ERROR_WITH(parseBatchInfoList("{\"batchInfo\":[" + deepJsonArray() + "]}"),
                          kDepthMessage);
  EXPECT_PARSE_ERROR_WITH(parseBatchInfoList("<batchInfoList><batchInfo>" + deepXml("a") +
                                             "</batchInfo></batchInfoList>"),
                          kDepthMessage);
}

TEST(HostileDepth, DmlResultsJsonAndXml) {
  // A deep value where a field name is expected is printed into the result: that print
  // recurses once per level.
  EXPECT_PARSE_ERROR_WITH(
      parseDmlResults("[{\"success\":false,\"errors\":[{\"fields\":[" + deepJsonArray() + "]}]}]"),
      kDepthMessage);
  EXPECT_PARSE_ERROR_WITH(
      parseDmlResults("<results><result>" + deepXml("errors") + "</result></results>"),
      kDepthMessage);
}

TEST(HostileDepth, ResultListJsonAndXml) {
  EXPECT_PARSE_ERROR_WITH(parseResultList(deepJsonArray()), kDepthMessage);
  EXPECT_PARSE_ERROR_WITH(parseResultList("<result-list>" + deepXml("result") + "</result-list>"),
                          kDepthMessage);
}

TEST(HostileDepth, ErrorBodyTooDeepIsNoErrorDocument) {
  // The caller then reports the HTTP status instead of the server's words.
  EXPECT_FALSE(parseErrorBody("{\"exceptionCode\":" + deepJsonArray() + "}").has_value());
  EXPECT_FALSE(parseErrorBody("[{\"errorCode\":" + deepJsonArray() + "}]").has_value());
  EXPECT_FALSE(parseErrorBody("<error><exceptionCode>" + deepXml("a") + "</exceptionCode></error>")
                   .has_value());
}

TEST(HostileDepth, BracketsInsideStringsDoNotCount) {
  const std::string text = repeat("[{", kHostileDepth) + "\\\"" + repeat("]", 10);
  const JobInfo job = parseJobInfo("{\"id\":\"750x\",\"object\":\"" + text + "\"}");
  EXPECT_EQ(job.object, repeat("[{", kHostileDepth) + "\"" + repeat("]", 10));
}

TEST(HostileDepth, RealisticNestingStillParses) {
  const std::string nested = repeat("{\"a\":", 50) + "1" + repeat("}", 50);
  EXPECT_EQ(parseJobInfo("{\"id\":\"750x\",\"extra\":" + nested + "}").id, "750x");
  EXPECT_EQ(
      parseJobInfo("<jobInfo><id>750x</id>" + repeat("<a>", 50) + repeat("</a>", 50) + "</jobInfo>")
          .id,
      "750x");
}

// ---- depth: query result readers ----------------------------------------------------

ByteReader fromString(std::string text) {
  auto state = std::make_shared<std::pair<std::string, std::size_t>>(std::move(text), 0);
  return [state](char* buffer, std::size_t size) -> std::size_t {
    const std::size_t n = std::min(size, state->first.size() - state->second);
    std::memcpy(buffer, state->first.data() + state->second, n);
    state->second += n;
    return n;
  };
}

void readAll(ContentType type, std::string body) {
  QueryResultReader reader(type, fromString(std::move(body)));
  nlohmann::json record;
  while (reader.nextRecord(record)) {
  }
}

TEST(HostileDepth, JsonQueryResult) {
  // 200 KB of brackets: the size of the document that overflowed the stack.
  const std::string body = "[{\"Id\":\"001x\"},{\"Deep\":" + deepJsonArray() + "}]";
  EXPECT_PARSE_ERROR_WITH(readAll(ContentType::JSON, body), "nests deeper than 100 levels");
}

TEST(HostileDepth, JsonQueryResultDeepObjects) {
  const std::string body = "[{\"Id\":\"001x\"," + repeat("\"a\":{", kHostileDepth) + "\"b\":1" +
                           repeat("}", kHostileDepth) + "}]";
  EXPECT_PARSE_ERROR_WITH(readAll(ContentType::JSON, body), "nests deeper than 100 levels");
}

TEST(HostileDepth, XmlQueryResult) {
  const std::string body =
      "<?xml version=\"1.0\"?><queryResult xmlns=\"http://www.force.com/2009/06/asyncapi/"
      "dataload\"><records><Id>001x</Id></records><records>" +
      deepXml("Rel") + "</records></queryResult>";
  EXPECT_PARSE_ERROR_WITH(readAll(ContentType::XML, body), "nest deeper than 100 levels");
}

TEST(HostileDepth, QueryRecordsWithRelationshipsStillRead) {
  QueryResultReader json(ContentType::JSON,
                         fromString("[{\"attributes\":{\"type\":\"Contact\"},\"Account\":{"
                                    "\"attributes\":{\"type\":\"Account\"},\"Owner\":{\"Name\":"
                                    "\"Ann\"}}}]"));
  nlohmann::json record;
  ASSERT_TRUE(json.nextRecord(record));
  EXPECT_EQ(record, nlohmann::json::parse(R"({"Account":{"Owner":{"Name":"Ann"}}})"));

  QueryResultReader xml(ContentType::XML,
                        fromString("<queryResult><records><Account><sObject><Owner><sObject>"
                                   "<Name>Ann</Name></sObject></Owner></sObject></Account>"
                                   "</records></queryResult>"));
  ASSERT_TRUE(xml.nextRecord(record));
  EXPECT_EQ(record, nlohmann::json::parse(R"({"Account":{"Owner":{"Name":"Ann"}}})"));
}

// ---- numbers out of range -----------------------------------------------------------

TEST(HostileNumbers, ApiVersionBeyondAnyIntegerType) {
  EXPECT_PARSE_ERROR_WITH(parseJobInfo(R"({"id":"750x","apiVersion":18446744073709551615})"),
                          "apiVersion is out of range");
  EXPECT_PARSE_ERROR_WITH(parseJobInfo(R"({"id":"750x","apiVersion":1e300})"),
                          "apiVersion is out of range");
  EXPECT_PARSE_ERROR_WITH(parseJobInfo(R"({"id":"750x","apiVersion":-36})"),
                          "apiVersion is out of range");
}

TEST(HostileNumbers, ApiVersionInRangeKeepsItsSpelling) {
  EXPECT_EQ(parseJobInfo(R"({"apiVersion":58})").apiVersion, "58.0");
  EXPECT_EQ(parseJobInfo(R"({"apiVersion":36.0})").apiVersion, "36.0");
}

TEST(HostileNumbers, CountersOutOfRangeNameTheField) {
  EXPECT_PARSE_ERROR_WITH(parseJobInfo(R"({"numberRecordsProcessed":1e300})"),
                          "numberRecordsProcessed");
  EXPECT_PARSE_ERROR_WITH(parseJobInfo(R"({"numberRecordsProcessed":18446744073709551615})"),
                          "numberRecordsProcessed");
  EXPECT_PARSE_ERROR_WITH(parseBatchInfo(R"({"numberRecordsFailed":-1e300})"),
                          "numberRecordsFailed");
  // Fits the 64-bit parse but not the int member.
  EXPECT_PARSE_ERROR_WITH(parseJobInfo(R"({"numberBatchesTotal":5000000000})"),
                          "numberBatchesTotal is out of range");
  EXPECT_PARSE_ERROR_WITH(
      parseJobInfo("<jobInfo><numberBatchesQueued>99999999999</numberBatchesQueued></jobInfo>"),
      "numberBatchesQueued is out of range");
  EXPECT_PARSE_ERROR_WITH(
      parseBatchInfo("<batchInfo><numberRecordsProcessed>-5</numberRecordsProcessed></batchInfo>"),
      "numberRecordsProcessed is out of range");
}

TEST(HostileNumbers, LargestValuesStillParse) {
  const JobInfo job =
      parseJobInfo(R"({"numberBatchesTotal":2147483647,"numberRecordsProcessed":1e14})");
  EXPECT_EQ(job.numberBatchesTotal, 2147483647);
  EXPECT_EQ(job.numberRecordsProcessed, 100000000000000);
  EXPECT_EQ(parseBatchInfo("<batchInfo><numberRecordsProcessed>9223372036854775807"
                           "</numberRecordsProcessed></batchInfo>")
                .numberRecordsProcessed,
            9223372036854775807);
}

}  // namespace
}  // namespace sfdc::bulk::detail
