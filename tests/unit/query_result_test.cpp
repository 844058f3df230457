#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/query_result.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk {
namespace {

using nlohmann::json;

ByteReader chunked(std::string text, std::size_t step) {
  auto state = std::make_shared<std::pair<std::string, std::size_t>>(std::move(text), 0);
  return [state, step](char* buffer, std::size_t size) -> std::size_t {
    const std::size_t n = std::min({size, step, state->first.size() - state->second});
    std::memcpy(buffer, state->first.data() + state->second, n);
    state->second += n;
    return n;
  };
}

std::vector<json> records(ContentType type, const std::string& body, std::size_t step) {
  QueryResultReader reader(type, chunked(body, step));
  std::vector<json> out;
  json record;
  while (reader.nextRecord(record)) out.push_back(record);
  return out;
}

// Fed whole and one byte per call, the reader must give the same records.
std::vector<json> recordsBothWays(ContentType type, const std::string& body) {
  const auto whole = records(type, body, body.size() + 1);
  EXPECT_EQ(records(type, body, 1), whole);
  EXPECT_EQ(records(type, body, 13), whole);
  return whole;
}

// ---- CSV -----------------------------------------------------------------------------

constexpr const char* kCsvResult =
    "\"Id\",\"Name\",\"Account.Name\",\"Description\"\n"
    "\"001A\",\"Zoë 東京 🚀\",\"\",\"multi\nline, \"\"quoted\"\"\"\n"
    "\"001B\",\" spaced \",\"Parent Co\",\"\"\r\n";

TEST(QueryResultCsv, HeaderRowsAndRecords) {
  QueryResultReader reader(ContentType::CSV, chunked(kCsvResult, 1));
  EXPECT_EQ(reader.contentType(), ContentType::CSV);
  EXPECT_EQ(reader.header(),
            (std::vector<std::string>{"Id", "Name", "Account.Name", "Description"}));
  std::vector<std::string> row;
  ASSERT_TRUE(reader.nextRow(row));
  EXPECT_EQ(row, (std::vector<std::string>{"001A", "Zoë 東京 🚀", "", "multi\nline, \"quoted\""}));
  json record;
  ASSERT_TRUE(reader.nextRecord(record));
  EXPECT_EQ(record, json({{"Id", "001B"},
                          {"Name", " spaced "},
                          {"Account.Name", "Parent Co"},
                          {"Description", ""}}));
  EXPECT_FALSE(reader.nextRow(row));
  EXPECT_FALSE(reader.nextRecord(record));
}

TEST(QueryResultCsv, OneByteAtATimeMatchesWhole) {
  const auto all = recordsBothWays(ContentType::CSV, kCsvResult);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["Description"], "multi\nline, \"quoted\"");
}

TEST(QueryResultCsv, RecordsNotFoundIsZeroRows) {
  for (const std::string body :
       {"Records not found for this query", "Records not found for this query\n",
        "Records not found for this query\r\n", ""}) {
    QueryResultReader reader(ContentType::CSV, chunked(body, 1));
    EXPECT_TRUE(reader.header().empty());
    std::vector<std::string> row;
    EXPECT_FALSE(reader.nextRow(row)) << body;
    json record;
    EXPECT_FALSE(reader.nextRecord(record));
  }
}

TEST(QueryResultCsv, RowWithWrongFieldCountThrows) {
  QueryResultReader reader(ContentType::CSV, chunked("\"A\",\"B\"\n\"1\"\n", 4));
  json record;
  EXPECT_THROW(reader.nextRecord(record), ParseError);
}

// ---- JSON ----------------------------------------------------------------------------

constexpr const char* kJsonResult = R"([
  {"attributes":{"type":"Account","url":"/services/data/v47.0/sobjects/Account/001A"},
   "Id":"001A","Name":"Zoë 東京 🚀 \"q\" ]}[{","Parent":null,"NumberOfEmployees":12,
   "Owner":{"attributes":{"type":"User","url":"/x"},"Name":"O \\ wner"}},
  {"attributes":{"type":"Account","url":"/services/data/v47.0/sobjects/Account/001B"},
   "Id":"001B","Name":"","Parent":{"attributes":{"type":"Account"},"Name":"P"},"Owner":null}
])";

