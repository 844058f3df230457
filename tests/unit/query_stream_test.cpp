// Client::query joining result files: one header across files and PK-chunk batches,
// empty files, JSON and XML records across files, and the requests a query sends.

#include <gtest/gtest.h>

#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "support/query_test_support.hpp"

namespace sfdc::bulk::testing {
namespace {

const std::string kNoRecords = "Records not found for this query";

TEST_F(QueryTest, CreatesQueryJobSendsSoqlClosesAndPollsTheBatchList) {
  singleBatch({"752x01000000000AAA"});
  server->files["752x01000000000AAA"] = "\"Id\",\"Name\"\n\"001A\",\"Acme\"\n";
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fast());
  EXPECT_EQ(stream.jobId(), server->jobId);
  EXPECT_EQ(readAll(stream), (Rows{{"001A", "Acme"}}));

  const auto requests = server->requests();
  ASSERT_GE(requests.size(), 5u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_NE(requests[0].body.find("<operation>query</operation>"), std::string::npos);
  EXPECT_NE(requests[0].body.find("<object>Account</object>"), std::string::npos);
  EXPECT_NE(requests[0].body.find("<contentType>CSV</contentType>"), std::string::npos);
  EXPECT_EQ(requests[0].header("Sforce-Enable-PKChunking"), "");
  EXPECT_EQ(requests[1].body, "SELECT Id, Name FROM Account");
  EXPECT_EQ(requests[1].header("Content-Type"), "text/csv; charset=UTF-8");
  EXPECT_NE(requests[2].body.find("Closed"), std::string::npos);
  // Polling is by batch list only; never one GET per batch.
  EXPECT_EQ(server->count("/batch/" + server->rootBatchId), 0u);
  EXPECT_EQ(server->pollCount(), 2u);
  EXPECT_FALSE(server->aborted());
}

TEST_F(QueryTest, QueryAllAndPkChunkingOptionsReachTheJob) {
  singleBatch({"752x01000000000AAA"});
  server->files["752x01000000000AAA"] = kNoRecords;
  QueryOptions options = fast();
  options.all = true;
  options.pkChunking = PkChunking{50000, "", ""};
  QueryStream stream = client.query("select Id from account", options);
  EXPECT_TRUE(readAll(stream).empty());
  const auto create = server->requests().front();
  EXPECT_NE(create.body.find("<operation>queryAll</operation>"), std::string::npos);
  EXPECT_NE(create.body.find("<object>account</object>"), std::string::npos);
  EXPECT_EQ(create.header("Sforce-Enable-PKChunking"), "chunkSize=50000");
}

TEST_F(QueryTest, InvalidQueriesFailBeforeAnyRequest) {
  EXPECT_THROW(client.query("SELECT Id", fast()), InvalidArgument);
  EXPECT_THROW(client.query("   ", fast()), InvalidArgument);
  QueryOptions zip = fast();
  zip.contentType = ContentType::ZIP_CSV;
  EXPECT_THROW(client.query("SELECT Id FROM Account", zip), InvalidArgument);
  QueryOptions chunks = fast();
  chunks.pkChunking = PkChunking{0, "", ""};
  EXPECT_THROW(client.query("SELECT Id FROM Account", chunks), InvalidArgument);
  EXPECT_TRUE(server->requests().empty());
}

TEST_F(QueryTest, MultipleFilesJoinWithExactlyOneHeader) {
  singleBatch({"752x01000000000AAA", "752x02000000000AAA", "752x03000000000AAA"});
  server->files["752x01000000000AAA"] =
      "\"Id\",\"Name\"\n\"001A\",\"Acme\"\n\"001B\",\"Beta, Inc.\"\n";
  server->files["752x02000000000AAA"] = "\"Id\",\"Name\"\n\"001C\",\"line\nbreak\"\n";
  server->files["752x03000000000AAA"] = "\xEF\xBB\xBF\"Id\",\"Name\"\r\n\"001D\",\"\"\r\n";
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fast());
  EXPECT_EQ(stream.header(), (std::vector<std::string>{"Id", "Name"}));
  EXPECT_EQ(
      readAll(stream),
      (Rows{{"001A", "Acme"}, {"001B", "Beta, Inc."}, {"001C", "line\nbreak"}, {"001D", ""}}));
  EXPECT_EQ(stream.rowCount(), 4u);
  EXPECT_EQ(stream.header(), (std::vector<std::string>{"Id", "Name"}));
}

TEST_F(QueryTest, LaterFirstRowThatIsNotTheHeaderIsData) {
  singleBatch({"752x01000000000AAA", "752x02000000000AAA"});
  server->files["752x01000000000AAA"] = "\"Id\",\"Name\"\n\"001A\",\"Acme\"\n";
  // A file that continues without repeating the header: its first row is a record.
  server->files["752x02000000000AAA"] = "\"001B\",\"Beta\"\n\"001C\",\"Gamma\"\n";
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fast());
  EXPECT_EQ(readAll(stream), (Rows{{"001A", "Acme"}, {"001B", "Beta"}, {"001C", "Gamma"}}));
}

