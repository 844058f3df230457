#include "text_decoder.hpp"

#include <iconv.h>

#include <cerrno>
#include <cstdio>
#include <sfdc/bulk/error.hpp>

namespace sfbulk {

namespace {

using sfdc::bulk::InvalidArgument;

std::string normalized(const std::string& name) {
  std::string out;
  for (const char c : name) {
    if (c == '-' || c == '_') continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

iconv_t handleOf(void* handle) { return static_cast<iconv_t>(handle); }

/// Converts one byte; false when it is no character on its own (invalid, or the start of
/// a multi-byte sequence).
bool convertByte(iconv_t cd, unsigned char byte, std::string& out) {
  iconv(cd, nullptr, nullptr, nullptr, nullptr);
  char in = static_cast<char>(byte);
  char buffer[16];
  char* inPtr = &in;
  std::size_t inLeft = 1;
  char* outPtr = buffer;
  std::size_t outLeft = sizeof buffer;
  if (iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == static_cast<std::size_t>(-1)) return false;
  out.assign(buffer, static_cast<std::size_t>(outPtr - buffer));
  return true;
}

}  // namespace

TextDecoder::TextDecoder(const std::string& encoding) : name_(encoding) {
  if (normalized(encoding) == "UTF8") return;
  iconv_t cd = iconv_open("UTF-8", encoding.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    throw InvalidArgument("--encoding: unknown encoding '" + encoding +
                          "' (e.g. UTF-8, ISO-8859-1, Windows-1252, ISO-8859-15)");
  }
  handle_ = cd;
  // Every ASCII byte must stand for itself, so that the CSV can be read before its cells
  // are converted; a byte that is only the start of a character means multi-byte.
  std::string out;
  for (int byte = 0; byte < 256; ++byte) {
    const bool converted = convertByte(cd, static_cast<unsigned char>(byte), out);
    const bool multiByte = !converted && errno == EINVAL;
    const bool notAscii =
        byte < 0x80 && (!converted || out != std::string(1, static_cast<char>(byte)));
    if (multiByte || notAscii) {
      iconv_close(cd);
      handle_ = nullptr;
      throw InvalidArgument("--encoding " + encoding +
                            ": only UTF-8 and single-byte encodings that write ASCII as "
                            "ASCII are supported (e.g. ISO-8859-1, Windows-1252)");
    }
  }
}

TextDecoder::~TextDecoder() {
  if (handle_ != nullptr) iconv_close(handleOf(handle_));
}

std::string TextDecoder::decode(std::string_view text) const {
  if (handle_ == nullptr) return std::string(text);
  bool ascii = true;
  for (const char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return std::string(text);
  iconv_t cd = handleOf(handle_);
  iconv(cd, nullptr, nullptr, nullptr, nullptr);
  std::string out(text.size() * 4 + 16, '\0');
  char* inPtr = const_cast<char*>(text.data());
  std::size_t inLeft = text.size();
  char* outPtr = out.data();
  std::size_t outLeft = out.size();
  if (iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == static_cast<std::size_t>(-1)) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(*inPtr));
    throw InvalidArgument("byte " + std::string(byte) + " (at byte " +
                          std::to_string(inPtr - text.data() + 1) + " of the cell) is not a " +
                          name_ + " character");
  }
  out.resize(out.size() - outLeft);
  return out;
}

}  // namespace sfbulk
