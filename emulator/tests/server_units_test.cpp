// Unit tests of the server's helpers: CSV parsing, PK-chunk SOQL rewriting, header
// parsing, ids and gzip.

#include <gtest/gtest.h>

#include "batch_decode.hpp"
#include "batch_processor.hpp"
#include "bulk2_csv.hpp"
#include "gzip.hpp"
#include "http_reply.hpp"
#include "job_request.hpp"
#include "job_store.hpp"

namespace sfdc::emulator::server {
namespace {

TEST(ServerCsv, QuotesEmbeddedNewlinesAndBlankLines) {
  const auto rows = parseCsv("a,b\r\n\"x,1\",\"line\nbreak\"\n\n\"q\"\"\",\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][0], "x,1");
  EXPECT_EQ(rows[1][1], "line\nbreak");
  EXPECT_EQ(rows[2][0], "q\"");
  EXPECT_EQ(rows[2][1], "");
}

TEST(ServerCsv, EmptyIsAbsentAndNaIsNull) {
  const auto records = decodeCsvBatch("Name,Phone,Fax\nA,,#N/A\n");
  ASSERT_EQ(records.size(), 1u);
  ASSERT_EQ(records[0].fields.size(), 2u);
  EXPECT_EQ(records[0].fields[0].first, "Name");
  EXPECT_EQ(records[0].fields[1].first, "Fax");
  EXPECT_FALSE(records[0].fields[1].second.has_value());
}

// 2.0 query results are written once; every cell quoted, inner quotes doubled, absent
// values empty, and a page is the slice of rows between two offsets.
TEST(ServerCsv, QueryResultsAreWrittenOnceAndSlicedIntoPages) {
  const std::vector<std::vector<std::optional<std::string>>> rows = {
      {std::string("a\"b\"\""), std::nullopt},
      {std::string("line\nbreak"), std::string("x;y")},
      {std::string(), std::string("\"")},
  };
  const CsvResults results = writeCsvResults({"Name", "Phone"}, rows, ';', "\r\n");
  EXPECT_EQ(results.header, "\"Name\";\"Phone\"\r\n");
  ASSERT_EQ(results.rowCount(), 3u);
  EXPECT_EQ(results.slice(0, 1), "\"a\"\"b\"\"\"\"\";\"\"\r\n");
  EXPECT_EQ(results.slice(1, 3), "\"line\nbreak\";\"x;y\"\r\n\"\";\"\"\"\"\r\n");
  EXPECT_EQ(results.slice(2, 10), "\"\";\"\"\"\"\r\n") << "past the end stops at the end";
  EXPECT_EQ(results.slice(3, 4), "");
  EXPECT_EQ(writeCsvResults({"Id"}, {}, ',', "\n").rowCount(), 0u);
}

TEST(ServerDecode, RelationshipsInXmlAndJson) {
  const auto xml = decodeXmlBatch(
      "<sObjects xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><sObject><LastName>L</LastName>"
      "<Account><sObject><External_Id__c>E1</External_Id__c></sObject></Account>"
      "<Email xsi:nil=\"true\"/></sObject></sObjects>");
  ASSERT_EQ(xml.size(), 1u);
  ASSERT_EQ(xml[0].fields.size(), 3u);
  EXPECT_EQ(xml[0].fields[1].first, "Account.External_Id__c");
  EXPECT_FALSE(xml[0].fields[2].second.has_value());
  const auto json = decodeJsonBatch(
      R"([{"Who":{"attributes":{"type":"Lead"},"Email":"a@b.c"},"N":1.5,"B":true}])");
  ASSERT_EQ(json.size(), 1u);
  bool sawWho = false;
  for (const auto& [name, value] : json[0].fields) {
    if (name == "Lead:Who.Email") sawWho = value == std::optional<std::string>("a@b.c");
  }
  EXPECT_TRUE(sawWho);
}

TEST(ServerPkChunking, HeaderVariants) {
  EXPECT_TRUE(parsePkChunking("TRUE").enabled);
  EXPECT_TRUE(parsePkChunking("true").enabled);
  EXPECT_FALSE(parsePkChunking("FALSE").enabled);
  const auto pk = parsePkChunking(" chunkSize=50000; parent=Account ;startRow=001000000000001;");
  EXPECT_TRUE(pk.enabled);
  EXPECT_EQ(pk.chunkSize, 50000);
  EXPECT_EQ(pk.parent, "Account");
  EXPECT_EQ(pk.startRow, "001000000000001");
  EXPECT_THROW(parsePkChunking("chunkSize=300000"), ApiException);
  EXPECT_THROW(parsePkChunking("bogus=1"), ApiException);
}

TEST(ServerPkChunking, RewritesWhereClauses) {
  EXPECT_EQ(addIdRange("SELECT Id FROM Account", "Id", "a", "b"),
            "SELECT Id FROM Account WHERE Id >= 'a' AND Id < 'b'");
  EXPECT_EQ(addIdRange("SELECT Id FROM Account WHERE Name = 'x where' ORDER BY Name LIMIT 5", "Id",
                       "a", ""),
            "SELECT Id FROM Account WHERE Name = 'x where' AND Id >= 'a' ORDER BY Name LIMIT 5");
  EXPECT_EQ(addIdRange("select Id from Account where A = 1 or B = 2", "Id", "a", "b"),
            "select Id from Account WHERE (A = 1 or B = 2) AND Id >= 'a' AND Id < 'b'");
  EXPECT_EQ(soqlFromObject("SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE X = 1"),
            "Account");
}

// Gaps row 84: sharing and history objects are chunked by their parent only.
TEST(ServerPkChunking, SharingAndHistoryObjectsNeedTheParentOption) {
  EXPECT_NO_THROW(checkChunkable("Account"));
  EXPECT_NO_THROW(checkChunkable("Invoice__c"));
  EXPECT_NO_THROW(checkChunkable("LoginHistory"));
  EXPECT_THROW(checkChunkable("AccountHistory"), BatchFailure);
  EXPECT_THROW(checkChunkable("accountshare"), BatchFailure);
  EXPECT_THROW(checkChunkable("Invoice__Share"), BatchFailure);
  EXPECT_THROW(checkChunkable("Invoice__History"), BatchFailure);
}

TEST(ServerIds, EighteenCharacterSuffix) {
  // Known pair: 001D000000IqhSL -> 001D000000IqhSLIAZ.
  EXPECT_EQ(toId18("001D000000IqhSL"), "001D000000IqhSLIAZ");
  JobStore store;
  const std::string id = store.newId("750");
  EXPECT_EQ(id.size(), 18u);
  EXPECT_EQ(id.rfind("750", 0), 0u);
}

TEST(ServerGzip, RoundTripAndAcceptEncoding) {
  const std::string text(10000, 'x');
  EXPECT_EQ(gzipDecompress(gzipCompress(text)), text);
  EXPECT_TRUE(acceptsGzip("gzip"));
  EXPECT_TRUE(acceptsGzip("deflate, GZIP;q=0.5"));
  EXPECT_FALSE(acceptsGzip("gzip;q=0"));
  EXPECT_FALSE(acceptsGzip("br"));
}

}  // namespace
}  // namespace sfdc::emulator::server
