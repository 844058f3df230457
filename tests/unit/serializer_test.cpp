#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk {
namespace {

using nlohmann::json;

// Records with every awkward value the SDK promises to carry.
json nastyRecords() {
  return json::parse(R"([
    {"Name":"Zoë 東京 🚀","Description":"line1\r\nline2\nline3","Notes":"a,b \"quoted\"",
     "Padded":"  spaced  ","Empty":"","Nothing":null,"Count":42,"Ratio":1.5,"Active":true},
    {"Name":"#N/A literal","Description":"<tag> & 'apos'","Notes":"comma,","Padded":" ",
     "Empty":"","Nothing":"not null","Count":-7,"Ratio":1e-7,"Active":false}
  ])");
}

std::vector<std::vector<std::string>> parseCsv(const std::string& body) {
  CsvReader reader = CsvReader::fromString(body);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> fields;
  while (reader.next(fields)) rows.push_back(fields);
  return rows;
}

template <typename F>
void expectInvalidArgument(F&& call, const std::string& mustContain1,
                           const std::string& mustContain2 = "") {
  try {
    call();
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(mustContain1), std::string::npos) << message;
    EXPECT_NE(message.find(mustContain2), std::string::npos) << message;
  }
}

TEST(SerializerCsv, RoundTripsNastyData) {
  const std::string body = serializeRecords(nastyRecords(), ContentType::CSV);
  const auto rows = parseCsv(body);
  ASSERT_EQ(rows.size(), 3u);
  // Columns come from the first record (nlohmann orders object keys by name).
  EXPECT_EQ(rows[0], (std::vector<std::string>{"Active", "Count", "Description", "Empty", "Name",
                                               "Notes", "Nothing", "Padded", "Ratio"}));
  EXPECT_EQ(rows[1],
            (std::vector<std::string>{"true", "42", "line1\r\nline2\nline3", "", "Zoë 東京 🚀",
                                      "a,b \"quoted\"", "#N/A", "  spaced  ", "1.5"}));
  EXPECT_EQ(rows[2][0], "false");
  EXPECT_EQ(rows[2][1], "-7");
  EXPECT_EQ(rows[2][2], "<tag> & 'apos'");
  EXPECT_EQ(rows[2][4], "#N/A literal");
  EXPECT_EQ(rows[2][6], "not null");
  EXPECT_EQ(rows[2][7], " ");
  EXPECT_EQ(json::parse(rows[2][8]).get<double>(), 1e-7);
}

TEST(SerializerCsv, ExactBytesForNullEmptyAndMissing) {
  CsvSerializer serializer({"Id", "Name", "Phone"});
  std::string out;
  serializer.beginBatch(out);
  serializer.appendRecord(json{{"Id", "001"}, {"Name", nullptr}, {"Phone", ""}}, 0, out);
  serializer.appendRecord(json{{"Id", "002"}}, 1, out);
  serializer.endBatch(out);
  EXPECT_EQ(out, "Id,Name,Phone\n001,#N/A,\n002,,\n");
}

TEST(SerializerCsv, HeaderRepeatedInEveryBatch) {
  CsvSerializer serializer;
  std::string first;
  serializer.beginBatch(first);
  serializer.appendRecord(json{{"A", 1}, {"B", "x"}}, 0, first);
  serializer.endBatch(first);
  std::string second;
  serializer.beginBatch(second);
  serializer.appendRecord(json{{"B", "y"}}, 0, second);
  serializer.endBatch(second);
  EXPECT_EQ(first, "A,B\n1,x\n");
  EXPECT_EQ(second, "A,B\n,y\n");
  EXPECT_EQ(serializer.columns(), (std::vector<std::string>{"A", "B"}));
}

TEST(SerializerCsv, RelationshipsFlatten) {
  const json records = json::parse(R"([
    {"LastName":"Riordan","ReportsTo":{"Email":"r@example.com"},"Account.External_Id__c":"A1",
     "Who":{"attributes":{"type":"Lead"},"Email":"lead@example.com"}}
  ])");
  EXPECT_EQ(serializeRecords(records, ContentType::CSV),
            "Account.External_Id__c,LastName,ReportsTo.Email,Lead:Who.Email\n"
            "A1,Riordan,r@example.com,lead@example.com\n");
}

