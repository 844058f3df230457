#include "org_state.hpp"

#include <algorithm>

#include "field_value.hpp"
#include "salesforce_id.hpp"

namespace sfdc::emulator::detail {

std::optional<std::string_view> PackedFields::get(const std::string& packed, int field) {
  std::size_t pos = 0;
  while (pos + 6 <= packed.size()) {
    const auto* p = reinterpret_cast<const unsigned char*>(packed.data() + pos);
    const int f = p[0] | (p[1] << 8);
    const std::size_t size =
        static_cast<std::size_t>(p[2]) | (static_cast<std::size_t>(p[3]) << 8) |
        (static_cast<std::size_t>(p[4]) << 16) | (static_cast<std::size_t>(p[5]) << 24);
    if (f == field) return std::string_view(packed.data() + pos + 6, size);
    if (f > field) break;
    pos += 6 + size;
  }
  return std::nullopt;
}

void PackedFields::append(std::string& packed, int field, std::string_view value) {
  const auto f = static_cast<unsigned>(field);
  const auto n = static_cast<std::uint32_t>(value.size());
  const char header[6] = {static_cast<char>(f & 0xFF),         static_cast<char>((f >> 8) & 0xFF),
                          static_cast<char>(n & 0xFF),         static_cast<char>((n >> 8) & 0xFF),
                          static_cast<char>((n >> 16) & 0xFF), static_cast<char>((n >> 24) & 0xFF)};
  packed.append(header, 6);
  packed.append(value);
}

ObjectStore::ObjectStore(std::shared_ptr<const ObjectDef> def) : def_(std::move(def)) {
  buildMeta();
}

void ObjectStore::buildMeta() {
  const auto& fields = def_->fields;
  const bool hasPersonName = std::any_of(
      fields.begin(), fields.end(), [](const FieldDef& f) { return iequals(f.name, "LastName"); });
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const FieldDef& f = fields[i];
    const int idx = static_cast<int>(i);
    fieldByLower_[toLower(f.name)] = idx;
    if (f.type == FieldType::Reference && !f.relationshipName.empty()) {
      referenceByRelLower_[toLower(f.relationshipName)] = idx;
    }
    Slot s = Slot::Stored;
    if (f.type == FieldType::Id && iequals(f.name, "Id")) {
      s = Slot::Id;
    } else if (!f.updateable && f.type == FieldType::DateTime && iequals(f.name, "CreatedDate")) {
      s = Slot::CreatedDate;
    } else if (!f.updateable && f.type == FieldType::DateTime &&
               iequals(f.name, "LastModifiedDate")) {
      s = Slot::LastModifiedDate;
    } else if (!f.updateable && f.type == FieldType::DateTime &&
               iequals(f.name, "SystemModstamp")) {
      s = Slot::SystemModstamp;
    } else if (!f.updateable && f.type == FieldType::Boolean && iequals(f.name, "IsDeleted")) {
      s = Slot::IsDeleted;
    } else if (!f.updateable && hasPersonName && iequals(f.name, "Name")) {
      s = Slot::FullName;
    } else if (!f.updateable && f.type == FieldType::Int && iequals(f.name, "BodyLength")) {
      s = Slot::BodyLength;
    }
    if (f.type == FieldType::Base64 && binaryField_ < 0) binaryField_ = idx;
    if (iequals(f.name, "FirstName")) firstNameField_ = idx;
    if (iequals(f.name, "LastName")) lastNameField_ = idx;
    slots_.push_back(s);
    if (s == Slot::Stored && (f.unique || f.externalId)) indexes_[idx];
  }
}

int ObjectStore::fieldIndex(std::string_view name) const {
  const auto it = fieldByLower_.find(toLower(name));
  return it == fieldByLower_.end() ? -1 : it->second;
}

int ObjectStore::referenceField(std::string_view rel) const {
  const auto it = referenceByRelLower_.find(toLower(rel));
  return it == referenceByRelLower_.end() ? -1 : it->second;
}

std::string ObjectStore::idOf(const Record& r) const { return makeId(def_->keyPrefix, r.counter); }

const Record* ObjectStore::findByCounter(std::uint64_t counter) const {
  const auto it = std::lower_bound(records_.begin(), records_.end(), counter,
                                   [](const Record& r, std::uint64_t c) { return r.counter < c; });
  if (it == records_.end() || it->counter != counter || it->purged) return nullptr;
  return &*it;
}

Record* ObjectStore::findByCounter(std::uint64_t counter) {
  return const_cast<Record*>(static_cast<const ObjectStore*>(this)->findByCounter(counter));
}

const Record* ObjectStore::findById(std::string_view id18) const {
  const auto counter = idCounter(def_->keyPrefix, id18);
  return counter ? findByCounter(*counter) : nullptr;
}

Record* ObjectStore::findById(std::string_view id18) {
  return const_cast<Record*>(static_cast<const ObjectStore*>(this)->findById(id18));
}

