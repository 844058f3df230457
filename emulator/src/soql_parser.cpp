#include "soql_parser.hpp"

#include <cstdlib>
#include <string>

#include "field_value.hpp"
#include "soql_lexer.hpp"

namespace sfdc::emulator::detail {
namespace {

constexpr const char* kDateFunctions[] = {
    "TODAY",        "YESTERDAY",    "TOMORROW",    "LAST_WEEK",  "THIS_WEEK", "NEXT_WEEK",
    "LAST_MONTH",   "THIS_MONTH",   "NEXT_MONTH",  "LAST_YEAR",  "THIS_YEAR", "NEXT_YEAR",
    "LAST_90_DAYS", "NEXT_90_DAYS", "LAST_N_DAYS", "NEXT_N_DAYS"};

// Deepest nesting of parentheses and NOTs in a WHERE clause. The parser and the
// evaluator recurse once per level, so a hostile query must not choose the depth.
constexpr int kMaxConditionDepth = 100;

constexpr const char* kClauseKeywords[] = {"WHERE",  "ORDER", "LIMIT", "GROUP", "HAVING",
                                           "OFFSET", "WITH",  "FOR",   "USING", "UPDATE"};

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Query parse() {
    Query q;
    expectKeyword("SELECT");
    parseSelectList(q);
    expectKeyword("FROM");
    const Token& object = next();
    if (object.kind != TokenKind::Identifier) unexpected(object);
    q.object = object.text;
    if (peek().kind == TokenKind::Identifier && !isClauseKeyword(peek().text))
      q.alias = next().text;
    if (peek().kind == TokenKind::LParen || peek().kind == TokenKind::Comma) {
      malformedQuery(
          "only one object can be queried at a time; semi-joins and child "
          "relationship queries are not supported by the Bulk API");
    }
    if (isKeyword("USING")) malformedQuery("USING SCOPE is not supported by the Bulk API");
    if (acceptKeyword("WHERE")) q.where = parseOr();
    if (isKeyword("WITH")) malformedQuery("WITH clauses are not supported by the Bulk API");
    if (isKeyword("GROUP")) malformedQuery("GROUP BY is not supported by the Bulk API");
    if (isKeyword("HAVING")) malformedQuery("HAVING is not supported by the Bulk API");
    if (acceptKeyword("ORDER")) {
      expectKeyword("BY");
      do {
        q.orderBy.push_back(parseOrderItem());
      } while (accept(TokenKind::Comma));
    }
    if (acceptKeyword("LIMIT")) {
      const Token& n = next();
      char* end = nullptr;
      const long long v = std::strtoll(n.text.c_str(), &end, 10);
      if (n.kind != TokenKind::Number || *end != '\0' || v < 0) unexpected(n);
      q.limit = v;
    }
    if (isKeyword("OFFSET")) malformedQuery("OFFSET is not supported by the Bulk API");
    if (isKeyword("FOR"))
      malformedQuery("FOR VIEW/REFERENCE/UPDATE is not supported by the Bulk API");
    if (peek().kind != TokenKind::End) unexpected(peek());
    return q;
  }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    const std::size_t i = pos_ + ahead;
    return tokens_[i < tokens_.size() ? i : tokens_.size() - 1];
  }
  const Token& next() {
    const Token& t = peek();
    if (pos_ < tokens_.size() - 1) ++pos_;
    return t;
  }
  bool accept(TokenKind kind) {
    if (peek().kind != kind) return false;
    next();
    return true;
  }
  bool isKeyword(const char* word, std::size_t ahead = 0) const {
    return peek(ahead).kind == TokenKind::Identifier && iequals(peek(ahead).text, word);
  }
  bool acceptKeyword(const char* word) {
    if (!isKeyword(word)) return false;
    next();
    return true;
  }
  void expectKeyword(const char* word) {
    if (!acceptKeyword(word)) unexpected(peek(), std::string(" (expected ") + word + ")");
  }
  static bool isClauseKeyword(const std::string& word) {
    for (const char* k : kClauseKeywords) {
      if (iequals(word, k)) return true;
    }
    return false;
  }
  [[noreturn]] static void unexpected(const Token& t, const std::string& hint = "") {
    if (t.kind == TokenKind::End) malformedQuery("unexpected end of query" + hint);
    const std::string shown = t.kind == TokenKind::String ? "'" + t.raw + "'" : t.text;
    malformedQuery("unexpected token: " + shown + hint, t.column);
  }

  void parseSelectList(Query& q) {
    do {
      if (peek().kind == TokenKind::LParen) {
        malformedQuery("child relationship subqueries are not supported by the Bulk API");
      }
      const Token& t = next();
      if (t.kind != TokenKind::Identifier) unexpected(t);
      if (iequals(t.text, "TYPEOF")) malformedQuery("TYPEOF is not supported by the Bulk API");
      if (peek().kind == TokenKind::LParen) {
        const std::string fn = toLower(t.text);
        if (fn == "count" || fn == "count_distinct" || fn == "sum" || fn == "avg" || fn == "min" ||
            fn == "max") {
          malformedQuery("Aggregate queries are not supported by the Bulk API: " + t.text + "()");
        }
        if (fn == "fields") malformedQuery("FIELDS() is not supported by the Bulk API");
        malformedQuery("function " + t.text + "() is not supported by the emulator");
      }
      q.fields.push_back({t.text, t.column});
    } while (accept(TokenKind::Comma));
  }

