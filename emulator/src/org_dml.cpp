// DML against the in-memory org: per-record validation and results in input order.

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "field_value.hpp"
#include "org_internal.hpp"
#include "salesforce_id.hpp"

namespace sfdc::emulator::detail {
namespace {

enum class Op { Insert, Update, Upsert, Delete, HardDelete };

/// One input key resolved against the object: a field, or a relationship column
/// (`Account.External_Id__c`) that resolves to the parent's id for a reference field.
struct Column {
  std::string key;
  int field = -1;
  bool isId = false;
  bool relationship = false;
  const ObjectStore* refParent = nullptr;  ///< Reference fields: the stored parent object
  std::string refPrefix;                   ///< Reference fields: expected id prefix
  ObjectStore* lookupObject = nullptr;     ///< relationship: object searched
  int lookupField = -1;                    ///< relationship: field matched
};

DmlError error(std::string code, std::string message, std::vector<std::string> fields = {}) {
  return DmlError{std::move(code), std::move(message), std::move(fields)};
}

DmlResult failed(DmlError e) {
  DmlResult r;
  r.errors.push_back(std::move(e));
  return r;
}

class DmlRun {
 public:
  DmlRun(OrgState& state, ObjectStore& store, Op op, int externalIdField)
      : state_(state), store_(store), op_(op), extField_(externalIdField) {
    const auto& fields = store.def().fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const int f = static_cast<int>(i);
      if (store.slot(f) != Slot::Stored) continue;
      if (fields[i].type == FieldType::Boolean) booleans_.push_back(f);
      if (fields[i].required) required_.push_back(f);
      if (iequals(fields[i].name, "OwnerId") && fields[i].type == FieldType::Reference) owner_ = f;
    }
    stamp_.assign(fields.size(), 0);
    now_ = nowMillis();
  }

  /// Resolves every key of the batch first: an unknown column fails the whole batch
  /// before any record is written.
  void resolveColumns(const std::vector<InputRecord>& records) {
    for (const InputRecord& r : records) {
      for (std::size_t pos = 0; pos < r.fields.size(); ++pos) column(pos, r.fields[pos].first);
    }
  }
  DmlResult apply(const InputRecord& input);

 private:
  const Column& column(std::size_t position, const std::string& key);
  Column resolveColumn(const std::string& key) const;
  std::optional<DmlError> collect(const InputRecord& input);
  std::optional<DmlError> checkReference(const Column& c, const std::string& id18) const;
  std::optional<DmlError> resolveRelationship(const Column& c, const std::string& value,
                                              std::string& id18) const;
  std::optional<DmlError> checkUnique(const Record* self);
  DmlResult insert();
  DmlResult update(Record& r);
  DmlResult remove(Record& r);
  DmlResult byId(const char* call);
  DmlResult upsert();
  std::string message(std::string_view what) const;

  OrgState& state_;
  ObjectStore& store_;
  Op op_;
  int extField_;
  std::vector<int> booleans_, required_;
  int owner_ = -1;
  std::int64_t now_ = 0;

  // Columns are resolved once per distinct key; records of a batch nearly always
  // repeat the same keys in the same order, so the position cache avoids the hash.
  std::unordered_map<std::string, Column> byKey_;
  std::vector<const Column*> byPosition_;

