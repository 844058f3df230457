#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <sfdc/bulk/export.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sfdc::bulk {

/**
 * Turns records into batch bodies of one content type. A record is a JSON object:
 * field name to string, number, bool or null; a relationship field is a nested object
 * (`{"Account": {"External_Id__c": "A1"}}`) or a dotted key (`"Account.External_Id__c"`).
 * Null means "set to null" (`#N/A` in CSV, `xsi:nil` in XML); a missing field means
 * "leave unchanged".
 *
 * Implement it to send your own types or formats: `addRecords` and `load` call
 * beginBatch, appendRecord for each record, then endBatch, once per batch.
 */
class SFDC_BULK_EXPORT PayloadSerializer {
 public:
  virtual ~PayloadSerializer() = default;
  /// Content type of the bodies produced; must match the job's.
  virtual ContentType contentType() const = 0;
  /// Start a new batch body in `out` (cleared by the caller).
  virtual void beginBatch(std::string& out) = 0;
  /// Append one record; `index` is its 0-based position in the batch. Throws
  /// InvalidArgument naming the field and record when the record cannot be written.
  virtual void appendRecord(const nlohmann::json& record, std::size_t index, std::string& out) = 0;
  /// Finish the batch body.
  virtual void endBatch(std::string& out) = 0;
};

/**
 * CSV bodies. Columns are fixed at construction or taken from the first record seen
 * (nested relationship objects flatten to `Rel.Field`); the header is repeated in every
 * batch. A later record with a field outside the columns is refused with InvalidArgument.
 */
class SFDC_BULK_EXPORT CsvSerializer : public PayloadSerializer {
 public:
  /// Fixed columns, in order; empty: taken from the first record.
  explicit CsvSerializer(std::vector<std::string> columns = {});
  ContentType contentType() const override { return ContentType::CSV; }
  void beginBatch(std::string& out) override;
  void appendRecord(const nlohmann::json& record, std::size_t index, std::string& out) override;
  void endBatch(std::string& out) override;
  /// The columns in use; empty before the first record when none were given.
  const std::vector<std::string>& columns() const noexcept { return columns_; }

 private:
  void setColumns(std::vector<std::string> columns);

  std::vector<std::string> columns_;
  bool headerPending_ = false;
  std::unordered_map<std::string, std::size_t> columnIndex_;
  // Scratch space reused across records to keep allocations off the per-record path.
  std::vector<std::pair<std::string, const nlohmann::json*>> flat_;
  std::vector<const nlohmann::json*> cells_;
};

/// JSON bodies: an array of record objects (dotted keys become nested objects).
class SFDC_BULK_EXPORT JsonSerializer : public PayloadSerializer {
 public:
  ContentType contentType() const override { return ContentType::JSON; }
  void beginBatch(std::string& out) override;
  void appendRecord(const nlohmann::json& record, std::size_t index, std::string& out) override;
  void endBatch(std::string& out) override;

 private:
  bool first_ = true;
};

/// XML bodies: `<sObjects>` of `<sObject>`, `xsi:nil="true"` for null, relationships as
/// nested `<Rel><sObject>…</sObject></Rel>` (a nested `attributes.type` becomes `<type>`).
class SFDC_BULK_EXPORT XmlSerializer : public PayloadSerializer {
 public:
  ContentType contentType() const override { return ContentType::XML; }
  void beginBatch(std::string& out) override;
  void appendRecord(const nlohmann::json& record, std::size_t index, std::string& out) override;
  void endBatch(std::string& out) override;
};

/// A fresh serializer for CSV, JSON or XML (ZIP_* are refused with InvalidArgument).
SFDC_BULK_EXPORT std::unique_ptr<PayloadSerializer> makeSerializer(ContentType type);

/// Serialize a JSON array of records into one body of `type`.
SFDC_BULK_EXPORT std::string serializeRecords(const nlohmann::json& records, ContentType type);

}  // namespace sfdc::bulk
