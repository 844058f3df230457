// sfbulk load with Data Loader's mapping and data settings end to end: a field mapping
// file (.sdl), the input's delimiter, line ending and encoding, empty cells as nulls, and
// date values read in a time zone or day first; each checked in the records stored and in
// the result files, which keep the input's own columns and cells.

#include <sfdc/emulator/emulator.hpp>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

const char* kContacts =
    "Last,First Name,Mobile,Notes,Unused\n"
    "Lovelace,Ada,555-0101,analyst,x\n"
    "Hopper,Grace,555-0102,\"admiral, retired\",y\n";

// Every feature of the syntax: comments, an escaped space, two fields from one column, a
// constant, a column that is not sent; the input's Unused column is not in it at all.
const char* kMapping =
    "#Mapping values\n"
    "#Mon Dec 07 10:23:18 CET 2026\n"
    "LAST=LastName\n"
    "First\\ Name=FirstName\n"
    "Mobile=Phone, MobilePhone\n"
    "\"Imported\"=Department\n"
    "Notes=\n";

class CliLoadMapping : public CliTest {
 protected:
  // Contact gains a date/time field, for the time zone tests.
  sfdc::emulator::EmulatorOptions emulatorOptions() override {
    schema_ = fs::temp_directory_path() /
              ("sfbulk-mapping-schema-" + std::to_string(::getpid()) + ".json");
    writeFile(schema_,
              R"({"objects": [{"name": "Contact", "extend": true,
                  "fields": [{"name": "Met__c", "type": "datetime"}]}]})");
    sfdc::emulator::EmulatorOptions options;
    options.schemaFile = schema_.string();
    return options;
  }
  void TearDown() override {
    CliTest::TearDown();
    fs::remove(schema_);
  }

  RunResult load(const std::string& input, std::vector<std::string> extra,
                 const std::string& operation = "insert") {
    std::vector<std::string> args = {"load",
                                     "--object",
                                     "Contact",
                                     "--operation",
                                     operation,
                                     "--file",
                                     file(input).string(),
                                     "--success",
                                     file("ok.csv").string(),
                                     "--errors",
                                     file("failed.csv").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  /// Loads kContacts through kMapping and checks the records and the result files.
  void loadMapped(const std::vector<std::string>& extra) {
    writeFile(file("contacts.csv"), kContacts);
    writeFile(file("contacts.sdl"), kMapping);
    std::vector<std::string> args = {"--mapping", file("contacts.sdl").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = load("contacts.csv", args);
    ASSERT_EQ(r.exitCode, 0) << r.err << r.out;
    const auto rows = queryRows(
        "SELECT LastName, FirstName, Phone, MobilePhone, Department, Description FROM Contact "
        "ORDER BY LastName");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1], (std::vector<std::string>{"Hopper", "Grace", "555-0102", "555-0102",
                                                 "Imported", ""}));
    EXPECT_EQ(rows[2], (std::vector<std::string>{"Lovelace", "Ada", "555-0101", "555-0101",
                                                 "Imported", ""}));
    // The result files keep the input's own columns and cells, not the mapped ones.
    const auto ok = lines(readFile(file("ok.csv")));
    ASSERT_EQ(ok.size(), 3u);
    EXPECT_EQ(ok[0], "Last,First Name,Mobile,Notes,Unused,sf__Id,sf__Created");
    EXPECT_EQ(ok[1].rfind("Lovelace,Ada,555-0101,analyst,x,003", 0), 0u) << ok[1];
    EXPECT_EQ(ok[2].rfind("Hopper,Grace,555-0102,\"admiral, retired\",y,003", 0), 0u) << ok[2];
  }

  fs::path schema_;
};

TEST_F(CliLoadMapping, AMappingFileMapsColumnsToFieldsOverBulkApiV1) { loadMapped({}); }

TEST_F(CliLoadMapping, AMappingFileMapsColumnsToFieldsOverBulkApi2) { loadMapped({"--api", "2"}); }