  // Scratch state of the record being processed.
  std::vector<std::pair<int, Value>> changes_;
  std::vector<std::uint32_t> stamp_;  ///< stamp_[field] == stampNow_: field is in changes_
  std::uint32_t stampNow_ = 0;
  std::optional<Value> idValue_;  ///< the Id column, when present
};

Column DmlRun::resolveColumn(const std::string& key) const {
  const auto notFound = [&key]() {
    return BatchFailure("InvalidBatch : Field name not found : " + key);
  };
  Column c;
  c.key = key;
  if (key.find(':') != std::string::npos) {
    // `Type:Rel.Field` is only for polymorphic lookups, which no modelled field is.
    throw BatchFailure("InvalidBatch : Failed to deserialize field " + key +
                       ": type is not needed for non polymorphic foreign key references");
  }
  const auto dot = key.find('.');
  if (dot == std::string::npos) {
    c.field = store_.fieldIndex(key);
    if (c.field < 0) throw notFound();
    c.isId = store_.slot(c.field) == Slot::Id;
  } else {
    c.relationship = true;
    c.field = store_.referenceField(std::string_view(key).substr(0, dot));
    if (c.field < 0) throw notFound();
    c.lookupObject = state_.find(store_.field(c.field).referenceTo);
    if (!c.lookupObject) throw notFound();
    const std::string_view lookupName = std::string_view(key).substr(dot + 1);
    c.lookupField = c.lookupObject->fieldIndex(lookupName);
    if (c.lookupField < 0) throw notFound();
    const FieldDef& lf = c.lookupObject->field(c.lookupField);
    const Slot slot = c.lookupObject->slot(c.lookupField);
    const bool indexed =
        slot == Slot::Id ||
        (slot == Slot::Stored && (lf.externalId || lf.unique || lf.type == FieldType::Email));
    if (!indexed) {
      throw BatchFailure("InvalidBatch : Field name provided, " + lf.name +
                         " is not an External ID or indexed field for " +
                         c.lookupObject->def().name);
    }
  }
  const FieldDef& f = store_.field(c.field);
  if (f.type == FieldType::Reference) {
    c.refParent = state_.find(f.referenceTo);
    c.refPrefix =
        c.refParent ? c.refParent->def().keyPrefix : std::string(knownPrefix(f.referenceTo));
  }
  return c;
}

const Column& DmlRun::column(std::size_t position, const std::string& key) {
  if (position < byPosition_.size() && byPosition_[position] && byPosition_[position]->key == key) {
    return *byPosition_[position];
  }
  auto it = byKey_.find(key);
  if (it == byKey_.end()) it = byKey_.emplace(key, resolveColumn(key)).first;
  if (byPosition_.size() <= position) byPosition_.resize(position + 1, nullptr);
  byPosition_[position] = &it->second;
  return it->second;
}

std::optional<DmlError> DmlRun::checkReference(const Column& c, const std::string& id18) const {
  const FieldDef& f = store_.field(c.field);
  if (!c.refPrefix.empty() && id18.compare(0, 3, c.refPrefix) != 0) {
    return error("FIELD_INTEGRITY_EXCEPTION", f.name + ": id value of incorrect type: " + id18,
                 {f.name});
  }
  const ObjectStore* parentStore = c.refParent;
  if (!parentStore && f.referenceTo.empty()) {
    // Polymorphic (Attachment.ParentId): the id's prefix names the object. An object the
    // org does not model cannot hold the record.
    for (const auto& s : state_.stores) {
      if (id18.compare(0, 3, s->def().keyPrefix) == 0) parentStore = s.get();
    }
    if (!parentStore) {
      return error("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", {f.name});
    }
  }
  if (!parentStore) return std::nullopt;  // e.g. OwnerId: users are not stored
  const Record* parent = parentStore->findById(id18);
  if (!parent) {
    return error("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", {f.name});
  }
  if (parent->deleted) return error("ENTITY_IS_DELETED", "entity is deleted", {f.name});
  return std::nullopt;
}

std::optional<DmlError> DmlRun::resolveRelationship(const Column& c, const std::string& value,
                                                    std::string& id18) const {
  ObjectStore& parent = *c.lookupObject;
  const FieldDef& lf = parent.field(c.lookupField);
  const auto notFound = [&]() {
    return error("INVALID_FIELD",
                 "Foreign key external ID: " + value + " not found for field " + lf.name +
                     " in entity " + parent.def().name,
                 {c.key});
  };
  if (parent.slot(c.lookupField) == Slot::Id) {
    const auto id = normalizeId(value);
    if (!id) return notFound();
    const Record* r = parent.findById(*id);
    if (!r || r->deleted) return notFound();
    id18 = *id;
    return std::nullopt;
  }
  // Match the stored form: `1.0` must find a numeric external id stored as `1`.
  std::string key = value;
  if (normalizeValue(lf, key)) return notFound();
  const ValueIndex& idx = parent.index(c.lookupField);
  auto [lo, hi] = idx.equal_range(toLower(key));
  if (lo == hi) return notFound();
  if (std::next(lo) != hi) {
    return error("INVALID_FIELD",
                 "Foreign key external ID: " + value + " matched more than one record for field " +
                     lf.name + " in entity " + parent.def().name,
                 {c.key});
  }
  id18 = parent.idOf(*parent.findByCounter(lo->second));
  return std::nullopt;
}

// Decodes and validates the record's values into changes_ / idValue_.
std::optional<DmlError> DmlRun::collect(const InputRecord& input) {
  changes_.clear();
  idValue_.reset();
  if (++stampNow_ == 0) {  // wrapped: forget old stamps
    std::fill(stamp_.begin(), stamp_.end(), 0);
    stampNow_ = 1;
  }
  const bool deleting = op_ == Op::Delete || op_ == Op::HardDelete;
  for (std::size_t pos = 0; pos < input.fields.size(); ++pos) {
    const auto& [key, value] = input.fields[pos];
    const Column& c = column(pos, key);
    if (c.isId) {
      idValue_ = value;
      continue;
    }
    if (deleting) continue;  // delete batches only need the Id
    const FieldDef& f = store_.field(c.field);
    if (!c.relationship && (!f.updateable || store_.slot(c.field) != Slot::Stored)) {
      return error("INVALID_FIELD_FOR_INSERT_UPDATE",
                   "Unable to create/update fields: " + f.name +
                       ". Please check the security settings of this field and verify that it is "
                       "read/write for your profile or permission set.",
                   {f.name});
    }
    Value v = value;
    if (v && v->empty()) v.reset();  // an empty JSON/XML string clears the field
    if (v && c.relationship) {
      std::string id18;
      if (auto e = resolveRelationship(c, *v, id18)) return e;
      *v = std::move(id18);
    } else if (v) {
      if (auto e = normalizeValue(f, *v)) return e;
      if (f.type == FieldType::Reference) {
        if (auto e = checkReference(c, *v)) return e;
      }
    }
    if (!v && f.type == FieldType::Boolean) v = "false";  // checkboxes are never null
    stamp_[static_cast<std::size_t>(c.field)] = stampNow_;
    changes_.emplace_back(c.field, std::move(v));
  }
  // Later duplicates of a field win; a stable sort keeps them after earlier ones.
  std::stable_sort(changes_.begin(), changes_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return std::nullopt;
}

std::optional<DmlError> DmlRun::checkUnique(const Record* self) {
  for (const auto& [field, value] : changes_) {
    const FieldDef& f = store_.field(field);
    if (!f.unique || !value) continue;
    const ValueIndex& idx = store_.index(field);
    auto [lo, hi] = idx.equal_range(toLower(*value));
    for (auto it = lo; it != hi; ++it) {
      if (self && it->second == self->counter) continue;
      const Record* other = store_.findByCounter(it->second);
      return error("DUPLICATE_VALUE",
                   "duplicate value found: " + f.name +
                       " duplicates value on record with id: " + store_.idOf(*other),
                   {f.name});
    }
  }
  return std::nullopt;
}

DmlResult DmlRun::insert() {
  for (int f : booleans_) {
    if (stamp_[static_cast<std::size_t>(f)] != stampNow_) changes_.emplace_back(f, "false");
  }
  if (owner_ >= 0 && stamp_[static_cast<std::size_t>(owner_)] != stampNow_) {
    changes_.emplace_back(owner_, state_.defaultOwnerId);
  }
  std::stable_sort(changes_.begin(), changes_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // Collapse duplicates (last wins) while packing.
  Record r;
  std::vector<std::string> missing;
  std::size_t req = 0;
  for (std::size_t i = 0; i < changes_.size(); ++i) {
    if (i + 1 < changes_.size() && changes_[i + 1].first == changes_[i].first) continue;
    const auto& [field, value] = changes_[i];
    while (req < required_.size() && required_[req] < field) {
      missing.push_back(store_.field(required_[req++]).name);
    }
    if (req < required_.size() && required_[req] == field) {
      if (!value) missing.push_back(store_.field(field).name);
      ++req;
    }
    if (value) PackedFields::append(r.fields, field, *value);
  }
  while (req < required_.size()) missing.push_back(store_.field(required_[req++]).name);
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return failed(error("REQUIRED_FIELD_MISSING", "Required fields are missing: [" + list + "]",
                        std::move(missing)));
  }
  if (auto e = checkUnique(nullptr)) return failed(std::move(*e));
  r.counter = store_.nextCounter();
  r.created = r.modified = now_;
  store_.records().push_back(std::move(r));
  const Record& stored = store_.records().back();
  store_.indexAdd(stored);
  store_.adjustLive(1);
  DmlResult result;
  result.id = store_.idOf(stored);
  result.success = true;
  result.created = true;
  return result;
}

DmlResult DmlRun::update(Record& r) {
  if (r.deleted) return failed(error("ENTITY_IS_DELETED", "entity is deleted"));
  std::vector<std::string> cleared;
  for (const auto& [field, value] : changes_) {
    if (!value && store_.field(field).required) cleared.push_back(store_.field(field).name);
  }
  if (!cleared.empty()) {
    std::string list;
    for (const auto& m : cleared) list += (list.empty() ? "" : ", ") + m;
    return failed(error("REQUIRED_FIELD_MISSING", "Required fields are missing: [" + list + "]",
                        std::move(cleared)));
  }
  if (auto e = checkUnique(&r)) return failed(std::move(*e));
  store_.indexRemove(r);
  std::string packed;
  packed.reserve(r.fields.size() + 64);
  std::size_t next = 0;
  const auto emitChangesBefore = [&](int limit) {
    while (next < changes_.size() && changes_[next].first < limit) {
      const bool superseded =
          next + 1 < changes_.size() && changes_[next + 1].first == changes_[next].first;
      if (!superseded && changes_[next].second) {
        PackedFields::append(packed, changes_[next].first, *changes_[next].second);
      }
      ++next;
    }
  };
  PackedFields::forEach(r.fields, [&](int field, std::string_view value) {
    emitChangesBefore(field);
    if (next < changes_.size() && changes_[next].first == field) {
      emitChangesBefore(field + 1);  // replaced (or cleared) by the input
    } else {
      PackedFields::append(packed, field, value);
    }
  });
  emitChangesBefore(1 << 30);
  r.fields = std::move(packed);
  r.modified = now_;
  store_.indexAdd(r);
  DmlResult result;
  result.id = store_.idOf(r);
  result.success = true;
  return result;
}

DmlResult DmlRun::remove(Record& r) {
  if (r.deleted) return failed(error("ENTITY_IS_DELETED", "entity is deleted"));
  DmlResult result;
  result.id = store_.idOf(r);
  result.success = true;
  store_.indexRemove(r);
  store_.adjustLive(-1);
  if (op_ == Op::HardDelete) {
    r.purged = true;
    store_.notePurged();  // may compact: `r` is not used after this
  } else {
    r.deleted = true;
    r.modified = now_;
  }
  return result;
}

std::string DmlRun::message(std::string_view what) const {
  return store_.def().name + " ID: id value of incorrect type: " + std::string(what);
}

// update, delete and hardDelete: the record named by the Id column.
DmlResult DmlRun::byId(const char* call) {
  const bool removing = op_ == Op::Delete || op_ == Op::HardDelete;
  if (removing && idValue_ && *idValue_ && (*idValue_)->empty()) {
    // An Id given but empty, e.g. JSON `{"Id": ""}` [OBS ballerina-extended-library #537];
    // an absent or null Id keeps MISSING_ARGUMENT.
    return failed(error("INVALID_ID_FIELD", "invalid record id", {}));
  }
  if (!idValue_ || !*idValue_ || (*idValue_)->empty()) {
    return failed(
        error("MISSING_ARGUMENT", std::string("Id not specified in ") + call + " call", {"Id"}));
  }
  const std::string& raw = **idValue_;
  const auto id = normalizeId(raw);
  if (!id || id->compare(0, 3, store_.def().keyPrefix) != 0) {
    return failed(error("MALFORMED_ID", message(raw), {"Id"}));
  }
  Record* r = store_.findById(*id);
  if (!r) return failed(error("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"));
  return op_ == Op::Update ? update(*r) : remove(*r);
}

DmlResult DmlRun::upsert() {
  if (store_.slot(extField_) == Slot::Id) {
    if (!idValue_ || !*idValue_ || (*idValue_)->empty()) return insert();
    const std::string& raw = **idValue_;
    const auto id = normalizeId(raw);
    if (!id || id->compare(0, 3, store_.def().keyPrefix) != 0) {
      return failed(error("MALFORMED_ID", message(raw), {"Id"}));
    }
    Record* r = store_.findById(*id);
    if (!r) return failed(error("NOT_FOUND", "Provided external ID field does not exist: " + raw));
    return update(*r);
  }
  const FieldDef& ext = store_.field(extField_);
  const Value* key = nullptr;
  for (const auto& [field, value] : changes_) {
    if (field == extField_) key = &value;
  }
  if (!key || !*key) {
    return failed(error("MISSING_ARGUMENT", ext.name + " not specified", {ext.name}));
  }
  ValueIndex& idx = store_.index(extField_);
  auto [lo, hi] = idx.equal_range(toLower(**key));
  if (lo == hi) return insert();
  if (std::next(lo) != hi) {
    std::string ids;
    for (auto it = lo; it != hi; ++it) {
      ids += (ids.empty() ? "" : ", ") + store_.idOf(*store_.findByCounter(it->second));
    }
    return failed(
        error("DUPLICATE_EXTERNAL_ID",
              ext.name + ": more than one record found for external id field: [" + ids + "]",
              {ext.name}));
  }
  return update(*store_.findByCounter(lo->second));
}

DmlResult DmlRun::apply(const InputRecord& input) {
  if (input.rejected) return failed(*input.rejected);
  if (auto e = collect(input)) return failed(std::move(*e));
  switch (op_) {
    case Op::Insert:
      if (idValue_ && *idValue_ && !(*idValue_)->empty()) {
        return failed(error("INVALID_FIELD_FOR_INSERT_UPDATE",
                            "cannot specify Id in an insert call", {"Id"}));
      }
      return insert();
    case Op::Update:
      return byId("an update");
    case Op::Upsert:
      return upsert();
    case Op::Delete:
    case Op::HardDelete:
      return byId("a delete");
  }
  return {};
}

}  // namespace

}  // namespace sfdc::emulator::detail