TEST_F(QueryTest, RecordsNotFoundFilesContributeNoRows) {
  singleBatch({"752x01000000000AAA", "752x02000000000AAA", "752x03000000000AAA"});
  server->files["752x01000000000AAA"] = kNoRecords;
  server->files["752x02000000000AAA"] = "\"Id\"\n\"001A\"\n";
  server->files["752x03000000000AAA"] = kNoRecords + "\n";
  QueryStream stream = client.query("SELECT Id FROM Account", fast());
  EXPECT_EQ(stream.header(), (std::vector<std::string>{"Id"}));
  EXPECT_EQ(readAll(stream), (Rows{{"001A"}}));
}

TEST_F(QueryTest, NoRowsAtAllGivesAnEmptyHeaderAndNoRows) {
  singleBatch({"752x01000000000AAA"});
  server->files["752x01000000000AAA"] = kNoRecords;
  QueryStream stream = client.query("SELECT Id FROM Account", fast());
  EXPECT_TRUE(stream.header().empty());
  nlohmann::json record;
  EXPECT_FALSE(stream.nextRecord(record));
  EXPECT_EQ(stream.rowCount(), 0u);
}

TEST_F(QueryTest, PkChunkingSkipsTheParentAndJoinsChunksInCreationOrder) {
  const std::string parent = server->rootBatchId;
  server->polls = {
      {{parent, "InProgress"}},
      {{parent, "NotProcessed"},
       {"751c10000000000AAA", "Queued"},
       {"751c20000000000AAA", "Queued"},
       {"751c30000000000AAA", "Queued"}},
      {{parent, "NotProcessed"},
       {"751c10000000000AAA", "Completed"},
       {"751c20000000000AAA", "InProgress"},
       {"751c30000000000AAA", "Completed"}},
      {{parent, "NotProcessed"},
       {"751c10000000000AAA", "Completed"},
       {"751c20000000000AAA", "Completed"},
       {"751c30000000000AAA", "Completed"}},
  };
  server->resultIds = {{"751c10000000000AAA", {"752a00000000000AAA"}},
                       {"751c20000000000AAA", {"752b00000000000AAA", "752c00000000000AAA"}},
                       {"751c30000000000AAA", {"752d00000000000AAA"}}};
  server->files = {{"752a00000000000AAA", "\"Id\"\n\"001A\"\n\"001B\"\n"},
                   {"752b00000000000AAA", "\"Id\"\n\"001C\"\n"},
                   {"752c00000000000AAA", kNoRecords},
                   {"752d00000000000AAA", "\"Id\"\n\"001D\"\n"}};
  QueryOptions options = fast();
  options.pkChunking = PkChunking{};
  QueryStream stream = client.query("SELECT Id FROM Account", options);
  EXPECT_EQ(readAll(stream), (Rows{{"001A"}, {"001B"}, {"001C"}, {"001D"}}));
  EXPECT_EQ(server->count("/batch/" + parent + "/result"), 0u);
  EXPECT_FALSE(server->aborted());
}

TEST_F(QueryTest, CompletedChunksAreReadWhileOthersStillRun) {
  const std::string parent = server->rootBatchId;
  // The chunk list grows while the parent is still being split.
  server->polls = {
      {{parent, "InProgress"}, {"751c10000000000AAA", "Completed"}},
      {{parent, "InProgress"},
       {"751c10000000000AAA", "Completed"},
       {"751c20000000000AAA", "InProgress"}},
      {{parent, "NotProcessed"},
       {"751c10000000000AAA", "Completed"},
       {"751c20000000000AAA", "Completed"}},
  };
  server->resultIds = {{"751c10000000000AAA", {"752a00000000000AAA"}},
                       {"751c20000000000AAA", {"752b00000000000AAA"}}};
  server->files = {{"752a00000000000AAA", "\"Id\"\n\"001A\"\n"},
                   {"752b00000000000AAA", "\"Id\"\n\"001B\"\n"}};
  QueryOptions options = fast();
  options.pkChunking = PkChunking{};
  QueryStream stream = client.query("SELECT Id FROM Account", options);
  // Client::query returned after one poll: the first chunk was already Completed.
  EXPECT_EQ(server->pollCount(), 1u);
  std::vector<std::string> row;
  ASSERT_TRUE(stream.nextRow(row));
  EXPECT_EQ(row, (std::vector<std::string>{"001A"}));
  EXPECT_EQ(server->pollCount(), 1u);
  EXPECT_EQ(readAll(stream), (Rows{{"001B"}}));
  EXPECT_EQ(server->pollCount(), 3u);
}