  OrderItem parseOrderItem() {
    const Token& t = next();
    if (t.kind != TokenKind::Identifier || isClauseKeyword(t.text)) unexpected(t);
    OrderItem item;
    item.field = t.text;
    item.column = t.column;
    if (acceptKeyword("DESC")) {
      item.descending = true;
    } else {
      acceptKeyword("ASC");
    }
    if (acceptKeyword("NULLS")) {
      if (acceptKeyword("LAST")) {
        item.nullsLast = true;
      } else {
        expectKeyword("FIRST");
        item.nullsLast = false;
      }
    }
    return item;
  }

  // SOQL, unlike SQL, rejects AND and OR mixed at one level without parentheses.
  Condition parseOr() {
    Condition first = parseUnary();
    if (!isKeyword("AND") && !isKeyword("OR")) return first;
    const bool isAnd = isKeyword("AND");
    Condition group;
    group.kind = isAnd ? Condition::Kind::And : Condition::Kind::Or;
    group.children.push_back(std::move(first));
    while (acceptKeyword(isAnd ? "AND" : "OR")) group.children.push_back(parseUnary());
    if (isKeyword(isAnd ? "OR" : "AND")) {
      unexpected(peek(), " (use parentheses when mixing AND and OR)");
    }
    return group;
  }

  Condition parseUnary() {
    // Counts the levels open on the way down; every level closes on the way back up
    // (an error unwinds the whole parse).
    if (++depth_ > kMaxConditionDepth) {
      malformedQuery("conditions nested deeper than " + std::to_string(kMaxConditionDepth) +
                     " levels (parentheses and NOT)");
    }
    Condition c = parseUnaryLevel();
    --depth_;
    return c;
  }

  Condition parseUnaryLevel() {
    if (acceptKeyword("NOT")) {
      Condition c;
      c.kind = Condition::Kind::Not;
      c.children.push_back(parseUnary());
      return c;
    }
    if (accept(TokenKind::LParen)) {
      Condition inner = parseOr();
      if (!accept(TokenKind::RParen)) unexpected(peek(), " (expected ')')");
      return inner;
    }
    return parseComparison();
  }

  Condition parseComparison() {
    const Token& f = next();
    if (f.kind != TokenKind::Identifier) unexpected(f);
    if (peek().kind == TokenKind::LParen) {
      malformedQuery("function " + f.text + "() in WHERE is not supported by the emulator");
    }
    Condition c;
    c.field = f.text;
    c.column = f.column;
    if (peek().kind == TokenKind::Operator) {
      c.kind = Condition::Kind::Compare;
      c.op = next().text;
      c.values.push_back(parseLiteral());
    } else if (acceptKeyword("LIKE")) {
      c.kind = Condition::Kind::Like;
      c.values.push_back(parseLiteral());
    } else if (isKeyword("IN") || (isKeyword("NOT") && isKeyword("IN", 1))) {
      c.kind = acceptKeyword("NOT") ? Condition::Kind::NotIn : Condition::Kind::In;
      expectKeyword("IN");
      if (!accept(TokenKind::LParen)) unexpected(peek(), " (expected '(')");
      if (isKeyword("SELECT"))
        malformedQuery("semi-join subqueries are not supported by the emulator");
      do {
        c.values.push_back(parseLiteral());
      } while (accept(TokenKind::Comma));
      if (!accept(TokenKind::RParen)) unexpected(peek(), " (expected ')')");
    } else if (isKeyword("INCLUDES") || isKeyword("EXCLUDES")) {
      malformedQuery(
          "INCLUDES/EXCLUDES (multi-select picklists) are not supported by the emulator");
    } else {
      unexpected(peek());
    }
    return c;
  }

  Literal parseLiteral() {
    const Token& t = next();
    Literal l;
    switch (t.kind) {
      case TokenKind::String:
        l.kind = Literal::Kind::String;
        l.text = t.text;
        l.raw = t.raw;
        return l;
      case TokenKind::Number:
        l.kind = Literal::Kind::Number;
        l.text = t.text;
        return l;
      case TokenKind::Date:
        l.kind = Literal::Kind::Date;
        l.text = t.text;
        return l;
      case TokenKind::DateTime:
        l.kind = Literal::Kind::DateTime;
        l.text = t.text;
        return l;
      case TokenKind::Identifier:
        break;
      default:
        unexpected(t);
    }
    if (iequals(t.text, "null")) return l;
    if (iequals(t.text, "true") || iequals(t.text, "false")) {
      l.kind = Literal::Kind::Boolean;
      l.text = toLower(t.text);
      return l;
    }
    for (const char* fn : kDateFunctions) {
      if (!iequals(t.text, fn)) continue;
      l.kind = Literal::Kind::DateFunction;
      l.text = fn;
      if (l.text == "LAST_N_DAYS" || l.text == "NEXT_N_DAYS") {
        if (!accept(TokenKind::Colon)) unexpected(peek(), " (expected ':n')");
        const Token& n = next();
        char* end = nullptr;
        l.n = std::strtoll(n.text.c_str(), &end, 10);
        if (n.kind != TokenKind::Number || *end != '\0' || l.n < 0) unexpected(n);
      }
      return l;
    }
    unexpected(t);
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;  // parseUnary levels open
};

}  // namespace

Query parseSoql(std::string_view soql) { return Parser(lexSoql(soql)).parse(); }

}  // namespace sfdc::emulator::detail