TEST_F(CliLoadMapping, AMappingFileMapsColumnsForJsonAndXmlJobs) {
  loadMapped({"--format", "json"});
}

TEST_F(CliLoadMapping, AFailedRowKeepsTheInputsCellsInTheErrorFile) {
  writeFile(file("contacts.csv"), "Last,First Name\n,Ada\nTuring,Alan\n");
  writeFile(file("contacts.sdl"), "Last=LastName\nFirst\\ Name=FirstName\n");
  const auto r = load("contacts.csv", {"--mapping", file("contacts.sdl").string(), "--api", "2"});
  EXPECT_EQ(r.exitCode, 1) << r.err;
  const auto failed = lines(readFile(file("failed.csv")));
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0], "Last,First Name,sf__Error");
  EXPECT_EQ(failed[1].rfind(",Ada,REQUIRED_FIELD_MISSING", 0), 0u) << failed[1];
}

TEST_F(CliLoadMapping, AMappingNamingAColumnTheFileLacksIsAnErrorBeforeAnythingIsSent) {
  writeFile(file("contacts.csv"), kContacts);
  writeFile(file("contacts.sdl"), "LAST=LastName\nEmail Address=Email\n");
  const auto r = load("contacts.csv", {"--mapping", file("contacts.sdl").string()});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, file("contacts.sdl").string() +
                                  " line 2: the column 'Email Address' is not in the header of " +
                                  file("contacts.csv").string() +
                                  " (Last, First Name, Mobile, Notes, Unused)"))
      << r.err;
  EXPECT_LE(queryRows("SELECT Id FROM Contact").size(), 1u);
}

TEST_F(CliLoadMapping, MistakesInTheMappingFileAreNamedWithTheirLine) {
  writeFile(file("contacts.csv"), kContacts);
  writeFile(file("contacts.sdl"), "LAST=LastName\nMobile\n");
  auto r = load("contacts.csv", {"--mapping", file("contacts.sdl").string()});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err,
                       "contacts.sdl line 2: expected CSV_COLUMN=SalesforceField, got "
                       "'Mobile'"))
      << r.err;
  r = load("contacts.csv", {"--mapping", file("missing.sdl").string()});
  EXPECT_EQ(r.exitCode, 7) << r.err;
  EXPECT_TRUE(contains(r.err, "missing.sdl")) << r.err;
}