TEST_F(QueryTest, ParentNotProcessedBeforeItsChunksAreListedIsCheckedAgain) {
  const std::string parent = server->rootBatchId;
  server->polls = {{{parent, "NotProcessed"}},
                   {{parent, "NotProcessed"}, {"751c10000000000AAA", "Completed"}}};
  server->resultIds = {{"751c10000000000AAA", {"752a00000000000AAA"}}};
  server->files = {{"752a00000000000AAA", "\"Id\"\n\"001A\"\n"}};
  QueryOptions options = fast();
  options.pkChunking = PkChunking{};
  QueryStream stream = client.query("SELECT Id FROM Account", options);
  EXPECT_EQ(readAll(stream), (Rows{{"001A"}}));
}

TEST_F(QueryTest, PkChunkingDisabledByTheServerReadsTheOriginalBatch) {
  // ORDER BY or an Id filter turns chunking off: the SOQL batch completes itself.
  singleBatch({"752x01000000000AAA"});
  server->files["752x01000000000AAA"] = "\"Id\"\n\"001A\"\n";
  QueryOptions options = fast();
  options.pkChunking = PkChunking{};
  QueryStream stream = client.query("SELECT Id FROM Account ORDER BY Name", options);
  EXPECT_EQ(readAll(stream), (Rows{{"001A"}}));
}

TEST_F(QueryTest, CsvRowsAsRecords) {
  singleBatch({"752x01000000000AAA", "752x02000000000AAA"});
  server->files["752x01000000000AAA"] = "\"Id\",\"Name\"\n\"001A\",\"Acme\"\n";
  server->files["752x02000000000AAA"] = "\"Id\",\"Name\"\n\"001B\",\"\"\n";
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fast());
  nlohmann::json record;
  ASSERT_TRUE(stream.nextRecord(record));
  EXPECT_EQ(record, (nlohmann::json{{"Id", "001A"}, {"Name", "Acme"}}));
  ASSERT_TRUE(stream.nextRecord(record));
  EXPECT_EQ(record, (nlohmann::json{{"Id", "001B"}, {"Name", ""}}));
  EXPECT_FALSE(stream.nextRecord(record));
  EXPECT_EQ(stream.rowCount(), 2u);
}

TEST_F(QueryTest, JsonRecordsAcrossFiles) {
  server->contentType = "JSON";
  singleBatch({"752x01000000000AAA", "752x02000000000AAA"});
  server->files["752x01000000000AAA"] =
      R"([{"attributes":{"type":"Account","url":"/x/001A"},"Id":"001A","Name":"Acme"},)"
      R"({"attributes":{"type":"Account","url":"/x/001B"},"Id":"001B","Name":null}])";
  server->files["752x02000000000AAA"] =
      R"([{"attributes":{"type":"Account"},"Id":"001C","Name":"C"}])";
  QueryOptions options = fast();
  options.contentType = ContentType::JSON;
  QueryStream stream = client.query("SELECT Id, Name FROM Account", options);
  EXPECT_TRUE(stream.header().empty());
  std::vector<nlohmann::json> records;
  for (nlohmann::json record; stream.nextRecord(record);) records.push_back(record);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0], (nlohmann::json{{"Id", "001A"}, {"Name", "Acme"}}));
  EXPECT_TRUE(records[1]["Name"].is_null());
  EXPECT_EQ(records[2]["Id"], "001C");
  std::vector<std::string> row;
  EXPECT_THROW(stream.nextRow(row), InvalidArgument);
  EXPECT_NE(server->requests()[1].header("Content-Type").find("application/json"),
            std::string::npos);
}

