// Runs a parsed SOQL query against the stored records: name resolution, typed
// comparisons, ordering and LIMIT.

#include <algorithm>
#include <charconv>

#include "field_value.hpp"
#include "org_internal.hpp"
#include "salesforce_id.hpp"
#include "soql_lexer.hpp"
#include "soql_like.hpp"
#include "soql_parser.hpp"

namespace sfdc::emulator::detail {
namespace {

/// A selected or filtered field: on the queried object, or one relationship up.
struct Path {
  const ObjectStore* object = nullptr;  ///< owner of `field`
  int field = -1;
  int refField = -1;  ///< >= 0: reference field on the queried object leading to `object`
  FieldType type = FieldType::String;
  std::string spelled;
};

enum class Mode { Text, Exact, Number, Counter };
enum class Op { Eq, Ne, Lt, Le, Gt, Ge };

struct Pred {
  enum class Kind { And, Or, Not, Cmp, In, NotIn, Like };
  Kind kind = Kind::Cmp;
  std::vector<Pred> kids;
  std::size_t path = 0;
  Op op = Op::Eq;
  Mode mode = Mode::Text;
  bool nullLiteral = false;  ///< Cmp: compares with null; In/NotIn: the list holds null
  std::vector<std::string> texts;
  std::vector<double> numbers;
  std::uint64_t counter = 0;
  LikePattern like;
};

Op toOp(const std::string& op) {
  if (op == "=") return Op::Eq;
  if (op == "!=") return Op::Ne;
  if (op == "<") return Op::Lt;
  if (op == "<=") return Op::Le;
  if (op == ">") return Op::Gt;
  return Op::Ge;
}

bool applyOp(Op op, int c) {
  switch (op) {
    case Op::Eq:
      return c == 0;
    case Op::Ne:
      return c != 0;
    case Op::Lt:
      return c < 0;
    case Op::Le:
      return c <= 0;
    case Op::Gt:
      return c > 0;
    case Op::Ge:
      return c >= 0;
  }
  return false;
}

double toNumber(std::string_view s) {
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

[[noreturn]] void invalidField(const std::string& message, std::size_t column = 0) {
  throw SoqlError("INVALID_FIELD", message, column);
}

// [lo, hi) in days since the epoch for a date literal such as THIS_MONTH.
std::pair<std::int64_t, std::int64_t> dateRange(const Literal& l) {
  const std::int64_t t = nowMillis() / 86400000;
  const std::string today = formatDate(t);
  const int y = std::stoi(today.substr(0, 4));
  const int m = std::stoi(today.substr(5, 2));
  const auto month = [&](int delta) {
    const int index = y * 12 + (m - 1) + delta;
    const auto first = [](int i) {
      return daysFromCivil(i / 12, static_cast<unsigned>(i % 12 + 1), 1);
    };
    return std::make_pair(first(index), first(index + 1));
  };
  const auto year = [&](int delta) {
    return std::make_pair(daysFromCivil(y + delta, 1, 1), daysFromCivil(y + delta + 1, 1, 1));
  };
  const std::int64_t sunday = t - (t + 4) % 7;  // 1970-01-01 was a Thursday
  const std::string& f = l.text;
  if (f == "TODAY") return {t, t + 1};
  if (f == "YESTERDAY") return {t - 1, t};
  if (f == "TOMORROW") return {t + 1, t + 2};
  if (f == "LAST_WEEK") return {sunday - 7, sunday};
  if (f == "THIS_WEEK") return {sunday, sunday + 7};
  if (f == "NEXT_WEEK") return {sunday + 7, sunday + 14};
  if (f == "LAST_MONTH") return month(-1);
  if (f == "THIS_MONTH") return month(0);
  if (f == "NEXT_MONTH") return month(1);
  if (f == "LAST_YEAR") return year(-1);
  if (f == "THIS_YEAR") return year(0);
  if (f == "NEXT_YEAR") return year(1);
  if (f == "LAST_90_DAYS") return {t - 90, t + 1};
  if (f == "NEXT_90_DAYS") return {t + 1, t + 91};
  if (f == "LAST_N_DAYS") return {t - l.n, t + 1};
  return {t + 1, t + 1 + l.n};  // NEXT_N_DAYS
}

class Engine {
 public:
  Engine(const OrgState& state, const ObjectStore& base, const Query& q, bool includeDeleted)
      : state_(state), base_(base), query_(q), includeDeleted_(includeDeleted) {}

  /// The rows too, or only the columns (the query checked against the schema).
  QueryOutput run(bool withRows);

 private:
  /// The path a name spelled at `column` of the query (1-based) refers to.
  std::size_t resolve(const std::string& spelled, std::size_t column);
  bool get(const Path& p, const Record& r, std::string& buf, std::string_view& out) const;
  Pred compile(const Condition& c);
  void addValue(const Path& p, const Literal& l, Pred& pred) const;
  Pred compareRange(std::size_t path, Op op, const Literal& l) const;
  bool eval(const Pred& p, const Record& r) const;
  int compare(const Pred& p, std::string_view v, std::size_t i) const;

  const OrgState& state_;
  const ObjectStore& base_;
  const Query& query_;
  bool includeDeleted_;
  std::vector<Path> paths_;
  mutable std::string buf_;
};

std::size_t Engine::resolve(const std::string& spelled, std::size_t column) {
  std::string_view path = spelled;
  const auto dot = path.find('.');
  if (dot != std::string_view::npos) {
    const std::string_view head = path.substr(0, dot);
    const bool qualifier = (iequals(head, base_.def().name) ||
                            (!query_.alias.empty() && iequals(head, query_.alias))) &&
                           base_.referenceField(head) < 0;
    if (qualifier) path.remove_prefix(dot + 1);
  }
  Path p;
  p.spelled = std::string(path);
  p.object = &base_;
  const auto noSuchColumn = [&](const ObjectStore& o, std::string_view name) {
    // A compound address (BillingAddress: BillingStreet, BillingCity, …) exists but cannot
    // be selected in a bulk query [OBS ForceCLI #531, airbyte #8206].
    constexpr std::string_view kAddress = "Address";
    if (name.size() >= kAddress.size() &&
        iequals(name.substr(name.size() - kAddress.size()), kAddress)) {
      const std::string prefix(name.substr(0, name.size() - kAddress.size()));
      if (o.fieldIndex(prefix + "Street") >= 0 && o.fieldIndex(prefix + "City") >= 0) {
        throw SoqlError("FUNCTIONALITY_NOT_ENABLED",
                        "Selecting compound data not supported in Bulk Query", 0);
      }
    }
    invalidField("No such column '" + std::string(name) + "' on entity '" + o.def().name +
                     "'. If you are attempting to use a custom field, be sure to append the '__c' "
                     "after the custom field name. Please reference your WSDL or the describe call "
                     "for the appropriate names.",
                 column);
  };
  const auto split = path.find('.');
  if (split == std::string_view::npos) {
    p.field = base_.fieldIndex(path);
    if (p.field < 0) noSuchColumn(base_, path);
  } else {
    const std::string_view rel = path.substr(0, split);
    const std::string_view rest = path.substr(split + 1);
    p.refField = base_.referenceField(rel);
    const ObjectStore* parent =
        p.refField >= 0 ? state_.find(base_.field(p.refField).referenceTo) : nullptr;
    if (!parent) {
      invalidField(
          "Didn't understand relationship '" + std::string(rel) +
              "' in field path. If you are attempting to use a custom relationship, be sure "
              "to append the '__r' after the custom relationship name. Please reference "
              "your WSDL or the describe call for the appropriate names.",
          column);
    }
    if (rest.find('.') != std::string_view::npos) {
      malformedQuery("the emulator supports one level of parent relationship, not '" +
                     std::string(path) + "'");
    }
    p.object = parent;
    p.field = parent->fieldIndex(rest);
    if (p.field < 0) noSuchColumn(*parent, rest);
  }
  p.type = p.object->field(p.field).type;
  if (p.type == FieldType::Base64) {
    // [OBS CumulusCI #1662: a bulk query of Attachment.Body fails its batch so.]
    throw BatchFailure("FeatureNotEnabled : Binary field not supported");
  }
  for (std::size_t i = 0; i < paths_.size(); ++i) {
    if (paths_[i].object == p.object && paths_[i].field == p.field &&
        paths_[i].refField == p.refField) {
      return i;
    }
  }
  paths_.push_back(std::move(p));
  return paths_.size() - 1;
}

bool Engine::get(const Path& p, const Record& r, std::string& buf, std::string_view& out) const {
  if (p.refField < 0) return base_.fetch(r, p.field, buf, out);
  const auto ref = PackedFields::get(r.fields, p.refField);
  if (!ref) return false;
  const Record* parent = p.object->findById(*ref);
  if (!parent || (parent->deleted && !includeDeleted_)) return false;
  return p.object->fetch(*parent, p.field, buf, out);
}

void Engine::addValue(const Path& p, const Literal& l, Pred& pred) const {
  const std::string& name = p.spelled;
  const auto wrongType = [&](const char* type, bool quoted) {
    invalidField(
        "value of filter criterion for field '" + name + "' must be of type " + type +
        (quoted ? " and should be enclosed in quotes" : " and should not be enclosed in quotes"));
  };
  using K = Literal::Kind;
  if (l.kind == K::Null) {
    pred.nullLiteral = true;
    return;
  }
  if (isTextType(p.type)) {
    if (l.kind != K::String) wrongType("string", true);
    pred.mode = Mode::Text;
    pred.texts.push_back(l.text);
  } else if (isIdType(p.type)) {
    if (l.kind != K::String) wrongType("id", true);
    const auto id = normalizeId(l.text);
    if (!id) throw SoqlError("INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: " + l.text, 0);
    pred.mode = Mode::Exact;
    pred.texts.push_back(*id);
  } else if (p.type == FieldType::Boolean) {
    if (l.kind != K::Boolean) wrongType("boolean", false);
    pred.mode = Mode::Exact;
    pred.texts.push_back(l.text);
  } else if (isNumericType(p.type)) {
    if (l.kind != K::Number) wrongType(p.type == FieldType::Int ? "int" : "double", false);
    pred.mode = Mode::Number;
    pred.numbers.push_back(toNumber(l.text));
  } else if (p.type == FieldType::Date) {
    if (l.kind != K::Date) wrongType("date", false);
    const auto d = parseDate(l.text);
    if (!d) malformedQuery("invalid date: " + l.text);
    pred.mode = Mode::Exact;
    pred.texts.push_back(*d);
  } else {
    if (l.kind != K::DateTime) wrongType("dateTime", false);
    const auto dt = parseDateTime(l.text);
    if (!dt) malformedQuery("invalid dateTime: " + l.text);
    pred.mode = Mode::Exact;
    pred.texts.push_back(*dt);
  }
}

// A date literal names a range; comparisons with it become bounds on that range.
Pred Engine::compareRange(std::size_t path, Op op, const Literal& l) const {
  const Path& p = paths_[path];
  if (p.type != FieldType::Date && p.type != FieldType::DateTime) {
    invalidField("value of filter criterion for field '" + p.spelled +
                 "' must be a date or dateTime field to use " + l.text);
  }
  const auto [lo, hi] = dateRange(l);
  const auto bound = [&](Op o, std::int64_t day) {
    Pred b;
    b.path = path;
    b.op = o;
    b.mode = Mode::Exact;
    b.texts.push_back(p.type == FieldType::Date ? formatDate(day) : formatDateTime(day * 86400000));
    return b;
  };
  switch (op) {
    case Op::Lt:
      return bound(Op::Lt, lo);
    case Op::Le:
      return bound(Op::Lt, hi);
    case Op::Gt:
      return bound(Op::Ge, hi);
    case Op::Ge:
      return bound(Op::Ge, lo);
    default:
      break;
  }
  Pred within;
  within.kind = Pred::Kind::And;
  within.kids.push_back(bound(Op::Ge, lo));
  within.kids.push_back(bound(Op::Lt, hi));
  if (op == Op::Eq) return within;
  Pred outside;
  outside.kind = Pred::Kind::Not;
  outside.kids.push_back(std::move(within));
  return outside;
}

Pred Engine::compile(const Condition& c) {
  Pred p;
  switch (c.kind) {
    case Condition::Kind::And:
    case Condition::Kind::Or:
    case Condition::Kind::Not:
      p.kind = c.kind == Condition::Kind::And  ? Pred::Kind::And
               : c.kind == Condition::Kind::Or ? Pred::Kind::Or
                                               : Pred::Kind::Not;
      for (const Condition& child : c.children) p.kids.push_back(compile(child));
      return p;
    default:
      break;
  }
  p.path = resolve(c.field, c.column);
  const Path& path = paths_[p.path];
  if (c.kind == Condition::Kind::Like) {
    const Literal& l = c.values.front();
    if (!(isTextType(path.type) || isIdType(path.type))) {
      throw SoqlError(
          "INVALID_QUERY_FILTER_OPERATOR",
          "invalid operator on field '" + path.spelled + "': LIKE applies to text fields only",
          c.column);
    }
    if (l.kind != Literal::Kind::String) malformedQuery("LIKE needs a quoted pattern");
    p.kind = Pred::Kind::Like;
    p.like = compileLike(l.raw);
    return p;
  }
  if (c.kind == Condition::Kind::In || c.kind == Condition::Kind::NotIn) {
    p.kind = c.kind == Condition::Kind::In ? Pred::Kind::In : Pred::Kind::NotIn;
    for (const Literal& l : c.values) {
      if (l.kind == Literal::Kind::DateFunction) {
        malformedQuery("date literals such as " + l.text + " are not supported in IN lists");
      }
      addValue(path, l, p);
    }
    return p;
  }
  p.op = toOp(c.op);
  const Literal& l = c.values.front();
  if (l.kind == Literal::Kind::DateFunction) return compareRange(p.path, p.op, l);
  addValue(path, l, p);
  if (p.nullLiteral && p.op != Op::Eq && p.op != Op::Ne) {
    malformedQuery("null can only be compared with = or != (field '" + path.spelled + "')");
  }
  // Id ranges (PK chunking) compare counters instead of building an id per record.
  if (!p.nullLiteral && path.refField < 0 && base_.slot(path.field) == Slot::Id) {
    if (auto counter = idCounter(base_.def().keyPrefix, p.texts.front())) {
      p.mode = Mode::Counter;
      p.counter = *counter;
    }
  }
  return p;
}

int Engine::compare(const Pred& p, std::string_view v, std::size_t i) const {
  switch (p.mode) {
    case Mode::Text:
      return icompare(v, p.texts[i]);
    case Mode::Number: {
      const double d = toNumber(v);
      return d < p.numbers[i] ? -1 : (d > p.numbers[i] ? 1 : 0);
    }
    default: {
      const int c = v.compare(p.texts[i]);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
  }
}

bool Engine::eval(const Pred& p, const Record& r) const {
  switch (p.kind) {
    case Pred::Kind::And:
      for (const Pred& k : p.kids) {
        if (!eval(k, r)) return false;
      }
      return true;
    case Pred::Kind::Or:
      for (const Pred& k : p.kids) {
        if (eval(k, r)) return true;
      }
      return false;
    case Pred::Kind::Not:
      return !eval(p.kids.front(), r);
    default:
      break;
  }
  if (p.mode == Mode::Counter) {
    const int c = r.counter < p.counter ? -1 : (r.counter > p.counter ? 1 : 0);
    return applyOp(p.op, c);
  }
  std::string_view v;
  const bool present = get(paths_[p.path], r, buf_, v);
  switch (p.kind) {
    case Pred::Kind::Like:
      return present && matchLike(p.like, v);
    case Pred::Kind::In:
    case Pred::Kind::NotIn: {
      bool found = !present && p.nullLiteral;
      const std::size_t n = p.mode == Mode::Number ? p.numbers.size() : p.texts.size();
      for (std::size_t i = 0; present && !found && i < n; ++i) found = compare(p, v, i) == 0;
      return p.kind == Pred::Kind::In ? found : !found;
    }
    default:
      break;
  }
  if (p.nullLiteral) return (p.op == Op::Eq) != present;
  if (!present) return p.op == Op::Ne;
  return applyOp(p.op, compare(p, v, 0));
}

QueryOutput Engine::run(bool withRows) {
  QueryOutput out;
  out.object = base_.def().name;
  std::vector<std::size_t> selected;
  for (const SelectItem& item : query_.fields) {
    const std::size_t before = paths_.size();
    const std::size_t index = resolve(item.path, item.column);
    if (index < before && std::find(selected.begin(), selected.end(), index) != selected.end()) {
      malformedQuery("duplicate field selected: " + item.path);
    }
    selected.push_back(index);
    out.columns.push_back(paths_[index].spelled);
    out.types.push_back(paths_[index].type);
  }
  std::optional<Pred> where;
  if (query_.where) where = compile(*query_.where);
  struct SortKey {
    std::size_t path;
    bool descending;
    bool nullsLast;
  };
  std::vector<SortKey> keys;
  for (const OrderItem& item : query_.orderBy) {
    keys.push_back(
        {resolve(item.field, item.column), item.descending, item.nullsLast.value_or(false)});
  }

  if (!withRows) return out;

  const std::size_t limit =
      query_.limit ? static_cast<std::size_t>(*query_.limit) : static_cast<std::size_t>(-1);
  std::vector<const Record*> matched;
  for (const Record& r : base_.records()) {
    if (keys.empty() && matched.size() >= limit) break;  // records are already in Id order
    if (r.purged || (r.deleted && !includeDeleted_)) continue;
    if (where && !eval(*where, r)) continue;
    matched.push_back(&r);
  }

  if (!keys.empty()) {
    // Extract the sort values once; comparing through the packed records would decode
    // them O(n log n) times.
    const std::size_t n = matched.size();
    std::vector<Value> values(n * keys.size());
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t k = 0; k < keys.size(); ++k) {
        std::string_view v;
        if (get(paths_[keys[k].path], *matched[i], buf_, v))
          values[i * keys.size() + k] = std::string(v);
      }
    }
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      for (std::size_t k = 0; k < keys.size(); ++k) {
        const Value& x = values[a * keys.size() + k];
        const Value& y = values[b * keys.size() + k];
        if (!x && !y) continue;
        if (!x || !y) return keys[k].nullsLast ? static_cast<bool>(x) : !x;
        const FieldType t = paths_[keys[k].path].type;
        int c;
        if (isNumericType(t)) {
          const double dx = toNumber(*x), dy = toNumber(*y);
          c = dx < dy ? -1 : (dx > dy ? 1 : 0);
        } else if (isTextType(t)) {
          c = icompare(*x, *y);
        } else {
          c = x->compare(*y);
        }
        if (c != 0) return keys[k].descending ? c > 0 : c < 0;
      }
      return false;
    });
    std::vector<const Record*> sorted;
    sorted.reserve(std::min(n, limit));
    for (std::size_t i = 0; i < n && sorted.size() < limit; ++i)
      sorted.push_back(matched[order[i]]);
    matched.swap(sorted);
  }

  out.rows.reserve(matched.size());
  for (const Record* r : matched) {
    std::vector<Value> row;
    row.reserve(selected.size());
    for (std::size_t index : selected) {
      std::string_view v;
      if (get(paths_[index], *r, buf_, v)) {
        row.emplace_back(std::in_place, v);
      } else {
        row.emplace_back(std::nullopt);
      }
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace

QueryOutput runQuery(const OrgState& state, std::string_view soql, bool includeDeleted,
                     bool withRows) {
  const Query q = parseSoql(soql);
  const ObjectStore* base = state.find(q.object);
  if (!base) throw BatchFailure(unsupportedObjectMessage(q.object));
  return Engine(state, *base, q, includeDeleted).run(withRows);
}

}  // namespace sfdc::emulator::detail
