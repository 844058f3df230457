// The CSV record sources a load reads: errors in the input are the caller's to fix
// (InvalidArgument naming the file, the data row as load results count it, and what is
// wrong), checked before anything is sent, and reading goes on after a bad row.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/load.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace sfdc::bulk {
namespace {

// Every data row's fields, or "ERROR: <message>" for a row that throws InvalidArgument.
std::vector<std::string> readRows(RecordSource::Reader& reader,
                                  std::vector<std::string>* raws = nullptr) {
  std::vector<std::string> out;
  std::string raw;
  std::vector<std::string> fields;
  for (int guard = 0; guard < 1000; ++guard) {
    raw.clear();
    try {
      if (!reader.nextCsvRow(raw, fields)) return out;
      std::string joined;
      for (const auto& field : fields) joined.append(joined.empty() ? "" : "|").append(field);
      out.push_back(joined);
    } catch (const InvalidArgument& e) {
      out.push_back(std::string("ERROR: ") + e.what());
    }
    if (raws != nullptr) raws->push_back(raw);
  }
  ADD_FAILURE() << "the reader never ended";
  return out;
}

class TempCsv {
 public:
  explicit TempCsv(const std::string& text) {
    char pattern[] = "/tmp/sfdc_bulk_source_XXXXXX";
    const int fd = mkstemp(pattern);
    EXPECT_GE(fd, 0);
    close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempCsv() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(LoadCsvSource, StrayQuoteNamesFileDataRowAndColumnAndReadsOn) {
  TempCsv file("Name\n12\" pipe\nWidget\nGadget\n3\" bolt\nNut");
  RecordSource source = RecordSource::csvFile(file.path());
  std::vector<std::string> raws;
  const auto rows = readRows(source.reader(), &raws);
  const std::string where = file.path() + ": CSV row ";
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].rfind("ERROR: " + where + "1, column 1: quote inside an unquoted field", 0), 0u)
      << rows[0];
  EXPECT_EQ(rows[1], "Widget");
  EXPECT_EQ(rows[2], "Gadget");
  EXPECT_EQ(rows[3].rfind("ERROR: " + where + "4, column 1: quote inside an unquoted field", 0), 0u)
      << rows[3];
  EXPECT_EQ(rows[4], "Nut");
  // The bad rows' bytes come with the error, for the report of rows not sent.
  EXPECT_EQ(raws[0], "12\" pipe\n");
  EXPECT_EQ(raws[3], "3\" bolt\n");
}

TEST(LoadCsvSource, CsvSyntaxErrorsAreInvalidArgumentNotParseError) {
  std::istringstream input("A,B\n1,\"2\"x\n");
  RecordSource source = RecordSource::csvStream(input);
  std::string raw;
  std::vector<std::string> fields;
  try {
    source.reader().nextCsvRow(raw, fields);
    FAIL() << "expected InvalidArgument";
  } catch (const ParseError& e) {
    FAIL() << "a mistake in the input is not an unexpected response: " << e.what();
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(std::string(e.what()).rfind("CSV row 1, column 2: text after the closing quote", 0),
              0u)
        << e.what();
  }
}

TEST(LoadCsvSource, UnclosedQuoteEndsTheSource) {
  std::istringstream input("A,B\n1,2\n3,\"open\n4,5\n6,7\n");
  RecordSource source = RecordSource::csvStream(input);
  const auto rows = readRows(source.reader());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], "1|2");
  EXPECT_EQ(rows[1],
            "ERROR: CSV row 2, column 2: quoted field never closed (it runs to the end of the "
            "input)");
}

TEST(LoadCsvSource, RaggedRowCountsDataRowsAndReadsOn) {
  TempCsv file("A,B\n1,2\n3\n4,5\n");
  RecordSource source = RecordSource::csvFile(file.path());
  const auto rows = readRows(source.reader());
  EXPECT_EQ(rows,
            (std::vector<std::string>{
                "1|2", "ERROR: " + file.path() + ": CSV row 2 has 1 fields but the header has 2",
                "4|5"}));
}

TEST(LoadCsvSource, CrOnlyLineEndsAreRows) {
  std::istringstream input("FirstName,LastName\rAnn,Archer\rBob,Baker\r");
  RecordSource source = RecordSource::csvStream(input);
  std::vector<std::string> raws;
  EXPECT_EQ(readRows(source.reader(), &raws),
            (std::vector<std::string>{"Ann|Archer", "Bob|Baker"}));
  EXPECT_EQ(raws, (std::vector<std::string>{"Ann,Archer\n", "Bob,Baker\n"}));
  EXPECT_EQ(source.reader().csvHeader(), (std::vector<std::string>{"FirstName", "LastName"}));
}

TEST(LoadCsvSource, DuplicateHeaderNamesAreRefusedBeforeAnyRow) {
  TempCsv file("LastName,Email,lastname\nA,a@x,B\n");
  RecordSource source = RecordSource::csvFile(file.path());
  try {
    source.reader().csvHeader();
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(std::string(e.what()),
              file.path() +
                  ": CSV header names the field 'LastName' twice: column 1 ('LastName') and "
                  "column 3 ('lastname'); field names are not case-sensitive");
  }
  // Nothing after a broken header can be read as records.
  std::string raw;
  std::vector<std::string> fields;
  EXPECT_FALSE(source.reader().nextCsvRow(raw, fields));
}

TEST(LoadCsvSource, DuplicateHeaderFoundByTheFirstRowRead) {
  std::istringstream input("LastName,LastName\nA,B\n");
  RecordSource source = RecordSource::csvStream(input);
  std::string raw;
  std::vector<std::string> fields;
  EXPECT_THROW(source.reader().nextCsvRow(raw, fields), InvalidArgument);
  EXPECT_FALSE(source.reader().nextCsvRow(raw, fields));
}

TEST(LoadCsvSource, HeaderSyntaxErrorNamesTheHeader) {
  std::istringstream input("Name,Ph\"one\nA,1\n");
  RecordSource source = RecordSource::csvStream(input);
  try {
    source.reader().csvHeader();
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(
        std::string(e.what()).rfind("CSV header, column 2: quote inside an unquoted field", 0), 0u)
        << e.what();
  }
}

TEST(LoadCsvSource, RecordsForJsonAndXmlJobsSkipBadRowsToo) {
  std::istringstream input("Name\n1\" x\nok\n");
  RecordSource source = RecordSource::csvStream(input);
  nlohmann::json record;
  EXPECT_THROW(source.reader().nextRecord(record), InvalidArgument);
  ASSERT_TRUE(source.reader().nextRecord(record));
  EXPECT_EQ(record, (nlohmann::json{{"Name", "ok"}}));
  EXPECT_FALSE(source.reader().nextRecord(record));
}

}  // namespace
}  // namespace sfdc::bulk
