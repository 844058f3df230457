// Sources whose rows differ from their input (RecordSource::Reader::rewritesRows): the
// batches get the rows as handed out, the result files the input's own columns and cells.
// Also the stock CSV sources with another delimiter, and LoadOptions::lineEnding.

#include <gtest/gtest.h>

#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <sstream>

#include "load/loader.hpp"
#include "load/spool.hpp"
#include "support/fake_load_connection.hpp"
#include "support/load_test_support.hpp"

namespace sfdc::bulk::detail::load {
namespace {

using namespace std::chrono_literals;
using testing::FakeLoadConnection;
using testing::fastTuning;
using testing::readFile;

LoadOptions fastOptions() {
  LoadOptions options;
  options.pollMinInterval = 1ms;
  options.pollMaxInterval = 4ms;
  options.timeout = 20s;
  return options;
}

/// Sends the input's column `Nom` as LastName, upper-cased, and drops its other columns.
class RenamingReader final : public RecordSource::Reader {
 public:
  explicit RenamingReader(std::istream& in) : inner_(RecordSource::csvStream(in)) {}
  const std::vector<std::string>& csvHeader() override { return header_; }
  bool nextCsvRow(std::string& raw, std::vector<std::string>& fields) override {
    std::string innerRaw;
    if (!inner_.reader().nextCsvRow(innerRaw, input_)) return false;
    fields = {input_.at(0)};
    for (char& c : fields[0]) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    raw.clear();
    appendCsvRow(raw, fields);
    return true;
  }
  bool nextRecord(nlohmann::json&) override { return false; }
  bool isCsv() const override { return true; }
  bool rewritesRows() const override { return true; }
  const std::vector<std::string>& inputHeader() override { return inner_.reader().csvHeader(); }
  const std::vector<std::string>& inputFields() const override { return input_; }

 private:
  RecordSource inner_;
  std::vector<std::string> header_{"LastName"};
  std::vector<std::string> input_;
};

RecordResult failSecond(const testing::FakeBatch&, std::size_t i) {
  if (i == 1) return RecordResult{"", false, false, {RecordError{"BAD", "no", {}}}};
  return RecordResult{"003000000000000AA" + std::to_string(i), true, true, {}};
}

TEST(LoadRewrittenRows, BatchesGetTheRowsSentAndResultFilesTheInputsOwn) {
  for (const ContentType type : {ContentType::CSV, ContentType::JSON}) {
    SCOPED_TRACE(std::string(toString(type)));
    FakeLoadConnection api;
    api.resultFor = failSecond;
    SpoolDir dir;
    LoadOptions options = fastOptions();
    options.contentType = type;
    options.successFile = dir.file("success.csv");
    options.errorFile = dir.file("error.csv");
    std::istringstream input("Nom,Ville\nlovelace,\"London, UK\"\nhopper,NYC\n");
    const LoadResult result =
        runLoad(api, Operation::Insert, "Contact",
                RecordSource(std::make_shared<RenamingReader>(input)), options, fastTuning());
    EXPECT_EQ(result.succeeded, 1u);
    ASSERT_EQ(api.batches.size(), 1u);
    EXPECT_EQ(api.batches[0].body, type == ContentType::CSV
                                       ? "LastName\nLOVELACE\nHOPPER\n"
                                       : R"([{"LastName":"LOVELACE"},{"LastName":"HOPPER"}])");
    EXPECT_EQ(readFile(options.successFile),
              "Nom,Ville,sf__Id,sf__Created\nlovelace,\"London, UK\",003000000000000AA0,true\n");
    EXPECT_EQ(readFile(options.errorFile), "Nom,Ville,sf__Error\nhopper,NYC,BAD:no: --\n");
  }
}

TEST(LoadRewrittenRows, JournalsAndGroupingAreRefused) {
  FakeLoadConnection api;
  SpoolDir dir;
  LoadOptions options = fastOptions();
  options.groupBy = "LastName";
  std::istringstream input("Nom\na\n");
  EXPECT_THROW(
      runLoad(api, Operation::Insert, "Contact",
              RecordSource(std::make_shared<RenamingReader>(input)), options, fastTuning()),
      InvalidArgument);
  const std::string path = dir.file("semicolon.csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << "LastName;FirstName\nA;B\n";
  }
  options = fastOptions();
  options.journalFile = dir.file("load.journal");
  EXPECT_THROW(runLoad(api, Operation::Insert, "Contact", RecordSource::csvFile(path, ';'), options,
                       fastTuning()),
               InvalidArgument);
  EXPECT_EQ(api.createJobCalls, 0);
}

TEST(LoadRewrittenRows, ASemicolonSourceIsSentWithCommas) {
  std::istringstream input("LastName;Description\nLovelace;\"one; two, three\"\n");
  RecordSource source = RecordSource::csvStream(input, ';');
  EXPECT_TRUE(source.reader().rewritesRows());
  FakeLoadConnection api;
  SpoolDir dir;
  LoadOptions options = fastOptions();
  options.successFile = dir.file("success.csv");
  runLoad(api, Operation::Insert, "Contact", std::move(source), options, fastTuning());
  ASSERT_EQ(api.batches.size(), 1u);
  EXPECT_EQ(api.batches[0].body, "LastName,Description\nLovelace,\"one; two, three\"\n");
  EXPECT_EQ(readFile(options.successFile)
                .rfind("LastName,Description,sf__Id,sf__Created\nLovelace,\"one; two, three\",", 0),
            0u);
}

TEST(LoadLineEnding, CrlfEndsEveryRowSentTheHeaderIncluded) {
  std::istringstream input("LastName,Description\nA,\"two\nlines\"\r\nB,x");
  FakeLoadConnection api;
  LoadOptions options = fastOptions();
  options.lineEnding = LineEnding::CRLF;
  runLoad(api, Operation::Insert, "Contact", RecordSource::csvStream(input), options, fastTuning());
  ASSERT_EQ(api.batches.size(), 1u);
  EXPECT_EQ(api.batches[0].body, "LastName,Description\r\nA,\"two\nlines\"\r\nB,x\r\n");
}

TEST(LoadLineEnding, RecordSourcesIntoCsvJobsAreRefused) {
  FakeLoadConnection api;
  LoadOptions options = fastOptions();
  options.lineEnding = LineEnding::LF;
  EXPECT_THROW(runLoad(api, Operation::Insert, "Contact",
                       RecordSource::records({{{"LastName", "A"}}}), options, fastTuning()),
               InvalidArgument);
}

}  // namespace
}  // namespace sfdc::bulk::detail::load
