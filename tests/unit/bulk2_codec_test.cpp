// The 2.0 JSON documents: every response example of the wire reference parsed into
// every field, the bodies the client sends, and the enumerations' wire names.

#include "bulk2/bulk2_codec.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sfdc/bulk.hpp>

#include "support/bulk2_responses.hpp"

namespace sfdc::bulk {
namespace {

using nlohmann::json;

TEST(Bulk2Codec, CreateAnswerHasStateOpenNoCountersNoJobType) {
  Bulk2JobInfo info = detail::parseBulk2JobInfo(testing::ingestCreateJson());
  EXPECT_EQ(info.id, "7505fEXAMPLE4C2AAM");
  EXPECT_EQ(info.operation, Operation::Insert);
  EXPECT_EQ(info.object, "Account");
  EXPECT_EQ(info.createdById, "0055fEXAMPLEtG4AAM");
  EXPECT_EQ(info.createdDate, "2022-01-02T21:33:43.000+0000");
  EXPECT_EQ(info.systemModstamp, "2022-01-02T21:33:43.000+0000");
  EXPECT_EQ(info.state, Bulk2JobState::Open);
  EXPECT_EQ(info.concurrencyMode, "Parallel");
  EXPECT_EQ(info.contentType, "CSV");
  EXPECT_EQ(info.apiVersion, "66.0");
  EXPECT_EQ(info.contentUrl, "services/data/v66.0/jobs/ingest/7505fEXAMPLE4C2AAM/batches");
  EXPECT_EQ(info.lineEnding, LineEnding::LF);
  EXPECT_EQ(info.columnDelimiter, ColumnDelimiter::Comma);
  EXPECT_EQ(info.jobType, "");
  EXPECT_EQ(info.numberRecordsProcessed, 0);
  EXPECT_FALSE(info.isPkChunkingSupported.has_value());
  EXPECT_FALSE(info.isTerminal());
  EXPECT_FALSE(info.isQuery());
}

TEST(Bulk2Codec, AbbreviatedPatchAnswerParses) {
  Bulk2JobInfo info = detail::parseBulk2JobInfo(testing::patchAnswerJson("UploadComplete"));
  EXPECT_EQ(info.state, Bulk2JobState::UploadComplete);
  EXPECT_EQ(info.apiVersion, "66.0");
  EXPECT_EQ(info.contentUrl, "");
  EXPECT_EQ(info.columnDelimiter, ColumnDelimiter::Comma);  // absent: the default
}

TEST(Bulk2Codec, FullIngestInfoHasEveryCounter) {
  Bulk2JobInfo info = detail::parseBulk2JobInfo(testing::ingestInfoJson());
  EXPECT_EQ(info.state, Bulk2JobState::JobComplete);
  EXPECT_EQ(info.jobType, "V2Ingest");
  EXPECT_EQ(info.systemModstamp, "2022-01-02T21:38:31.000+0000");
  EXPECT_EQ(info.numberRecordsProcessed, 7);
  EXPECT_EQ(info.numberRecordsFailed, 0);
  EXPECT_EQ(info.retries, 0);
  EXPECT_EQ(info.totalProcessingTime, 886);
  EXPECT_EQ(info.apiActiveProcessingTime, 813);
  EXPECT_EQ(info.apexProcessingTime, 619);
  EXPECT_TRUE(info.isTerminal());
}

TEST(Bulk2Codec, FailedJobCarriesErrorMessageAndIntegerApiVersion) {
  Bulk2JobInfo info = detail::parseBulk2JobInfo(testing::failedIngestInfoJson());
  EXPECT_EQ(info.state, Bulk2JobState::Failed);
  EXPECT_EQ(info.errorMessage, "InvalidBatch : Field name not found : ContactId__c");
  EXPECT_EQ(info.apiVersion, "59.0");
  EXPECT_EQ(info.object, "Contact");
}

TEST(Bulk2Codec, QueryInfoHasPkChunkingAndItsDelimiter) {
  Bulk2JobInfo info = detail::parseBulk2JobInfo(testing::queryInfoJson("JobComplete", "CARET"));
  EXPECT_EQ(info.operation, Operation::QueryAll);
  EXPECT_TRUE(info.isQuery());
  EXPECT_EQ(info.jobType, "V2Query");
  EXPECT_EQ(info.numberRecordsProcessed, 740003);
  EXPECT_EQ(info.totalProcessingTime, 21046);
  EXPECT_EQ(info.lineEnding, LineEnding::CRLF);
  EXPECT_EQ(info.columnDelimiter, ColumnDelimiter::Caret);
  ASSERT_TRUE(info.isPkChunkingSupported.has_value());
  EXPECT_TRUE(*info.isPkChunkingSupported);
  QueryJob job = QueryJob::from(info);
  EXPECT_EQ(job.id, "750R0000000zlh9IAA");
  EXPECT_EQ(job.operation, Operation::QueryAll);
  EXPECT_EQ(job.columnDelimiter, ColumnDelimiter::Caret);
  EXPECT_EQ(job.lineEnding, LineEnding::CRLF);
}

TEST(Bulk2Codec, QueryCreateAnswerIsUploadComplete) {
  Bulk2JobInfo info = detail::parseBulk2JobInfo(testing::queryCreateJson());
  EXPECT_EQ(info.state, Bulk2JobState::UploadComplete);
  EXPECT_EQ(info.operation, Operation::Query);
  EXPECT_EQ(info.apiVersion, "46.0");
}

TEST(Bulk2Codec, UpsertAnswerKeepsExternalIdAndHandleTakesIt) {
  json body = json::parse(testing::ingestCreateJson());
  body["operation"] = "upsert";
  body["externalIdFieldName"] = "values__c";
  body["assignmentRuleId"] = "01QD0000000EqAn";
  body["columnDelimiter"] = "PIPE";
  body["lineEnding"] = "CRLF";
  Bulk2JobInfo info = detail::parseBulk2JobInfo(body.dump());
  EXPECT_EQ(info.assignmentRuleId, "01QD0000000EqAn");
  IngestJob job = IngestJob::from(info);
  EXPECT_EQ(job.operation, Operation::Upsert);
  EXPECT_EQ(job.externalIdFieldName, "values__c");
  EXPECT_EQ(job.columnDelimiter, ColumnDelimiter::Pipe);
  EXPECT_EQ(job.lineEnding, LineEnding::CRLF);
  EXPECT_EQ(job.object, "Account");
}

TEST(Bulk2Codec, QuotedAndNullCountersAreTolerated) {
  json body = json::parse(testing::ingestInfoJson());
  body["numberRecordsProcessed"] = "12";
  body["numberRecordsFailed"] = nullptr;
  Bulk2JobInfo info = detail::parseBulk2JobInfo(body.dump());
  EXPECT_EQ(info.numberRecordsProcessed, 12);
  EXPECT_EQ(info.numberRecordsFailed, 0);
}

TEST(Bulk2Codec, FractionalOrHugeCountersAreParseErrors) {
  json body = json::parse(testing::ingestInfoJson());
  body["numberRecordsProcessed"] = 12.0;
  EXPECT_EQ(detail::parseBulk2JobInfo(body.dump()).numberRecordsProcessed, 12);
  for (const double bad : {1.5, 6.66667e+94, -1e300}) {
    body["numberRecordsProcessed"] = bad;
    EXPECT_THROW(detail::parseBulk2JobInfo(body.dump()), ParseError) << bad;
  }
}

TEST(Bulk2Codec, BadDocumentsAreParseErrorsNamingTheProblem) {
  EXPECT_THROW(detail::parseBulk2JobInfo("not json"), ParseError);
  EXPECT_THROW(detail::parseBulk2JobInfo("[1,2]"), ParseError);
  EXPECT_THROW(detail::parseBulk2JobInfo(R"({"state":"Open"})"), ParseError);
  try {
    detail::parseBulk2JobInfo(R"({"id":"7505fEXAMPLE4C2AAM","state":"Sleeping"})");
    FAIL() << "an unknown state parsed";
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("Sleeping"), std::string::npos) << e.what();
  }
  EXPECT_THROW(detail::parseBulk2JobInfo(R"({"id":"7505fEXAMPLE4C2AAM","columnDelimiter":"X"})"),
               ParseError);
}

TEST(Bulk2Codec, ListPageHasRecordsAndNextLink) {
  Bulk2JobPage page = detail::parseBulk2JobPage(testing::jobListPageJson());
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].jobType, "V2Ingest");
  EXPECT_EQ(page.records[1].jobType, "Classic");
  EXPECT_EQ(page.records[1].apiVersion, "44.0");
  EXPECT_FALSE(page.done);
  EXPECT_EQ(page.nextRecordsUrl,
            "/services/data/v66.0/jobs/ingest?queryLocator=01gR0000000opRTIAY-2000");
}