namespace sfdc::emulator {

// Spreads the failures evenly and deterministically: record i fails when the running
// total floor((i + 1) * share) steps up, so a share of 0.1 fails records 9, 19, 29, ...
bool lockFaultHits(std::size_t index, double share) {
  if (share <= 0) return false;
  if (share >= 1) return true;
  return std::floor(static_cast<double>(index + 1) * share) >
         std::floor(static_cast<double>(index) * share);
}

DmlResult unableToLockRow(std::string_view parentId) {
  DmlResult r;
  std::string message = "unable to obtain exclusive access to this record";
  // The service names the records it waited for: "... or 1 records: 001...".
  if (!parentId.empty()) message += " or 1 records: " + std::string(parentId);
  r.errors.push_back({"UNABLE_TO_LOCK_ROW", std::move(message), {}});
  return r;
}

}  // namespace sfdc::emulator

namespace sfdc::emulator::detail {

std::string unsupportedObjectMessage(std::string_view object) {
  return "INVALID_TYPE : sObject type '" + std::string(object) + "' is not supported.";
}

std::vector<DmlResult> applyDml(OrgState& state, std::string_view operation,
                                std::string_view object, const std::vector<InputRecord>& records,
                                std::string_view externalIdField, double lockFailureShare,
                                bool checkOnly) {
  Op op;
  if (operation == "insert") {
    op = Op::Insert;
  } else if (operation == "update") {
    op = Op::Update;
  } else if (operation == "upsert") {
    op = Op::Upsert;
  } else if (operation == "delete") {
    op = Op::Delete;
  } else if (operation == "hardDelete") {
    op = Op::HardDelete;
  } else {
    throw BatchFailure("InvalidBatch : Unsupported operation: " + std::string(operation));
  }
  ObjectStore* store = state.find(object);
  if (!store) {
    throw BatchFailure("InvalidBatch : Entity '" + std::string(object) +
                       "' is not supported by the Bulk API.");
  }
  int extField = -1;
  if (op == Op::Upsert) {
    extField = store->fieldIndex(externalIdField);
    const bool usable =
        extField >= 0 &&
        (store->slot(extField) == Slot::Id ||
         (store->slot(extField) == Slot::Stored && store->field(extField).externalId));
    if (!usable) {
      throw BatchFailure("InvalidBatch : Field name provided, " + std::string(externalIdField) +
                         " does not match an External ID, Salesforce Id, or indexed field for " +
                         store->def().name);
    }
  }
  DmlRun run(state, *store, op, extField);
  run.resolveColumns(records);
  if (checkOnly) return {};
  std::vector<DmlResult> results;
  results.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (lockFaultHits(i, lockFailureShare)) {
      results.push_back(unableToLockRow({}));
      continue;
    }
    results.push_back(run.apply(records[i]));
  }
  return results;
}

}  // namespace sfdc::emulator::detail
