// The input encodings of `sfbulk load --encoding`.

#include "text_decoder.hpp"

#include <gtest/gtest.h>

#include <sfdc/bulk/error.hpp>

namespace sfbulk {
namespace {

using sfdc::bulk::InvalidArgument;

std::string errorOf(const std::string& encoding, const std::string& text = "") {
  try {
    TextDecoder(encoding).decode(text);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "no error";
}

TEST(TextDecoder, SingleByteEncodingsBecomeUtf8) {
  EXPECT_EQ(TextDecoder("ISO-8859-1").decode("Ren\xE9 M\xFCller"), "Ren\xC3\xA9 M\xC3\xBCller");
  EXPECT_EQ(TextDecoder("Windows-1252").decode("\x80 \x93ok\x94"),
            "\xE2\x82\xAC \xE2\x80\x9Cok\xE2\x80\x9D");
  EXPECT_EQ(TextDecoder("latin1").decode("plain ascii"), "plain ascii");
}

TEST(TextDecoder, Utf8PassesThrough) {
  const TextDecoder decoder("utf-8");
  EXPECT_TRUE(decoder.isUtf8());
  EXPECT_EQ(decoder.decode("Ren\xC3\xA9"), "Ren\xC3\xA9");
}

TEST(TextDecoder, ABytesThatIsNoCharacterIsNamed) {
  EXPECT_EQ(errorOf("Windows-1252", "ab\x81"),
            "byte 0x81 (at byte 3 of the cell) is not a Windows-1252 character");
}

TEST(TextDecoder, UnknownAndMultiByteEncodingsAreRefused) {
  EXPECT_EQ(errorOf("KLINGON-1"),
            "--encoding: unknown encoding 'KLINGON-1' (e.g. UTF-8, ISO-8859-1, Windows-1252, "
            "ISO-8859-15)");
  for (const char* encoding : {"UTF-16", "SHIFT_JIS", "EBCDIC-US"}) {
    SCOPED_TRACE(encoding);
    EXPECT_NE(errorOf(encoding).find("only UTF-8 and single-byte encodings"), std::string::npos)
        << errorOf(encoding);
  }
}

}  // namespace
}  // namespace sfbulk