TEST_F(CliLoadMapping, SemicolonAndTabInputsAreReadWithTheirDelimiter) {
  writeFile(file("semicolon.csv"),
            "LastName;FirstName;Description\nLovelace;Ada;\"one; two, three\"\n");
  auto r = load("semicolon.csv", {"--column-delimiter", "semicolon"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  writeFile(file("tab.csv"), "LastName\tFirstName\tDescription\nTuring\tAlan\ta, b\n");
  r = load("tab.csv", {"--column-delimiter", "tab", "--api", "2"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto rows =
      queryRows("SELECT LastName, FirstName, Description FROM Contact ORDER BY LastName");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"Lovelace", "Ada", "one; two, three"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"Turing", "Alan", "a, b"}));
  // The result files are CSV with commas, the input's cells in them.
  const auto ok = lines(readFile(file("ok.csv")));
  ASSERT_EQ(ok.size(), 2u);
  EXPECT_EQ(ok[0], "LastName,FirstName,Description,sf__Id,sf__Created");
  EXPECT_EQ(ok[1].rfind("Turing,Alan,\"a, b\",003", 0), 0u) << ok[1];
}

TEST_F(CliLoadMapping, CrlfRowsAreSentAndDeclaredOverBothApis) {
  // The emulator, like Salesforce, fails a 2.0 job whose rows do not end as it declares.
  writeFile(file("lf.csv"), "LastName,FirstName\nLovelace,Ada\n");
  auto r = load("lf.csv", {"--line-ending", "CRLF", "--api", "2"});
  EXPECT_EQ(r.exitCode, 0) << r.err << r.out;
  writeFile(file("crlf.csv"), "LastName,FirstName\r\nHopper,Grace\r\n");
  r = load("crlf.csv", {"--line-ending", "crlf"});
  EXPECT_EQ(r.exitCode, 0) << r.err << r.out;
  r = load("crlf.csv", {"--line-ending", "LF", "--api", "2"});
  EXPECT_EQ(r.exitCode, 0) << r.err << r.out;
  EXPECT_EQ(queryRows("SELECT Id FROM Contact").size(), 4u);
  const auto ok = lines(readFile(file("ok.csv")));
  ASSERT_EQ(ok.size(), 2u);
  EXPECT_EQ(ok[1].rfind("Hopper,Grace,003", 0), 0u) << ok[1];
}

TEST_F(CliLoadMapping, Latin1InputIsStoredAsUtf8) {
  writeFile(file("latin1.csv"), "Nom,Pr\xE9nom,Ville\nM\xFCller,Ren\xE9,S\xE8te\n");
  writeFile(file("latin1.sdl"), "Nom=LastName\nPr\\u00e9nom=FirstName\nVille=MailingCity\n");
  const auto r = load("latin1.csv", {"--encoding", "ISO-8859-1", "--mapping",
                                     file("latin1.sdl").string(), "--api", "2"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto rows = queryRows("SELECT LastName, FirstName, MailingCity FROM Contact");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"M\xC3\xBCller", "Ren\xC3\xA9", "S\xC3\xA8te"}));
  const auto ok = lines(readFile(file("ok.csv")));
  ASSERT_EQ(ok.size(), 2u);
  EXPECT_EQ(ok[0], "Nom,Pr\xC3\xA9nom,Ville,sf__Id,sf__Created");
  EXPECT_EQ(ok[1].rfind("M\xC3\xBCller,Ren\xC3\xA9,S\xC3\xA8te,003", 0), 0u) << ok[1];
}

TEST_F(CliLoadMapping, AByteInvalidInTheEncodingIsAnErrorNamingTheRow) {
  writeFile(file("cp1252.csv"), "LastName,FirstName\nOk,Fine\nBad,X\x81Y\n");
  auto r = load("cp1252.csv", {"--encoding", "Windows-1252"});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, file("cp1252.csv").string() +
                                  ": CSV row 2, column 'FirstName': byte 0x81 (at byte 2 of the "
                                  "cell) is not a Windows-1252 character"))
      << r.err;
  r = load("cp1252.csv", {"--encoding", "UTF-16"});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--encoding UTF-16: only UTF-8 and single-byte encodings")) << r.err;
}

TEST_F(CliLoadMapping, InsertNullsClearsAFieldOnUpdate) {
  writeFile(file("new.csv"), "LastName,Title,Department\nLovelace,Countess,Math\n");
  ASSERT_EQ(load("new.csv", {}).exitCode, 0);
  const std::string id = queryRows("SELECT Id FROM Contact").at(1).at(0);
  // Without --insert-nulls an empty cell leaves the field as it is.
  writeFile(file("update.csv"), "Id,Title,Department\n" + id + ",,Science\n");
  auto r = load("update.csv", {}, "update");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(queryRows("SELECT Title, Department FROM Contact").at(1),
            (std::vector<std::string>{"Countess", "Science"}));
  r = load("update.csv", {"--insert-nulls"}, "update");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(queryRows("SELECT Title, Department FROM Contact").at(1),
            (std::vector<std::string>{"", "Science"}));
  // JSON jobs get a null.
  writeFile(file("update2.csv"), "Id,Title,Department\n" + id + ",Dr,\n");
  r = load("update2.csv", {"--insert-nulls", "--format", "json"}, "update");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(queryRows("SELECT Title, Department FROM Contact").at(1),
            (std::vector<std::string>{"Dr", ""}));
  // The result file shows the empty cell the input had.
  EXPECT_EQ(lines(readFile(file("ok.csv"))).at(1).rfind(id + ",Dr,,", 0), 0u);
}

