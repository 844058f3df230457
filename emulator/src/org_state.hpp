#pragma once

// Internal storage of the emulated org, shared by the DML and SOQL code. Not thread-safe
// on its own: Org holds the lock.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "org.hpp"

namespace sfdc::emulator::detail {

/// Where a field's value lives. System fields are derived from the record header
/// instead of being stored per record, which keeps a million-record object small.
enum class Slot : std::uint8_t {
  Stored,
  Id,
  CreatedDate,
  LastModifiedDate,
  SystemModstamp,
  IsDeleted,
  FullName,    ///< Contact/Lead Name: FirstName + " " + LastName
  BodyLength,  ///< Attachment BodyLength: the bytes in the object's binary field
};

/// The stored fields of a record, packed into one string as [u16 field][u32 size][bytes]
/// per non-null field, in ascending field order. A vector of optional strings would
/// cost 40 bytes per declared field per record even when null.
struct PackedFields {
  static std::optional<std::string_view> get(const std::string& packed, int field);
  static void append(std::string& packed, int field, std::string_view value);
  /// Calls f(field, value) for every non-null field, in field order.
  template <class F>
  static void forEach(const std::string& packed, F&& f);
};

struct Record {
  std::uint64_t counter = 0;  ///< the id's counter; records are kept sorted by it
  std::int64_t created = 0;   ///< epoch milliseconds
  std::int64_t modified = 0;
  bool deleted = false;  ///< soft-deleted: only queryAll sees it
  bool purged = false;   ///< hard-deleted: invisible, dropped at the next compaction
  std::string fields;    ///< PackedFields
};

/// Lower-cased value -> counters of live records holding it (several for a non-unique
/// external id, which upsert then reports as DUPLICATE_EXTERNAL_ID).
using ValueIndex = std::unordered_multimap<std::string, std::uint64_t>;

class ObjectStore {
 public:
  explicit ObjectStore(std::shared_ptr<const ObjectDef> def);

  const ObjectDef& def() const { return *def_; }
  const std::shared_ptr<const ObjectDef>& defPtr() const { return def_; }
  Slot slot(int field) const { return slots_[static_cast<std::size_t>(field)]; }
  const FieldDef& field(int index) const { return def_->fields[static_cast<std::size_t>(index)]; }

  int fieldIndex(std::string_view name) const;  ///< case-insensitive; -1 if unknown
  /// The Reference field whose relationshipName is `rel` (case-insensitive), or -1.
  int referenceField(std::string_view rel) const;

  std::string idOf(const Record& r) const;
  /// The record (live or soft-deleted) with this normalised id, or nullptr.
  Record* findById(std::string_view id18);
  const Record* findById(std::string_view id18) const;
  Record* findByCounter(std::uint64_t counter);
  const Record* findByCounter(std::uint64_t counter) const;

  /// A field's value; false when null. Stored values are viewed in place, computed ones
  /// are written to `buf` first.
  bool fetch(const Record& r, int field, std::string& buf, std::string_view& out) const;
  Value value(const Record& r, int field) const;

  /// Index on a field, built on first use for lookup fields that are not kept indexed
  /// all the time (Email, for `ReportsTo.Email` relationship columns).
  ValueIndex& index(int field);
  bool hasIndex(int field) const { return indexes_.count(field) != 0; }
  void indexAdd(const Record& r);
  void indexRemove(const Record& r);

  std::vector<Record>& records() { return records_; }
  const std::vector<Record>& records() const { return records_; }
  std::uint64_t nextCounter() { return nextCounter_++; }
  std::size_t liveCount() const { return live_; }
  void adjustLive(long delta) {
    live_ = static_cast<std::size_t>(static_cast<long>(live_) + delta);
  }
  void notePurged();
  void clearRecords();
  /// Takes the records (and id counter) of the store this one replaces.
  void adoptRecords(ObjectStore& other);

 private:
  void buildMeta();

  std::shared_ptr<const ObjectDef> def_;
  std::vector<Slot> slots_;
  std::unordered_map<std::string, int> fieldByLower_;
  std::unordered_map<std::string, int> referenceByRelLower_;
  int firstNameField_ = -1;
  int lastNameField_ = -1;
  int binaryField_ = -1;  ///< the first Base64 field, which BodyLength measures
  std::vector<Record> records_;
  std::size_t live_ = 0;
  std::size_t purged_ = 0;
  std::uint64_t nextCounter_ = 1;
  std::unordered_map<int, ValueIndex> indexes_;
};

struct OrgState {
  std::vector<std::unique_ptr<ObjectStore>> stores;
  std::unordered_map<std::string, ObjectStore*> byName;  ///< lower-cased name
  /// Definitions replaced by loadSchemaJson stay alive: Org::object() handed out pointers.
  std::vector<std::shared_ptr<const ObjectDef>> retired;
  std::string defaultOwnerId;

  ObjectStore* find(std::string_view name);
  const ObjectStore* find(std::string_view name) const;
  /// Adds or replaces an object (records of a replaced object are dropped unless
  /// `keepRecords`, used when fields are only appended).
  void put(ObjectDef def, bool keepRecords);
};

/// Key prefixes of objects the emulator references but does not store (OwnerId -> User).
std::string_view knownPrefix(std::string_view object);

// ---------------------------------------------------------------------------------

template <class F>
void PackedFields::forEach(const std::string& packed, F&& f) {
  std::size_t pos = 0;
  while (pos + 6 <= packed.size()) {
    const auto* p = reinterpret_cast<const unsigned char*>(packed.data() + pos);
    const int field = p[0] | (p[1] << 8);
    const std::size_t size =
        static_cast<std::size_t>(p[2]) | (static_cast<std::size_t>(p[3]) << 8) |
        (static_cast<std::size_t>(p[4]) << 16) | (static_cast<std::size_t>(p[5]) << 24);
    f(field, std::string_view(packed.data() + pos + 6, size));
    pos += 6 + size;
  }
}

}  // namespace sfdc::emulator::detail