TEST(SerializerCsv, SingleEmptyColumnStaysARow) {
  const std::string body =
      serializeRecords(json::parse(R"([{"Id":""},{"Id":"1"}])"), ContentType::CSV);
  EXPECT_EQ(body, "Id\n\"\"\n1\n");
  EXPECT_EQ(parseCsv(body).size(), 3u);
}

TEST(SerializerCsv, ErrorsNameRecordAndField) {
  CsvSerializer serializer({"Id", "Name"});
  std::string out;
  serializer.beginBatch(out);
  const std::string before = out;
  expectInvalidArgument(
      [&] {
        serializer.appendRecord(json{{"Id", "1"}, {"Other", 2}}, 3, out);
      },
      "record 3", "'Other'");
  EXPECT_EQ(out, before);  // nothing half-written
  expectInvalidArgument(
      [&] {
        serializer.appendRecord(json::array({1, 2}), 4, out);
      },
      "record 4", "object");
  expectInvalidArgument(
      [&] {
        serializer.appendRecord(json{{"Id", json::array({"a"})}}, 5, out);
      },
      "record 5", "'Id'");
  expectInvalidArgument([] { CsvSerializer({"A", "A"}); }, "'A'");
}

TEST(SerializerJson, RoundTripsNastyData) {
  const json records = nastyRecords();
  const std::string body = serializeRecords(records, ContentType::JSON);
  EXPECT_EQ(body.front(), '[');
  EXPECT_EQ(json::parse(body), records);
  EXPECT_EQ(serializeRecords(json::array(), ContentType::JSON), "[]");
}

TEST(SerializerJson, DottedKeysBecomeNestedObjects) {
  const json records = json::parse(R"([
    {"LastName":"X","Account.External_Id__c":"A1","Lead:Who.Email":"l@x.com",
     "ReportsTo":{"Email":"r@x.com"},"ReportsTo.Name":"R"}
  ])");
  EXPECT_EQ(json::parse(serializeRecords(records, ContentType::JSON)), json::parse(R"([
    {"LastName":"X","Account":{"External_Id__c":"A1"},
     "Who":{"attributes":{"type":"Lead"},"Email":"l@x.com"},
     "ReportsTo":{"Email":"r@x.com","Name":"R"}}
  ])"));
}

TEST(SerializerJson, ErrorsNameRecordAndField) {
  expectInvalidArgument(
      [] { serializeRecords(json::parse(R"([{"A":1},"text"])"), ContentType::JSON); }, "record 1",
      "string");
  expectInvalidArgument(
      [] { serializeRecords(json::parse(R"([{"A":1},{"Tags":[1,2]}])"), ContentType::JSON); },
      "record 1", "'Tags'");
  expectInvalidArgument(
      [] { serializeRecords(json::parse(R"([{"A":1,"A.B":2}])"), ContentType::JSON); }, "record 0",
      "'A.B'");
  expectInvalidArgument([] { serializeRecords(json::object(), ContentType::JSON); }, "array");
}

// Collects an XML sObject into field -> text, with nested sObjects as "Rel.Field".
void collect(pugi::xml_node sobject, const std::string& prefix,
             std::map<std::string, std::string>& out) {
  for (pugi::xml_node field = sobject.first_child(); field; field = field.next_sibling()) {
    const std::string name = prefix + field.name();
    if (pugi::xml_node nested = field.child("sObject")) {
      collect(nested, name + ".", out);
    } else if (field.attribute("xsi:nil").as_bool()) {
      out[name] = "<nil>";
    } else {
      out[name] = field.child_value();
    }
  }
}

