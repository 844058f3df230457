#include "soql_like.hpp"

namespace sfdc::emulator::detail {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Bytes of the UTF-8 sequence starting at `pos`, so `_` matches one character.
std::size_t charLength(std::string_view s, std::size_t pos) {
  std::size_t n = 1;
  while (pos + n < s.size() && (static_cast<unsigned char>(s[pos + n]) & 0xC0) == 0x80) ++n;
  return n;
}

}  // namespace

LikePattern compileLike(std::string_view raw) {
  LikePattern out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    LikeToken t;
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      c = raw[++i];
      switch (c) {
        case 'n':
          c = '\n';
          break;
        case 'r':
          c = '\r';
          break;
        case 't':
          c = '\t';
          break;
        case 'b':
          c = '\b';
          break;
        case 'f':
          c = '\f';
          break;
        default:
          break;  // \% \_ \' \\ stand for themselves
      }
    } else if (c == '%') {
      t.kind = LikeToken::Kind::Any;
    } else if (c == '_') {
      t.kind = LikeToken::Kind::One;
    }
    t.c = lower(c);
    out.push_back(t);
  }
  return out;
}

bool matchLike(const LikePattern& p, std::string_view v) {
  // Iterative wildcard matching: on a mismatch, retry from the last `%` with one more
  // character consumed by it. Linear for the usual 'abc%' and '%abc%' patterns.
  std::size_t pi = 0, vi = 0;
  std::size_t starP = std::string_view::npos, starV = 0;
  while (vi < v.size()) {
    if (pi < p.size() && p[pi].kind == LikeToken::Kind::Any) {
      starP = pi++;
      starV = vi;
    } else if (pi < p.size() && p[pi].kind == LikeToken::Kind::One) {
      ++pi;
      vi += charLength(v, vi);
    } else if (pi < p.size() && p[pi].c == lower(v[vi])) {
      ++pi;
      ++vi;
    } else if (starP != std::string_view::npos) {
      pi = starP + 1;
      starV += charLength(v, starV);
      vi = starV;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi].kind == LikeToken::Kind::Any) ++pi;
  return pi == p.size();
}

}  // namespace sfdc::emulator::detail