TEST(Bulk2Codec, LastListPageHasNullOrNoLink) {
  Bulk2JobPage page =
      detail::parseBulk2JobPage(R"({"done":true,"records":[],"nextRecordsUrl":null})");
  EXPECT_TRUE(page.done);
  EXPECT_EQ(page.nextRecordsUrl, "");
  page = detail::parseBulk2JobPage(R"({"done":false,"records":[]})");
  EXPECT_TRUE(page.done) << "a page without a link to follow is the last one";
}

TEST(Bulk2Codec, ResultPagesBothSpellings) {
  QueryResultPageLinks links = detail::parseQueryResultPageLinks(testing::resultPagesJson());
  ASSERT_EQ(links.resultUrls.size(), 2u);
  EXPECT_EQ(links.resultUrls[0],
            "/services/data/v66.0/jobs/query/750R0000000zxr8IAA/results?locator=aBcDeFg4N");
  EXPECT_EQ(links.resultUrls[1],
            "/services/data/v66.0/jobs/query/750R0000000zxr8IAA/results?locator=HiJkLmN4N");
  EXPECT_EQ(links.nextRecordsUrl,
            "/services/data/v66.0/jobs/query/750R0000000zxr8IAA/resultpages?locator=YcApWm4N");
  EXPECT_FALSE(links.done);

  links = detail::parseQueryResultPageLinks(
      R"({"resultPages":[{"resultLink":"/services/data/v58.0/jobs/query/750R0000000zxr8IAA/results?locator=A"}],)"
      R"("nextRecordUrl":"/services/data/v58.0/jobs/query/750R0000000zxr8IAA/resultpages?locator=B","done":false})");
  ASSERT_EQ(links.resultUrls.size(), 1u);
  EXPECT_EQ(links.resultUrls[0],
            "/services/data/v58.0/jobs/query/750R0000000zxr8IAA/results?locator=A");
  EXPECT_EQ(links.nextRecordsUrl,
            "/services/data/v58.0/jobs/query/750R0000000zxr8IAA/resultpages?locator=B");

  links = detail::parseQueryResultPageLinks(R"({"resultPages":[],"done":true})");
  EXPECT_TRUE(links.done);
  EXPECT_TRUE(links.resultUrls.empty());
  EXPECT_THROW(detail::parseQueryResultPageLinks(R"({"resultPages":[{"other":1}]})"), ParseError);
}