TEST(QueryResultJson, RecordsWithoutAttributes) {
  const auto all = recordsBothWays(ContentType::JSON, kJsonResult);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], json::parse(R"({"Id":"001A","Name":"Zoë 東京 🚀 \"q\" ]}[{","Parent":null,
      "NumberOfEmployees":12,"Owner":{"Name":"O \\ wner"}})"));
  EXPECT_EQ(all[1], json::parse(R"({"Id":"001B","Name":"","Parent":{"Name":"P"},"Owner":null})"));
}

TEST(QueryResultJson, EmptyArrayAndMarker) {
  EXPECT_TRUE(recordsBothWays(ContentType::JSON, "[]").empty());
  EXPECT_TRUE(recordsBothWays(ContentType::JSON, "\xEF\xBB\xBF \n [ \n ] \n").empty());
  EXPECT_TRUE(recordsBothWays(ContentType::JSON, "Records not found for this query\n").empty());
  EXPECT_TRUE(recordsBothWays(ContentType::JSON, "").empty());
}

TEST(QueryResultJson, NonRecordBodiesThrow) {
  QueryResultReader notArray(ContentType::JSON, chunked(R"({"a":1})", 1));
  json record;
  EXPECT_THROW(notArray.nextRecord(record), ParseError);
  QueryResultReader truncated(ContentType::JSON, chunked(R"([{"a":1},{"b":)", 3));
  ASSERT_TRUE(truncated.nextRecord(record));
  EXPECT_EQ(record, json({{"a", 1}}));
  EXPECT_THROW(truncated.nextRecord(record), ParseError);
  QueryResultReader scalar(ContentType::JSON, chunked(R"([1])", 1));
  EXPECT_THROW(scalar.nextRecord(record), ParseError);
  std::vector<std::string> row;
  EXPECT_THROW(scalar.nextRow(row), InvalidArgument);
  EXPECT_TRUE(scalar.header().empty());
}

// ---- XML -----------------------------------------------------------------------------

// §6.3, verbatim, plus a second record exercising nesting, escapes, CDATA and unknowns.
constexpr const char* kXmlResult = R"(<?xml version="1.0" encoding="UTF-8"?>
<queryResult xmlns="http://www.force.com/2009/06/asyncapi/dataload"
             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <records xsi:type="sObject"><type>Account</type><Id>00128000005dMcSAAU</Id><Id>00128000005dMcSAAU</Id>
    <Name>GenePoint</Name><Parent xsi:nil="true"/></records>
  <!-- a comment with <records> inside -->
  <records xsi:type="sObject"><type>Contact</type><Id xsi:nil="true"/><Type>Customer</Type>
    <Name>Zoë &amp; 東京 🚀 &lt;x&gt;</Name><Blank></Blank><Spaces>  </Spaces>
    <Notes><![CDATA[a <b> c]]></Notes>
    <Account xsi:type="sObject"><type>Account</type><Id xsi:nil="true"/><Name attr="a>b">Acme</Name></Account>
    <Owner><sObject><Email>o@x.com</Email></sObject></Owner></records>
</queryResult>
)";

TEST(QueryResultXml, ReferenceExampleAndNesting) {
  const auto all = recordsBothWays(ContentType::XML, kXmlResult);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], json::parse(R"({"Id":"00128000005dMcSAAU","Name":"GenePoint","Parent":null})"));
  EXPECT_EQ(all[1], json::parse(R"({"Id":null,"Type":"Customer","Name":"Zoë & 東京 🚀 <x>",
      "Blank":"","Spaces":"  ","Notes":"a <b> c",
      "Account":{"Id":null,"Name":"Acme"},"Owner":{"Email":"o@x.com"}})"));
}

TEST(QueryResultXml, NamespacePrefixes) {
  const std::string body =
      R"(<?xml version="1.0"?><q:queryResult xmlns:q="http://www.force.com/2009/06/asyncapi/dataload" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">)"
      R"(<q:records i:type="sObject"><q:type>Lead</q:type><q:Id>00Q1</q:Id><q:Id>00Q1</q:Id><q:Email i:nil="true"/></q:records>)"
      R"(<q:records/></q:queryResult>)";
  const auto all = recordsBothWays(ContentType::XML, body);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], json::parse(R"({"Id":"00Q1","Email":null})"));
  EXPECT_EQ(all[1], json::object());
}

