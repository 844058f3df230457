#pragma once

// Syntax tree of the SOQL subset: SELECT paths FROM object [alias] [WHERE …]
// [ORDER BY …] [LIMIT n]. Names are not checked here; soql_eval resolves them.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::emulator::detail {

struct Literal {
  enum class Kind { Null, String, Number, Boolean, Date, DateTime, DateFunction };
  Kind kind = Kind::Null;
  std::string text;  ///< value (strings unescaped); DateFunction: upper-cased name
  std::string raw;   ///< strings as written, for LIKE's \% and \_
  long long n = 0;   ///< DateFunction: the N of LAST_N_DAYS:N
};

struct Condition {
  enum class Kind { And, Or, Not, Compare, In, NotIn, Like };
  Kind kind = Kind::Compare;
  std::vector<Condition> children;  ///< And, Or, Not
  std::string field;
  std::size_t column = 0;
  std::string op;               ///< Compare: = != < <= > >=
  std::vector<Literal> values;  ///< Compare/Like: one; In/NotIn: the list
};

struct OrderItem {
  std::string field;
  std::size_t column = 0;
  bool descending = false;
  std::optional<bool> nullsLast;  ///< unset: Salesforce's default, nulls first
};

struct SelectItem {
  std::string path;
  std::size_t column = 0;
};

struct Query {
  std::vector<SelectItem> fields;
  std::string object;
  std::string alias;
  std::optional<Condition> where;
  std::vector<OrderItem> orderBy;
  std::optional<long long> limit;
};

/// Parses a query; throws BatchFailure("MALFORMED_QUERY : …") for syntax errors and for
/// clauses the Bulk API does not run (GROUP BY, aggregates, OFFSET, TYPEOF, subqueries).
Query parseSoql(std::string_view soql);

}  // namespace sfdc::emulator::detail