TEST(SerializerXml, RoundTripsNastyDataThroughPugixml) {
  const std::string body = serializeRecords(nastyRecords(), ContentType::XML);
  EXPECT_EQ(body.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sObjects "
                       "xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\" "
                       "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
                       0),
            0u);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(body.c_str(), pugi::parse_default | pugi::parse_ws_pcdata));
  const pugi::xml_node root = doc.child("sObjects");
  std::vector<std::map<std::string, std::string>> records;
  for (pugi::xml_node s = root.child("sObject"); s; s = s.next_sibling("sObject")) {
    records.emplace_back();
    collect(s, "", records.back());
  }
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["Name"], "Zoë 東京 🚀");
  EXPECT_EQ(records[0]["Description"], "line1\r\nline2\nline3");
  EXPECT_EQ(records[0]["Notes"], "a,b \"quoted\"");
  EXPECT_EQ(records[0]["Padded"], "  spaced  ");
  EXPECT_EQ(records[0]["Empty"], "");
  EXPECT_EQ(records[0]["Nothing"], "<nil>");
  EXPECT_EQ(records[0]["Count"], "42");
  EXPECT_EQ(records[0]["Ratio"], "1.5");
  EXPECT_EQ(records[0]["Active"], "true");
  EXPECT_EQ(records[1]["Description"], "<tag> & 'apos'");
  EXPECT_EQ(records[1]["Active"], "false");
}

TEST(SerializerXml, ExactRelationshipAndNilLayout) {
  XmlSerializer serializer;
  std::string out;
  serializer.beginBatch(out);
  serializer.appendRecord(json::parse(R"({"FirstName":"Ray","Description":null,
      "ReportsTo":{"Email":"rwilliams@salesforcesample.com"},
      "Who":{"attributes":{"type":"Lead"},"Email":"l@x.com"},"Account.Ext__c":"A1"})"),
                          0, out);
  serializer.endBatch(out);
  EXPECT_EQ(
      out,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<sObjects xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
      "  <sObject><Account><sObject><Ext__c>A1</Ext__c></sObject></Account>"
      "<Description xsi:nil=\"true\"/><FirstName>Ray</FirstName>"
      "<ReportsTo><sObject><Email>rwilliams@salesforcesample.com</Email></sObject></ReportsTo>"
      "<Who><sObject><type>Lead</type><Email>l@x.com</Email></sObject></Who></sObject>\n"
      "</sObjects>\n");
}

TEST(SerializerXml, ErrorsNameRecordAndField) {
  expectInvalidArgument(
      [] { serializeRecords(json::parse(R"([{"bad name":1}])"), ContentType::XML); }, "record 0",
      "'bad name'");
  expectInvalidArgument(
      [] { serializeRecords(json::parse(R"([{"A":"x"},{"A":"\u0001"}])"), ContentType::XML); },
      "record 1", "'A'");
  expectInvalidArgument(
      [] { serializeRecords(json::parse(R"([{"A":"x"},{"A":[]}])"), ContentType::XML); },
      "record 1", "'A'");
}

TEST(SerializerFactory, MakesKnownTypesAndRefusesZip) {
  EXPECT_EQ(makeSerializer(ContentType::CSV)->contentType(), ContentType::CSV);
  EXPECT_EQ(makeSerializer(ContentType::JSON)->contentType(), ContentType::JSON);
  EXPECT_EQ(makeSerializer(ContentType::XML)->contentType(), ContentType::XML);
  EXPECT_THROW(makeSerializer(ContentType::ZIP_CSV), InvalidArgument);
  EXPECT_THROW(serializeRecords(json::array(), ContentType::ZIP_JSON), InvalidArgument);
}

}  // namespace
}  // namespace sfdc::bulk

namespace sfdc::bulk {
namespace {

TEST(SerializeRecordsTest, CsvColumnsAreTheUnionOfAllRecordsInFirstSeenOrder) {
  nlohmann::json records =
      nlohmann::json::array({{{"LastName", "A"}},
                             {{"LastName", "B"}, {"Email", "b@example.com"}},
                             {{"Account", {{"External_Id__c", "X1"}}}, {"LastName", "C"}}});
  EXPECT_EQ(serializeRecords(records, ContentType::CSV),
            "LastName,Email,Account.External_Id__c\nA,,\nB,b@example.com,\nC,,X1\n");
}

}  // namespace
}  // namespace sfdc::bulk
