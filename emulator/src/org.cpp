#include "org.hpp"

#include <algorithm>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include "field_value.hpp"
#include "org_internal.hpp"
#include "org_state.hpp"
#include "salesforce_id.hpp"
#include "schema.hpp"

namespace sfdc::emulator {

struct Org::State {
  detail::OrgState org;
};

const FieldDef* ObjectDef::field(std::string_view fieldName) const {
  for (const FieldDef& f : fields) {
    if (detail::iequals(f.name, fieldName)) return &f;
  }
  return nullptr;
}

Org::Org() : state_(std::make_unique<State>()) {
  for (ObjectDef& def : detail::standardObjects()) state_->org.put(std::move(def), false);
  state_->org.defaultOwnerId = detail::makeId("005", 1);
}

Org::~Org() = default;

namespace {

// Custom objects get prefixes a00, a01, ... like a fresh org's first custom objects.
std::string nextFreePrefix(const std::set<std::string>& used) {
  static constexpr std::string_view kDigits =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (char second : kDigits) {
    for (char third : kDigits) {
      std::string p{'a', second, third};
      if (!used.count(p)) return p;
    }
  }
  throw std::invalid_argument("schema: no free key prefix left");
}

}  // namespace

void Org::loadSchemaJson(std::string_view json) {
  std::vector<detail::SchemaObject> objects = detail::parseSchemaJson(json);
  std::unique_lock lock(mutex_);
  detail::OrgState& org = state_->org;

  // Validate the whole document against the org before changing anything, so that a
  // bad document leaves the org as it was.
  std::map<std::string, std::string> prefixOwner;  // prefix -> lower-cased object name
  std::set<std::string> names;
  for (const auto& s : org.stores) {
    prefixOwner[s->def().keyPrefix] = detail::toLower(s->def().name);
    names.insert(detail::toLower(s->def().name));
  }
  for (detail::SchemaObject& so : objects) {
    const std::string key = detail::toLower(so.def.name);
    const detail::ObjectStore* existing = org.find(so.def.name);
    if (so.extend) {
      if (!existing) {
        throw std::invalid_argument("schema: object '" + so.def.name +
                                    "': 'extend' needs an existing object");
      }
      ObjectDef merged = existing->def();
      for (FieldDef& f : so.def.fields) {
        if (merged.field(f.name)) {
          throw std::invalid_argument("schema: object '" + so.def.name + "': field '" + f.name +
                                      "' already exists");
        }
        merged.fields.push_back(std::move(f));
      }
      so.def = std::move(merged);
    } else if (so.def.keyPrefix.empty()) {
      if (existing) {
        so.def.keyPrefix = existing->def().keyPrefix;
      } else {
        std::set<std::string> used;
        for (const auto& [p, owner] : prefixOwner) used.insert(p);
        so.def.keyPrefix = nextFreePrefix(used);
      }
    }
    const auto owner = prefixOwner.find(so.def.keyPrefix);
    if (owner != prefixOwner.end() && owner->second != key) {
      throw std::invalid_argument("schema: object '" + so.def.name + "': key prefix '" +
                                  so.def.keyPrefix + "' is already used by " + owner->second);
    }
    prefixOwner[so.def.keyPrefix] = key;
    names.insert(key);
  }
  for (const detail::SchemaObject& so : objects) {
    for (const FieldDef& f : so.def.fields) {
      if (f.type == FieldType::Reference && !names.count(detail::toLower(f.referenceTo)) &&
          detail::knownPrefix(f.referenceTo).empty()) {
        throw std::invalid_argument("schema: object '" + so.def.name + "' field '" + f.name +
                                    "': unknown referenceTo object '" + f.referenceTo + "'");
      }
    }
  }
  for (detail::SchemaObject& so : objects) org.put(std::move(so.def), so.extend);
}

void Org::loadSchemaFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("schema: cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  loadSchemaJson(text.str());
}

const ObjectDef* Org::object(std::string_view name) const {
  std::shared_lock lock(mutex_);
  const detail::ObjectStore* store = state_->org.find(name);
  return store ? &store->def() : nullptr;
}

std::vector<DmlResult> Org::applyDml(std::string_view operation, std::string_view object,
                                     const std::vector<InputRecord>& records,
                                     std::string_view externalIdField, double lockFailureShare) {
  std::unique_lock lock(mutex_);
  return detail::applyDml(state_->org, operation, object, records, externalIdField,
                          lockFailureShare);
}

void Org::checkDml(std::string_view operation, std::string_view object,
                   const std::vector<InputRecord>& records, std::string_view externalIdField) {
  std::unique_lock lock(mutex_);
  detail::applyDml(state_->org, operation, object, records, externalIdField, 0.0, true);
}

std::vector<std::vector<std::string>> Org::parentLocks(std::string_view object,
                                                       const InputRecord* records,
                                                       std::size_t count) const {
  // Exclusive: a relationship lookup may build its index on first use.
  std::unique_lock lock(mutex_);
  return detail::parentLocks(state_->org, object, records, count);
}

QueryOutput Org::query(std::string_view soql, bool includeDeleted) const {
  std::shared_lock lock(mutex_);
  return detail::runQuery(state_->org, soql, includeDeleted);
}

QueryOutput Org::checkQuery(std::string_view soql) const {
  std::shared_lock lock(mutex_);
  return detail::runQuery(state_->org, soql, false, false);
}

std::vector<std::string> Org::chunkBoundaries(std::string_view object, int chunkSize,
                                              std::string_view startRow,
                                              bool includeDeleted) const {
  std::shared_lock lock(mutex_);
  const detail::ObjectStore* store = state_->org.find(object);
  if (!store) throw BatchFailure(detail::unsupportedObjectMessage(object));
  if (chunkSize < 1) chunkSize = 1;
  // startRow may be a 15-character id; the first 15 characters decide the order.
  const std::string start(startRow.substr(0, std::min<std::size_t>(startRow.size(), 15)));
  // The service cuts id ranges of chunkSize ids each, not runs of chunkSize records
  // [DOC PK chunking page: "001300000000000" to "00130000000132G" per 250,000], so where
  // records were deleted a chunk is short or empty. Ranges run from the first record's id
  // to the last's.
  const detail::Record* first = nullptr;
  const detail::Record* last = nullptr;
  for (const detail::Record& r : store->records()) {
    if (r.purged || (r.deleted && !includeDeleted)) continue;
    if (!start.empty() && store->idOf(r).compare(0, 15, start) < 0) continue;
    if (first == nullptr) first = &r;
    last = &r;
  }
  std::vector<std::string> boundaries;
  if (first == nullptr) return boundaries;
  const auto step = static_cast<std::uint64_t>(chunkSize);
  for (std::uint64_t c = first->counter; c <= last->counter; c += step) {
    boundaries.push_back(detail::makeId(store->def().keyPrefix, c));
  }
  return boundaries;
}

std::size_t Org::count(std::string_view object) const {
  std::shared_lock lock(mutex_);
  const detail::ObjectStore* store = state_->org.find(object);
  return store ? store->liveCount() : 0;
}

void Org::clear() {
  std::unique_lock lock(mutex_);
  for (auto& store : state_->org.stores) store->clearRecords();
}

}  // namespace sfdc::emulator
