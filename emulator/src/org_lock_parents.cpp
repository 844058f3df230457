// Which parent records a DML chunk locks: the parents named by the child's locking
// references (FieldDef::locksParent), as the input gives them (an id, or a relationship
// column with an external id) and, for records that already exist, as stored.

#include <algorithm>

#include "field_value.hpp"
#include "org_internal.hpp"
#include "salesforce_id.hpp"

namespace sfdc::emulator::detail {
namespace {

/// The parent id a relationship column (`Account.External_Id__c`) names, if exactly one.
std::optional<std::string> lookupParent(OrgState& state, const ObjectStore& child,
                                        const std::string& key, const std::string& value) {
  const auto dot = key.find('.');
  const int ref = child.referenceField(std::string_view(key).substr(0, dot));
  if (ref < 0 || !child.field(ref).locksParent) return std::nullopt;
  ObjectStore* parent = state.find(child.field(ref).referenceTo);
  if (!parent) return std::nullopt;
  const int field = parent->fieldIndex(std::string_view(key).substr(dot + 1));
  if (field < 0) return std::nullopt;
  if (parent->slot(field) == Slot::Id) return normalizeId(value);
  if (parent->slot(field) != Slot::Stored || !parent->field(field).externalId) return std::nullopt;
  const ValueIndex& index = parent->index(field);
  auto [lo, hi] = index.equal_range(toLower(value));
  if (lo == hi || std::next(lo) != hi) return std::nullopt;  // the DML reports the error
  return parent->idOf(*parent->findByCounter(lo->second));
}

}  // namespace

std::vector<std::vector<std::string>> parentLocks(OrgState& state, std::string_view object,
                                                  const InputRecord* records, std::size_t count) {
  std::vector<std::vector<std::string>> locks(count);
  ObjectStore* store = state.find(object);
  if (!store) return locks;
  std::vector<int> locking;
  for (int f = 0; f < static_cast<int>(store->def().fields.size()); ++f) {
    if (store->field(f).type == FieldType::Reference && store->field(f).locksParent) {
      locking.push_back(f);
    }
  }
  if (locking.empty()) return locks;
  std::string buf;
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<std::string>& mine = locks[i];
    const auto add = [&](std::optional<std::string> id) {
      if (id && std::find(mine.begin(), mine.end(), *id) == mine.end()) mine.push_back(*id);
    };
    for (const auto& [key, value] : records[i].fields) {
      if (!value || value->empty()) continue;
      if (key.find('.') != std::string::npos) {
        add(lookupParent(state, *store, key, *value));
        continue;
      }
      const int field = store->fieldIndex(key);
      if (field < 0) continue;
      if (std::find(locking.begin(), locking.end(), field) != locking.end()) {
        add(normalizeId(*value));
      } else if (store->slot(field) == Slot::Id) {
        // An existing record (update, upsert by id, delete) also locks the parents it
        // has now: moving a Contact to another Account locks both Accounts.
        const auto id = normalizeId(*value);
        const Record* r = id ? store->findById(*id) : nullptr;
        if (!r || r->deleted) continue;
        for (int f : locking) {
          std::string_view stored;
          if (store->fetch(*r, f, buf, stored)) add(std::string(stored));
        }
      }
    }
  }
  return locks;
}

}  // namespace sfdc::emulator::detail