bool ObjectStore::fetch(const Record& r, int field, std::string& buf, std::string_view& out) const {
  switch (slot(field)) {
    case Slot::Stored: {
      const auto v = PackedFields::get(r.fields, field);
      if (!v) return false;
      out = *v;
      return true;
    }
    case Slot::Id:
      buf = idOf(r);
      break;
    case Slot::CreatedDate:
      buf = formatDateTime(r.created);
      break;
    case Slot::LastModifiedDate:
    case Slot::SystemModstamp:
      buf = formatDateTime(r.modified);
      break;
    case Slot::IsDeleted:
      buf = r.deleted ? "true" : "false";
      break;
    case Slot::FullName: {
      buf.clear();
      if (firstNameField_ >= 0) {
        if (auto v = PackedFields::get(r.fields, firstNameField_)) buf.append(*v);
      }
      if (lastNameField_ >= 0) {
        if (auto v = PackedFields::get(r.fields, lastNameField_)) {
          if (!buf.empty()) buf += ' ';
          buf.append(*v);
        }
      }
      if (buf.empty()) return false;
      break;
    }
    case Slot::BodyLength: {
      const auto body =
          binaryField_ >= 0 ? PackedFields::get(r.fields, binaryField_) : std::nullopt;
      if (!body) return false;
      buf = std::to_string(body->size());
      break;
    }
  }
  out = buf;
  return true;
}

Value ObjectStore::value(const Record& r, int field) const {
  std::string buf;
  std::string_view out;
  if (!fetch(r, field, buf, out)) return std::nullopt;
  return std::string(out);
}

ValueIndex& ObjectStore::index(int field) {
  auto it = indexes_.find(field);
  if (it != indexes_.end()) return it->second;
  ValueIndex& idx = indexes_[field];
  idx.reserve(live_);
  for (const Record& r : records_) {
    if (r.deleted || r.purged) continue;
    if (auto v = PackedFields::get(r.fields, field)) idx.emplace(toLower(*v), r.counter);
  }
  return idx;
}

void ObjectStore::indexAdd(const Record& r) {
  for (auto& [field, idx] : indexes_) {
    if (auto v = PackedFields::get(r.fields, field)) idx.emplace(toLower(*v), r.counter);
  }
}

void ObjectStore::indexRemove(const Record& r) {
  for (auto& [field, idx] : indexes_) {
    const auto v = PackedFields::get(r.fields, field);
    if (!v) continue;
    auto [lo, hi] = idx.equal_range(toLower(*v));
    for (auto it = lo; it != hi; ++it) {
      if (it->second == r.counter) {
        idx.erase(it);
        break;
      }
    }
  }
}

void ObjectStore::notePurged() {
  // Compact lazily so that a hardDelete batch is not quadratic in the object's size.
  if (++purged_ * 2 <= records_.size()) return;
  records_.erase(
      std::remove_if(records_.begin(), records_.end(), [](const Record& r) { return r.purged; }),
      records_.end());
  purged_ = 0;
}

void ObjectStore::adoptRecords(ObjectStore& other) {
  records_ = std::move(other.records_);
  live_ = other.live_;
  purged_ = other.purged_;
  nextCounter_ = other.nextCounter_;
  for (const Record& r : records_) {
    if (!r.deleted && !r.purged) indexAdd(r);
  }
}

void ObjectStore::clearRecords() {
  records_.clear();
  records_.shrink_to_fit();
  live_ = 0;
  purged_ = 0;
  for (auto& [field, idx] : indexes_) idx = ValueIndex{};
}

ObjectStore* OrgState::find(std::string_view name) {
  const auto it = byName.find(toLower(name));
  return it == byName.end() ? nullptr : it->second;
}

const ObjectStore* OrgState::find(std::string_view name) const {
  const auto it = byName.find(toLower(name));
  return it == byName.end() ? nullptr : it->second;
}

void OrgState::put(ObjectDef def, bool keepRecords) {
  auto shared = std::make_shared<const ObjectDef>(std::move(def));
  auto store = std::make_unique<ObjectStore>(shared);
  const std::string key = toLower(shared->name);
  const auto it = byName.find(key);
  if (it == byName.end()) {
    byName[key] = store.get();
    stores.push_back(std::move(store));
    return;
  }
  ObjectStore* old = it->second;
  retired.push_back(old->defPtr());
  if (keepRecords) {
    // Fields were only appended, so packed field numbers stay valid.
    store->adoptRecords(*old);
  }
  for (auto& s : stores) {
    if (s.get() == old) {
      s = std::move(store);
      byName[key] = s.get();
    }
  }
}

std::string_view knownPrefix(std::string_view object) {
  if (iequals(object, "User")) return "005";
  if (iequals(object, "Group")) return "00G";
  return {};
}

}  // namespace sfdc::emulator::detail
