// JSON DML results read without a document: random results written in every spelling a
// server might use (field order, whitespace, null ids, errors as arrays or one object,
// booleans as strings or numbers, escapes) come back as they were written, mixed plain
// and general results keep their order, and a malformed body is still refused.

#include "codec/dml_results_json.hpp"

#include <gtest/gtest.h>

#include <random>
#include <sfdc/bulk/error.hpp>
#include <string>
#include <vector>

#include "codec/wire_codec.hpp"

namespace sfdc::bulk::detail {
namespace {

std::string quoted(const std::string& text, bool escape) {
  if (!escape) return "\"" + text + "\"";
  std::string out = "\"";
  for (const char c : text) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned char>(c));
    out += buffer;
  }
  return out + "\"";
}

std::string spaces(std::mt19937& random) {
  static const std::vector<std::string> choices = {"", "", "", " ", "\n  ", "\t", "\r\n"};
  return choices[std::uniform_int_distribution<std::size_t>(0, choices.size() - 1)(random)];
}

std::string boolean(bool value, std::mt19937& random) {
  switch (std::uniform_int_distribution<int>(0, 5)(random)) {
    case 0:
      return value ? "\"true\"" : "\"false\"";
    case 1:
      return value ? "1" : "0";
    default:
      return value ? "true" : "false";
  }
}

// One result as the server might write it, and what it means.
std::string writeResult(std::mt19937& random, std::size_t i, RecordResult& meaning) {
  auto chance = [&](int in) { return std::uniform_int_distribution<int>(0, in - 1)(random) == 0; };
  meaning = RecordResult{};
  meaning.success = !chance(5);
  meaning.created = meaning.success && !chance(4);
  std::vector<std::string> fields;
  if (meaning.success) {
    meaning.id = "003" + std::to_string(100000000000000ull + i);
    fields.push_back("\"id\":" + spaces(random) + quoted(meaning.id, chance(20)));
  } else {
    if (chance(2)) fields.push_back("\"id\":null");
    RecordError error;
    error.statusCode = "REQUIRED_FIELD_MISSING";
    error.message = "Required fields are missing: [LastName] \"quoted\"";
    error.fields = {"LastName"};
    meaning.errors.push_back(error);
    const std::string text =
        "{\"statusCode\":\"REQUIRED_FIELD_MISSING\",\"message\":"
        "\"Required fields are missing: [LastName] \\\"quoted\\\"\","
        "\"fields\":[\"LastName\"]}";
    fields.push_back("\"errors\":" + spaces(random) + (chance(3) ? text : "[" + text + "]"));
  }
  fields.push_back("\"success\":" + spaces(random) + boolean(meaning.success, random));
  fields.push_back("\"created\":" + boolean(meaning.created, random));
  if (meaning.success && !chance(4)) fields.push_back("\"errors\":[" + spaces(random) + "]");
  if (chance(30)) fields.push_back("\"extra\":{\"nested\":[1,2,{\"x\":\"]}\"}]}");
  std::shuffle(fields.begin(), fields.end(), random);
  std::string out = "{" + spaces(random);
  for (std::size_t f = 0; f < fields.size(); ++f) {
    if (f > 0) out += "," + spaces(random);
    out += fields[f];
  }
  return out + spaces(random) + "}";
}

void expectSame(const RecordResult& got, const RecordResult& want, std::size_t i) {
  EXPECT_EQ(got.id, want.id) << i;
  EXPECT_EQ(got.success, want.success) << i;
  EXPECT_EQ(got.created, want.created) << i;
  ASSERT_EQ(got.errors.size(), want.errors.size()) << i;
  for (std::size_t e = 0; e < got.errors.size(); ++e) {
    EXPECT_EQ(got.errors[e].statusCode, want.errors[e].statusCode) << i;
    EXPECT_EQ(got.errors[e].message, want.errors[e].message) << i;
    EXPECT_EQ(got.errors[e].fields, want.errors[e].fields) << i;
  }
}

TEST(DmlResultsJson, EverySpellingMeansWhatItSays) {
  std::mt19937 random(7);
  for (int body = 0; body < 50; ++body) {
    std::vector<RecordResult> meanings(std::uniform_int_distribution<std::size_t>(0, 300)(random));
    std::string text = "[" + spaces(random);
    for (std::size_t i = 0; i < meanings.size(); ++i) {
      if (i > 0) text += spaces(random) + "," + spaces(random);
      text += writeResult(random, i, meanings[i]);
    }
    text += spaces(random) + "]" + spaces(random);
    const std::vector<RecordResult> results = parseDmlResults(text);
    ASSERT_EQ(results.size(), meanings.size()) << text.substr(0, 200);
    for (std::size_t i = 0; i < results.size(); ++i) expectSame(results[i], meanings[i], i);
  }
}

TEST(DmlResultsJson, MalformedBodiesAreRefused) {
  for (const std::string body :
       {R"([{"success":true,"created":true,"id":"003A","errors":[]})",
        R"([{"success":true,"created":true,"id":"003A","errors":[]},])",
        R"([{"success":true,"created":true,"id":"003A","errors":[]}] x)",
        R"([{"success":tru,"created":true,"id":"003A","errors":[]}])",
        R"([{"success":true,"id":"003A})", R"([7])", R"({"success":true})"}) {
    EXPECT_THROW(parseDmlResults(body), ParseError) << body;
  }
}

TEST(DmlResultsJson, PlainResultsAreReadAsTheyAre) {
  const auto results =
      parseDmlResults(R"([{"success":true,"created":true,"id":"003000000000001AAA","errors":[]},)"
                      R"({"id":"003000000000002AAA","success":true,"created":false,"errors":[]}])");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].id, "003000000000001AAA");
  EXPECT_TRUE(results[0].created);
  EXPECT_EQ(results[1].id, "003000000000002AAA");
  EXPECT_TRUE(results[1].success);
  EXPECT_FALSE(results[1].created);
  EXPECT_TRUE(parseDmlResults("[]").empty());
  EXPECT_TRUE(parseDmlResults(" [ ] ").empty());
}

// The plain shape, as Salesforce's documentation and the emulator write it, is read by
// the scanner itself; only the result with errors needs the general parser.
TEST(DmlResultsJson, PlainResultsNeedNoDocument) {
  const std::string body =
      R"([{"success":true,"created":true,"id":"003000000000001AAA","errors":[]},)"
      R"({"success":false,"created":false,"id":null,"errors":[{"statusCode":"X",)"
      R"("message":"m","fields":[]}]}, {"success":true,"created":false,)"
      R"("id":"003000000000002AAA","errors":[]}])";
  std::vector<std::string> general;
  std::vector<RecordResult> results;
  ASSERT_TRUE(scanJsonDmlResults(
      body,
      [&](std::string_view item) {
        general.emplace_back(item);
        RecordResult failed;
        failed.id = "general";
        return failed;
      },
      results));
  ASSERT_EQ(results.size(), 3u);
  ASSERT_EQ(general.size(), 1u);
  EXPECT_EQ(general[0].front(), '{');
  EXPECT_EQ(general[0].back(), '}');
  EXPECT_EQ(results[1].id, "general");
  EXPECT_EQ(results[2].id, "003000000000002AAA");
  EXPECT_FALSE(results[2].created);
}

}  // namespace
}  // namespace sfdc::bulk::detail
