// XML batch bodies are declared UTF-8 and XML 1.0: text that is neither is refused with
// InvalidArgument naming the record and the field, before anything is sent, as the JSON
// serializer refuses invalid UTF-8.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <string>

namespace sfdc::bulk {
namespace {

using nlohmann::json;

// The message of the InvalidArgument thrown for a one-field record, or a note that none came.
std::string refusal(const std::string& field, const std::string& value) {
  XmlSerializer serializer;
  std::string out;
  serializer.beginBatch(out);
  json record = json::object();
  record[field] = value;
  const std::string before = out;
  try {
    serializer.appendRecord(record, 7, out);
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(out, before) << "a refused record leaves the body untouched";
    return e.what();
  }
  return "<accepted>";
}

TEST(SerializerXmlText, InvalidUtf8IsRefusedNamingTheField) {
  for (const std::string& bad : {std::string("abc\xff"), std::string("\xc3"),  // truncated
                                 std::string("\xc0\xaf"),                      // overlong '/'
                                 std::string("\xe0\x80\xaf"),                  // overlong
                                 std::string("\xed\xa0\x80"),                  // surrogate U+D800
                                 std::string("\xf4\x90\x80\x80"),              // above U+10FFFF
                                 std::string("x\x80y")}) {
    const std::string message = refusal("Name", bad);
    EXPECT_NE(message.find("record 7, field 'Name': value: invalid UTF-8 at byte"),
              std::string::npos)
        << message;
  }
  EXPECT_NE(refusal("Name", "abc\xff").find("at byte 4"), std::string::npos);
}

TEST(SerializerXmlText, CharactersXmlForbidsAreRefused) {
  EXPECT_NE(refusal("Name", std::string("a\x01") + "b").find("control character not allowed"),
            std::string::npos);
  EXPECT_NE(refusal("Name", std::string("a\0b", 3)).find("control character not allowed"),
            std::string::npos);
  EXPECT_NE(refusal("Name", "\xef\xbf\xbe").find("character not allowed in XML"),  // U+FFFE
            std::string::npos);
  EXPECT_NE(refusal("Name", "\xef\xbf\xbf").find("character not allowed in XML"),  // U+FFFF
            std::string::npos);
}

TEST(SerializerXmlText, InvalidUtf8InAFieldNameIsRefused) {
  const std::string message = refusal("Na\xffme", "x");
  EXPECT_NE(message.find("record 7"), std::string::npos) << message;
  EXPECT_NE(message.find("invalid UTF-8"), std::string::npos) << message;
}

TEST(SerializerXmlText, ValidTextOfEveryWidthIsWritten) {
  // Tab, LF, CR, 2-, 3- and 4-byte characters, U+FFFD and U+10FFFF.
  const std::string value = "a\tb\nc\rd Zoë 東京 🚀 \xef\xbf\xbd \xf4\x8f\xbf\xbf";
  EXPECT_EQ(refusal("Name", value), "<accepted>");
  EXPECT_EQ(refusal("Ünïcode_Name", "x"), "<accepted>");
}

TEST(SerializerXmlText, PolymorphicTypeIsCheckedToo) {
  const json records = json::parse(R"([{"Who":{"attributes":{"type":"Lead"},"Email":"a@x"}}])");
  EXPECT_NO_THROW(serializeRecords(records, ContentType::XML));
  json bad = records;
  bad[0]["Who"]["attributes"]["type"] = std::string(
      "Le\xff"
      "ad");
  try {
    serializeRecords(bad, ContentType::XML);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("field 'Who': attributes.type: invalid UTF-8"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace sfdc::bulk