TEST(Bulk2Codec, IngestCreateBodyHasEveryGivenField) {
  IngestJobOptions options;
  options.externalIdFieldName = "Ext__c";
  options.columnDelimiter = ColumnDelimiter::Tab;
  options.lineEnding = LineEnding::CRLF;
  options.assignmentRuleId = "01QD0000000EqAn";
  json body = json::parse(detail::encodeIngestJobCreate(Operation::Upsert, "Contact", options));
  EXPECT_EQ(body, json::parse(R"({"object":"Contact","operation":"upsert",
      "externalIdFieldName":"Ext__c","contentType":"CSV","columnDelimiter":"TAB",
      "lineEnding":"CRLF","assignmentRuleId":"01QD0000000EqAn"})"));
  body = json::parse(detail::encodeIngestJobCreate(Operation::HardDelete, "Account", {}));
  EXPECT_EQ(body, json::parse(R"({"object":"Account","operation":"hardDelete",
      "contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"})"));
}

TEST(Bulk2Codec, QueryCreateAndStateBodies) {
  QueryJobOptions options;
  options.all = true;
  options.columnDelimiter = ColumnDelimiter::Caret;
  options.lineEnding = LineEnding::CRLF;
  EXPECT_EQ(json::parse(detail::encodeQueryJobCreate("SELECT Id, Name FROM Account", options)),
            json::parse(R"({"operation":"queryAll","query":"SELECT Id, Name FROM Account",
                "contentType":"CSV","columnDelimiter":"CARET","lineEnding":"CRLF"})"));
  EXPECT_EQ(json::parse(detail::encodeQueryJobCreate("SELECT Id FROM Contact", {}))["operation"],
            "query");
  EXPECT_EQ(detail::encodeBulk2StateChange(Bulk2JobState::UploadComplete),
            R"({"state":"UploadComplete"})");
  EXPECT_EQ(detail::encodeBulk2StateChange(Bulk2JobState::Aborted), R"({"state":"Aborted"})");
}

TEST(Bulk2Types, WireNamesRoundTrip) {
  for (auto state : {Bulk2JobState::Open, Bulk2JobState::UploadComplete, Bulk2JobState::InProgress,
                     Bulk2JobState::JobComplete, Bulk2JobState::Failed, Bulk2JobState::Aborted}) {
    EXPECT_EQ(parseBulk2JobState(toString(state)), state);
  }
  const std::pair<ColumnDelimiter, char> delimiters[] = {
      {ColumnDelimiter::Comma, ','},     {ColumnDelimiter::Backquote, '`'},
      {ColumnDelimiter::Caret, '^'},     {ColumnDelimiter::Pipe, '|'},
      {ColumnDelimiter::Semicolon, ';'}, {ColumnDelimiter::Tab, '\t'}};
  for (const auto& [delimiter, c] : delimiters) {
    EXPECT_EQ(parseColumnDelimiter(toString(delimiter)), delimiter);
    EXPECT_EQ(delimiterChar(delimiter), c);
  }
  EXPECT_EQ(toString(ColumnDelimiter::Semicolon), "SEMICOLON");
  EXPECT_EQ(toString(Bulk2JobState::UploadComplete), "UploadComplete");
  EXPECT_EQ(parseLineEnding("CRLF"), LineEnding::CRLF);
  EXPECT_EQ(toString(LineEnding::LF), "LF");
  EXPECT_THROW(parseLineEnding("CR"), ParseError);
  EXPECT_THROW(parseColumnDelimiter("comma"), ParseError);
  EXPECT_THROW(parseBulk2JobState("Closed"), ParseError);
  EXPECT_TRUE(isTerminal(Bulk2JobState::Aborted));
  EXPECT_FALSE(isTerminal(Bulk2JobState::InProgress));
}

}  // namespace
}  // namespace sfdc::bulk