TEST_F(QueryTest, XmlRecordsAcrossFiles) {
  server->contentType = "XML";
  singleBatch({"752x01000000000AAA", "752x02000000000AAA"});
  const std::string head =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><queryResult "
      "xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">";
  server->files["752x01000000000AAA"] =
      head +
      "<records xsi:type=\"sObject\"><type>Account</type><Id>001A</Id>"
      "<Id>001A</Id><Name>Acme</Name></records></queryResult>";
  server->files["752x02000000000AAA"] =
      head +
      "<records xsi:type=\"sObject\"><type>Account</type><Id>001B</Id>"
      "<Id>001B</Id><Name xsi:nil=\"true\"/></records></queryResult>";
  QueryOptions options = fast();
  options.contentType = ContentType::XML;
  QueryStream stream = client.query("SELECT Id, Name FROM Account", options);
  std::vector<nlohmann::json> records;
  for (nlohmann::json record; stream.nextRecord(record);) records.push_back(record);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["Id"], "001A");
  EXPECT_EQ(records[0]["Name"], "Acme");
  EXPECT_EQ(records[1]["Id"], "001B");
  EXPECT_TRUE(records[1]["Name"].is_null());
}

TEST_F(QueryTest, StreamOutlivesTheClientThatStartedIt) {
  singleBatch({"752x01000000000AAA", "752x02000000000AAA"});
  server->files["752x01000000000AAA"] = "\"Id\"\n\"001A\"\n";
  server->files["752x02000000000AAA"] = "\"Id\"\n\"001B\"\n";
  std::optional<QueryStream> stream;
  {
    Client scoped(queryTestConfig(), server);
    stream.emplace(scoped.query("SELECT Id FROM Account", fast()));
  }
  QueryStream moved = std::move(*stream);
  EXPECT_EQ(readAll(moved), (Rows{{"001A"}, {"001B"}}));
}

// glibc's heap statistics; sanitizers replace the allocator, so the check is skipped there.
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)

// Serves one result file of `rows` generated rows without ever holding it.
class GeneratedFileServer : public QueryFakeServer {
 public:
  explicit GeneratedFileServer(std::size_t rows) : rows_(rows) {}

  std::unique_ptr<HttpResponseStream> open(const HttpRequest& request) override {
    if (request.url.find("/result/752big000000000AAA") == std::string::npos) {
      return QueryFakeServer::open(request);
    }
    return std::make_unique<Generated>(rows_);
  }

 private:
  class Generated final : public HttpResponseStream {
   public:
    explicit Generated(std::size_t rows) : rows_(rows) { pending_ = "\"Id\",\"Payload\"\n"; }
    int status() const override { return 200; }
    const Headers& headers() const override { return headers_; }
    std::size_t read(char* buffer, std::size_t size) override {
      while (pending_.size() - offset_ < size && next_ < rows_) {
        pending_.erase(0, offset_);
        offset_ = 0;
        pending_ += "\"" + std::to_string(next_++) + "\",\"" + std::string(90, 'x') + "\"\n";
      }
      const std::size_t n = std::min(size, pending_.size() - offset_);
      std::memcpy(buffer, pending_.data() + offset_, n);
      offset_ += n;
      return n;
    }

   private:
    Headers headers_;
    std::size_t rows_;
    std::size_t next_ = 0;
    std::string pending_;
    std::size_t offset_ = 0;
  };

  std::size_t rows_;
};

TEST(QueryMemory, LargeResultIsStreamedInConstantMemory) {
  constexpr std::size_t kRows = 300'000;  // about 30 MB of CSV
  auto server = std::make_shared<GeneratedFileServer>(kRows);
  server->polls = {{{server->rootBatchId, "Completed"}}};
  server->resultIds[server->rootBatchId] = {"752big000000000AAA"};
  Client client(queryTestConfig(), server);
  QueryStream stream = client.query("SELECT Id, Payload FROM Account", QueryTest::fast());
  std::vector<std::string> row;
  ASSERT_TRUE(stream.nextRow(row));
  const std::size_t before = mallinfo2().uordblks;
  std::size_t peak = before;
  std::size_t count = 1;
  while (stream.nextRow(row)) {
    ASSERT_EQ(row[0], std::to_string(count));
    if (++count % 10'000 == 0) peak = std::max(peak, mallinfo2().uordblks);
  }
  EXPECT_EQ(count, kRows);
  EXPECT_LT(peak - before, std::size_t{4} << 20) << "heap grew with the result size";
}
#endif

}  // namespace
}  // namespace sfdc::bulk::testing