TEST_F(CliLoadMapping, DateTimesWithoutAZoneAreReadInTheTimeZone) {
  writeFile(file("dates.csv"),
            "LastName,Birthdate,Met__c\n"
            "Summer,12/25/1990,2024-07-15 10:30:00\n"
            "Winter,1990-01-02,1/15/2024 6:05 PM\n"
            "Zoned,,2024-07-15T10:30:00.000Z\n");
  const auto r = load("dates.csv", {"--timezone", "Europe/Paris", "--api", "2"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto rows = queryRows("SELECT LastName, Birthdate, Met__c FROM Contact ORDER BY LastName");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1],
            (std::vector<std::string>{"Summer", "1990-12-25", "2024-07-15T08:30:00.000Z"}));
  EXPECT_EQ(rows[2],
            (std::vector<std::string>{"Winter", "1990-01-02", "2024-01-15T17:05:00.000Z"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"Zoned", "", "2024-07-15T10:30:00.000Z"}));
  // The result file has the dates as the input wrote them.
  EXPECT_EQ(
      lines(readFile(file("ok.csv"))).at(1).rfind("Summer,12/25/1990,2024-07-15 10:30:00,", 0), 0u);
}

TEST_F(CliLoadMapping, DayFirstDatesAndOffsets) {
  writeFile(file("dates.csv"),
            "LastName,Birthdate,Met__c\n"
            "Dupont,25/12/1990,31/01/2024 23:30\n");
  const auto r = load("dates.csv", {"--day-first", "--timezone", "-05:00"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto rows = queryRows("SELECT LastName, Birthdate, Met__c FROM Contact");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1],
            (std::vector<std::string>{"Dupont", "1990-12-25", "2024-02-01T04:30:00.000Z"}));
}

TEST_F(CliLoadMapping, BadDatesAndZonesAreErrorsNamingWhatIsWrong) {
  writeFile(file("dates.csv"), "LastName,Birthdate\nOk,12/24/1990\nDupont,25/12/1990\n");
  auto r = load("dates.csv", {"--timezone", "UTC"});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, file("dates.csv").string() +
                                  ": CSV row 2, column 'Birthdate': '25/12/1990' is not a valid "
                                  "date: month 25 does not exist (for day-first dates such as "
                                  "31/12/2024 give --day-first)"))
      << r.err;
  r = load("dates.csv", {"--timezone", "Mars/Olympus"});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--timezone: unknown time zone 'Mars/Olympus'")) << r.err;
}

TEST_F(CliLoadMapping, TheSettingsAreRefusedWhereTheyCannotApply) {
  writeFile(file("contacts.csv"), kContacts);
  writeFile(file("contacts.jsonl"), "{\"LastName\": \"Lovelace\"}\n");
  writeFile(file("contacts.sdl"), kMapping);
  auto r = load("contacts.jsonl", {"--insert-nulls"});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "apply to CSV input")) << r.err;
  r = load("contacts.csv",
           {"--mapping", file("contacts.sdl").string(), "--journal", file("j.journal").string()});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--journal and --resume cannot be combined yet")) << r.err;
  r = load("contacts.csv", {"--column-delimiter", "tab", "--group-by", "Last"});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--group-by cannot be combined yet")) << r.err;
  // No output may overwrite the mapping file.
  r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
           file("contacts.csv").string(), "--mapping", file("contacts.sdl").string(), "--errors",
           file("contacts.sdl").string()});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--mapping")) << r.err;
  EXPECT_EQ(readFile(file("contacts.sdl")), kMapping);
  EXPECT_LE(queryRows("SELECT Id FROM Contact").size(), 1u);
}

}  // namespace
}  // namespace sfbulk::testing
