// The .sdl parser of `sfbulk load --mapping`: Data Loader's syntax (Java properties).

#include "sdl_mapping.hpp"

#include <gtest/gtest.h>

#include <sfdc/bulk/error.hpp>

namespace sfbulk {
namespace {

using sfdc::bulk::InvalidArgument;

std::string errorOf(const std::string& text) {
  try {
    parseSdlMapping(text, "map.sdl");
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "no error";
}

TEST(SdlMapping, ReadsEveryFeatureOfDataLoadersSyntax) {
  const SdlMapping mapping = parseSdlMapping(
      "\xEF\xBB\xBF#Mapping values\r\n"
      "#Mon May 17 10:23:18 IST 2026\r\n"
      "! another comment\n"
      "\n"
      "LAST=LastName\n"
      "  Phone = Phone, MobilePhone\n"
      "\"Canada\"=MailingCountry\n"
      "Account\\ Name=Department\n"
      "Fax=\n"
      "Long=Descrip\\\n"
      "    tion\n"
      "Caf\\u00e9:Title\n",
      "map.sdl");
  ASSERT_EQ(mapping.entries.size(), 7u);
  EXPECT_EQ(mapping.entries[0].column, "LAST");
  EXPECT_EQ(mapping.entries[0].fields, std::vector<std::string>{"LastName"});
  EXPECT_EQ(mapping.entries[0].line, 5u);
  EXPECT_EQ(mapping.entries[1].column, "Phone");
  EXPECT_EQ(mapping.entries[1].fields, (std::vector<std::string>{"Phone", "MobilePhone"}));
  EXPECT_TRUE(mapping.entries[2].column.empty());
  ASSERT_TRUE(mapping.entries[2].constant);
  EXPECT_EQ(*mapping.entries[2].constant, "Canada");
  EXPECT_EQ(mapping.entries[2].fields, std::vector<std::string>{"MailingCountry"});
  EXPECT_EQ(mapping.entries[3].column, "Account Name");
  EXPECT_EQ(mapping.entries[4].column, "Fax");
  EXPECT_TRUE(mapping.entries[4].fields.empty());
  EXPECT_EQ(mapping.entries[5].fields, std::vector<std::string>{"Description"});
  EXPECT_EQ(mapping.entries[6].column, "Caf\xC3\xA9");
  EXPECT_EQ(mapping.entries[6].fields, std::vector<std::string>{"Title"});
}

TEST(SdlMapping, AConstantMayFillSeveralFieldsAndHoldSpaces) {
  const SdlMapping mapping = parseSdlMapping("\"New York\"=MailingCity, OtherCity\n", "m");
  ASSERT_EQ(mapping.entries.size(), 1u);
  EXPECT_EQ(*mapping.entries[0].constant, "New York");
  EXPECT_EQ(mapping.entries[0].fields, (std::vector<std::string>{"MailingCity", "OtherCity"}));
}

TEST(SdlMapping, MistakesAreNamedWithTheirLine) {
  EXPECT_EQ(errorOf("# c\nLastName\n"),
            "map.sdl line 2: expected CSV_COLUMN=SalesforceField, got 'LastName'");
  EXPECT_EQ(errorOf("A=X\na=Y\n"),
            "map.sdl line 2: the column 'a' is already mapped on line 1 (give all its fields "
            "on one line: Column=Field1, Field2)");
  EXPECT_EQ(errorOf("A=LastName\nB=lastname\n"),
            "map.sdl line 2: the Salesforce field 'lastname' is already filled on line 1");
  EXPECT_EQ(errorOf("\"x\"=\n"), "map.sdl line 1: the constant \"x\" is given no Salesforce field");
  EXPECT_EQ(errorOf("=LastName\n"),
            "map.sdl line 1: no CSV column before '=' (a constant goes in double quotes: "
            "\"value\"=Field)");
  EXPECT_EQ(errorOf("A=\\u00\n"), "map.sdl line 1: a \\u escape needs four hex digits");
  EXPECT_EQ(errorOf("# only comments\n\n"),
            "map.sdl: the mapping file maps no column (expected CSV_COLUMN=SalesforceField "
            "lines)");
}

TEST(SdlMapping, AMissingFileIsAFileError) {
  EXPECT_THROW(readSdlMapping("/nonexistent/map.sdl"), sfdc::bulk::FileError);
}

}  // namespace
}  // namespace sfbulk
