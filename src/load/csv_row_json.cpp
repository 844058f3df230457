#include "csv_row_json.hpp"

#include <algorithm>
#include <cstdio>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <unordered_set>

#include "record_sources.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sfdc::bulk::detail::load {

namespace {

// Length of the well-formed UTF-8 sequence at `p` (whose lead byte is 0x80 or above),
// or 0 when it is not one: the table of well-formed sequences in the Unicode standard
// (no overlong forms, no surrogates, nothing above U+10FFFF), which is what
// nlohmann::json's strict dump accepts.
std::size_t utf8Sequence(const unsigned char* p, const unsigned char* end) noexcept {
  const unsigned lead = p[0];
  std::size_t length = 0;
  unsigned low = 0x80, high = 0xBF;  // the second byte's range
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead == 0xE0) {
    length = 3;
    low = 0xA0;
  } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
    length = 3;
  } else if (lead == 0xED) {
    length = 3;
    high = 0x9F;
  } else if (lead == 0xF0) {
    length = 4;
    low = 0x90;
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    length = 4;
  } else if (lead == 0xF4) {
    length = 4;
    high = 0x8F;
  } else {
    return 0;
  }
  if (static_cast<std::size_t>(end - p) < length || p[1] < low || p[1] > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
  }
  return length;
}

// The first byte at or after `p` that a JSON string cannot hold as it is: a control
// character, a quote, a backslash, or a byte of a multi-byte UTF-8 sequence (to be
// validated). Sixteen bytes at a time: a signed compare with 0x20 catches both the
// control characters and every byte of 0x80 and above.
const char* findSpecial(const char* p, const char* end) noexcept {
#if defined(__SSE2__) && defined(__GNUC__)
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; end - p >= 16; p += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits =
        _mm_or_si128(_mm_cmplt_epi8(block, space),
                     _mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash)));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) return p + __builtin_ctz(mask);
  }
#endif
  for (; p < end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return p;
  }
  return end;
}

void appendEscape(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out.append("\\\"");
      break;
    case '\\':
      out.append("\\\\");
      break;
    case '\b':
      out.append("\\b");
      break;
    case '\f':
      out.append("\\f");
      break;
    case '\n':
      out.append("\\n");
      break;
    case '\r':
      out.append("\\r");
      break;
    case '\t':
      out.append("\\t");
      break;
    default: {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out.append(escaped);
    }
  }
}

}  // namespace

bool appendJsonString(std::string& out, const char* value, std::size_t size) {
  out.push_back('"');
  const char* p = value;
  const char* const end = value + size;
  for (;;) {
    const char* special = findSpecial(p, end);
    out.append(p, static_cast<std::size_t>(special - p));
    if (special == end) break;
    const auto c = static_cast<unsigned char>(*special);
    if (c >= 0x80) {
      const std::size_t length = utf8Sequence(reinterpret_cast<const unsigned char*>(special),
                                              reinterpret_cast<const unsigned char*>(end));
      if (length == 0) return false;
      out.append(special, length);
      p = special + length;
    } else {
      appendEscape(out, c);
      p = special + 1;
    }
  }
  out.push_back('"');
  return true;
}

bool CsvRowJson::handles(const std::vector<std::string>& header) {
  std::unordered_set<std::string> seen;
  std::string scratch;
  for (const std::string& name : header) {
    if (name.find('.') != std::string::npos) return false;
    if (!seen.insert(name).second) return false;
    if (!appendJsonString(scratch, name.data(), name.size())) return false;
  }
  return true;
}

CsvRowJson::CsvRowJson(const std::vector<std::string>& header) : header_(header) {
  std::vector<std::size_t> order(header.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  // A JSON object's fields come out in its map's order: by name, as bytes.
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return header[a] < header[b]; });
  for (const std::size_t cell : order) {
    std::string key;
    appendJsonString(key, header[cell].data(), header[cell].size());
    key.push_back(':');
    columns_.push_back({cell, std::move(key)});
  }
}

void CsvRowJson::append(const std::vector<std::string>& fields, std::size_t index,
                        std::string& out) const {
  const std::size_t size = out.size();
  out.push_back('{');
  bool first = true;
  for (const Column& column : columns_) {
    const std::string& cell = fields[column.cell];
    if (cell.empty()) continue;  // "leave unchanged": not in the record
    if (!first) out.push_back(',');
    first = false;
    out.append(column.key);
    if (cell == kCsvNull) {
      out.append("null");
    } else if (!appendJsonString(out, cell.data(), cell.size())) {
      // Not UTF-8: the general path says so in JsonSerializer's words (and would write
      // the record, should it think otherwise of the bytes).
      out.resize(size);
      JsonSerializer general;
      general.appendRecord(csvRowToRecord(header_, fields), index, out);
      return;
    }
  }
  out.push_back('}');
}

}  // namespace sfdc::bulk::detail::load
