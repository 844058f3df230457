#pragma once

// The emulator's in-memory Salesforce org: object schemas, stored records, DML with
// realistic per-record results, and a SOQL subset. It knows nothing of HTTP or of the
// batch formats: the server decodes CSV/JSON/XML into InputRecords and encodes
// QueryOutput back. Thread-safe: every public member may be called concurrently.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::emulator {

/// A field value; nullopt is null.
using Value = std::optional<std::string>;

enum class FieldType {
  Id,
  String,
  TextArea,
  Email,
  Phone,
  Url,
  Picklist,
  Boolean,
  Int,
  Double,
  Currency,
  Date,
  DateTime,
  Reference,
  Base64  ///< binary content (Attachment.Body): set only by zip batches, never queried
};

struct FieldDef {
  std::string name;
  FieldType type = FieldType::String;
  int length = 255;              ///< max characters for text types
  bool required = false;         ///< REQUIRED_FIELD_MISSING on insert when absent/null
  bool externalId = false;       ///< usable as upsert key and relationship lookup
  bool unique = false;           ///< DUPLICATE_VALUE when two records share a value
  bool updateable = true;        ///< false for system fields (Id, CreatedDate, …)
  std::string referenceTo;       ///< Reference: parent object, e.g. "Account"
  std::string relationshipName;  ///< Reference: e.g. "Account" for AccountId
  /// Reference: writing a child locks this parent for the 200-record chunk being
  /// processed (Contact.AccountId, Opportunity.AccountId, custom lookups), so parallel
  /// batches sharing parents contend as on a real org.
  bool locksParent = false;
};

struct ObjectDef {
  std::string name;
  std::string keyPrefix;  ///< 3 characters, e.g. "003" for Contact
  std::vector<FieldDef> fields;
  const FieldDef* field(std::string_view name) const;  ///< case-insensitive
};

/// One record of a DML batch after decoding. A field absent from `fields` is "leave
/// unchanged"; a present field with nullopt is "set to null". Relationship lookups by
/// external id use the key "Rel.Field" (e.g. "Account.External_Id__c").
struct DmlError {
  std::string statusCode;  ///< e.g. REQUIRED_FIELD_MISSING
  std::string message;
  std::vector<std::string> fields;
};

struct InputRecord {
  std::vector<std::pair<std::string, Value>> fields;
  /// Set when the batch already found the record bad (a binary field naming a file its
  /// zip lacks): the record fails with this error and nothing of it is written.
  std::optional<DmlError> rejected = std::nullopt;
};

struct DmlResult {
  std::string id;  ///< 18-character id; empty on failure
  bool success = false;
  bool created = false;
  std::vector<DmlError> errors;
};

/// A failure of a whole batch; `what()` is the batch stateMessage, e.g.
/// "InvalidBatch : Field name not found : Foo__c".
class BatchFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A query the SOQL engine cannot run. what() is "CODE : detail", followed by " at
/// column N" when the position is known; code(), detail() and column() (1-based offset
/// into the query, 0 when unknown) let a Bulk API 1.0 batch report it in the service's
/// "Failed to process query: CODE: <soql> ^ ERROR at Row:1:Column:N detail" shape.
class SoqlError : public BatchFailure {
 public:
  SoqlError(std::string code, std::string detail, std::size_t column)
      : BatchFailure(code + " : " + detail +
                     (column > 0 ? " at column " + std::to_string(column) : std::string())),
        code_(std::move(code)),
        detail_(std::move(detail)),
        column_(column) {}
  const std::string& code() const { return code_; }
  const std::string& detail() const { return detail_; }
  std::size_t column() const { return column_; }

 private:
  std::string code_;
  std::string detail_;
  std::size_t column_;
};

/// Whether record `index` of a batch fails for Faults::lockFailureShare `share`: the
/// failures are spread evenly and deterministically (0.1 fails records 9, 19, 29, ...).
bool lockFaultHits(std::size_t index, double share);
/// The result of a record whose lock could not be obtained; `parentId` (when known) is
/// the locked record it waited for, named in the message as the service does.
DmlResult unableToLockRow(std::string_view parentId);

/// Result of a query: columns as selected (relationship columns dotted, e.g.
/// "Account.Name"), their types, and rows of values in column order.
struct QueryOutput {
  std::string object;
  std::vector<std::string> columns;
  std::vector<FieldType> types;
  std::vector<std::vector<Value>> rows;
};

class Org {
 public:
  /// An org with the standard objects Account, Contact, Lead, Opportunity.
  Org();
  ~Org();

  /// Add or replace custom objects from a JSON schema document (see schemas/README.md).
  void loadSchemaJson(std::string_view json);
  void loadSchemaFile(const std::string& path);

  /// The object's definition, or nullptr (case-insensitive name).
  const ObjectDef* object(std::string_view name) const;

  /// Apply a DML batch. `operation` is insert, update, upsert, delete or hardDelete.
  /// Returns one result per input record, in input order. Throws BatchFailure for
  /// batch-level problems (unknown column, …). `lockFailureShare` (0..1) makes that
  /// share of records fail with UNABLE_TO_LOCK_ROW (deterministically by position).
  std::vector<DmlResult> applyDml(std::string_view operation, std::string_view object,
                                  const std::vector<InputRecord>& records,
                                  std::string_view externalIdField, double lockFailureShare = 0.0);

  /// Checks a DML batch as applyDml() would (operation, object, external id field, every
  /// record's columns) without writing anything; throws the same BatchFailure.
  void checkDml(std::string_view operation, std::string_view object,
                const std::vector<InputRecord>& records, std::string_view externalIdField);

  /// For each of the `count` records from `records`, the parents (18-character ids) that
  /// writing it to `object` locks: the values of its FieldDef::locksParent references in
  /// the input (ids or relationship columns by external id) and, for a record that
  /// exists (an Id column), the parents it has now.
  std::vector<std::vector<std::string>> parentLocks(std::string_view object,
                                                    const InputRecord* records,
                                                    std::size_t count) const;

  /// Run a SOQL query; `includeDeleted` for queryAll. Throws BatchFailure
  /// ("MALFORMED_QUERY : …", "INVALID_FIELD : …") for queries it cannot run.
  QueryOutput query(std::string_view soql, bool includeDeleted) const;

  /// Checks a SOQL query as query() would, without reading any record; returns its
  /// columns (QueryOutput::rows stays empty).
  QueryOutput checkQuery(std::string_view soql) const;

  /// PK chunking: the object named in `soql`'s FROM; the id range from its first stored
  /// record (deleted ones too when `includeDeleted`) at or after `startRow` to its last,
  /// cut into ranges of `chunkSize` ids (a range may hold fewer records, or none, where
  /// records were deleted): returns each range's first id. The server rewrites the query
  /// per chunk with `Id >= first AND Id < next`.
  std::vector<std::string> chunkBoundaries(std::string_view object, int chunkSize,
                                           std::string_view startRow, bool includeDeleted) const;

  /// Number of live (not deleted) records of an object.
  std::size_t count(std::string_view object) const;
  /// Remove every record of every object.
  void clear();

 private:
  struct State;
  std::unique_ptr<State> state_;
  mutable std::shared_mutex mutex_;
};

}  // namespace sfdc::emulator