TEST(QueryResultXml, EmptyResultsAndMarker) {
  EXPECT_TRUE(
      recordsBothWays(
          ContentType::XML,
          R"(<?xml version="1.0" encoding="UTF-8"?><queryResult xmlns="http://www.force.com/2009/06/asyncapi/dataload"/>)")
          .empty());
  EXPECT_TRUE(recordsBothWays(ContentType::XML, "Records not found for this query").empty());
  EXPECT_TRUE(recordsBothWays(ContentType::XML, "").empty());
}

TEST(QueryResultXml, TruncatedDocumentThrows) {
  const std::string body = std::string(kXmlResult).substr(0, 420);
  QueryResultReader reader(ContentType::XML, chunked(body, 1));
  json record;
  ASSERT_TRUE(reader.nextRecord(record));
  EXPECT_THROW(reader.nextRecord(record), ParseError);
  QueryResultReader notXml(ContentType::XML, chunked("hello", 1));
  EXPECT_THROW(notXml.nextRecord(record), ParseError);
}

// The reader pulls the body as records are asked for instead of reading it up front.
// ---- Field order ---------------------------------------------------------------------

std::vector<std::string> keysOf(const nlohmann::ordered_json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

using Keys = std::vector<std::string>;

TEST(QueryResult, OrderedRecordsKeepTheFilesFieldOrder) {
  nlohmann::ordered_json record;
  QueryResultReader csv(ContentType::CSV, chunked("Name,Id,Account.Name\nA,001A,P\n", 1));
  ASSERT_TRUE(csv.nextRecord(record));
  EXPECT_EQ(keysOf(record), Keys({"Name", "Id", "Account.Name"}));

  QueryResultReader js(ContentType::JSON, chunked(kJsonResult, 7));
  ASSERT_TRUE(js.nextRecord(record));
  EXPECT_EQ(keysOf(record), Keys({"Id", "Name", "Parent", "NumberOfEmployees", "Owner"}));
  // The nlohmann::json overload sorts, and holds the same record.
  EXPECT_EQ(json(record), recordsBothWays(ContentType::JSON, kJsonResult)[0]);

  QueryResultReader xml(ContentType::XML, chunked(kXmlResult, 5));
  ASSERT_TRUE(xml.nextRecord(record));
  ASSERT_TRUE(xml.nextRecord(record));
  EXPECT_EQ(keysOf(record),
            Keys({"Id", "Type", "Name", "Blank", "Spaces", "Notes", "Account", "Owner"}));
  EXPECT_EQ(keysOf(record["Account"]), Keys({"Id", "Name"}));
}

TEST(QueryResult, ReadsIncrementally) {
  const std::string csvRow = "\"001\",\"name\"\n";
  const std::string jsonRow = R"({"attributes":{"type":"A"},"Id":"001"},)";
  const std::string xmlRow = R"(<records xsi:type="sObject"><type>A</type><Id>001</Id></records>)";
  const auto repeat = [](const std::string& row) {
    std::string out;
    while (out.size() < (4u << 20)) out += row;
    return out;
  };
  struct Case {
    ContentType type;
    std::string body;
  };
  const std::vector<Case> cases = {
      {ContentType::CSV, "\"Id\",\"Name\"\n" + repeat(csvRow)},
      {ContentType::JSON, "[" + repeat(jsonRow) + R"({"Id":"last"}])"},
      {ContentType::XML,
       R"(<queryResult xmlns="http://www.force.com/2009/06/asyncapi/dataload" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">)" +
           repeat(xmlRow) + "</queryResult>"}};
  for (const auto& c : cases) {
    auto consumed = std::make_shared<std::size_t>(0);
    ByteReader inner = chunked(c.body, 4096);
    QueryResultReader reader(c.type, [inner, consumed](char* buffer, std::size_t size) {
      const std::size_t n = inner(buffer, size);
      *consumed += n;
      return n;
    });
    json record;
    ASSERT_TRUE(reader.nextRecord(record));
    EXPECT_EQ(record["Id"], "001");
    EXPECT_LT(*consumed, 256u * 1024) << toString(c.type);
    std::size_t count = 1;
    while (reader.nextRecord(record)) ++count;
    EXPECT_EQ(*consumed, c.body.size());
    EXPECT_GT(count, 1000u);
  }
}

TEST(QueryResult, ReaderIsMovable) {
  QueryResultReader first(ContentType::CSV, chunked("\"A\"\n\"1\"\n\"2\"\n", 2));
  std::vector<std::string> row;
  ASSERT_TRUE(first.nextRow(row));
  QueryResultReader second(std::move(first));
  ASSERT_TRUE(second.nextRow(row));
  EXPECT_EQ(row, std::vector<std::string>{"2"});
  EXPECT_FALSE(second.nextRow(row));
}

}  // namespace
}  // namespace sfdc::bulk
