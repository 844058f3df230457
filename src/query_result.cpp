// Incremental readers for query result files (wire reference §6.3), one per format.

#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/query_result.hpp>
#include <string>

#include "query/json_array_scanner.hpp"
#include "query/pull_buffer.hpp"
#include "query/xml_record.hpp"
#include "query/xml_records_scanner.hpp"

namespace sfdc::bulk {

namespace {

// One implementation per result format behind a common interface.
class FormatReader {
 public:
  virtual ~FormatReader() = default;
  virtual const std::vector<std::string>& header() { return noHeader_; }
  virtual bool nextRow(std::vector<std::string>&) {
    throw InvalidArgument("nextRow() reads CSV result files only; use nextRecord()");
  }
  virtual bool nextRecord(nlohmann::ordered_json& record) = 0;

 private:
  std::vector<std::string> noHeader_;
};

class CsvResultImpl final : public FormatReader {
 public:
  explicit CsvResultImpl(ByteReader source) : reader_(std::move(source)) {}

  const std::vector<std::string>& header() override {
    start();
    return header_;
  }

  bool nextRow(std::vector<std::string>& row) override {
    start();
    return !done_ && reader_.next(row);
  }

  bool nextRecord(nlohmann::ordered_json& record) override {
    if (!nextRow(row_)) return false;
    if (row_.size() != header_.size()) {
      throw ParseError("CSV query result row " + std::to_string(reader_.rowNumber() - 1) + " has " +
                       std::to_string(row_.size()) + " fields, the header has " +
                       std::to_string(header_.size()));
    }
    record = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < header_.size(); ++i) record[header_[i]] = std::move(row_[i]);
    return true;
  }

 private:
  void start() {
    if (started_) return;
    started_ = true;
    if (!reader_.next(header_)) {
      done_ = true;
      return;
    }
    // Zero rows come as this one line instead of a header.
    if (header_.size() == 1 && detail::isNoRecordsMarker(header_.front(), true)) {
      header_.clear();
      done_ = true;
    }
  }

  CsvReader reader_;
  std::vector<std::string> header_;
  std::vector<std::string> row_;
  bool started_ = false;
  bool done_ = false;
};

class JsonResultImpl final : public FormatReader {
 public:
  explicit JsonResultImpl(ByteReader source) : scanner_(std::move(source)) {}

  bool nextRecord(nlohmann::ordered_json& record) override {
    std::string_view element;
    if (!scanner_.next(element)) return false;
    ++count_;
    try {
      record = nlohmann::ordered_json::parse(element.begin(), element.end());
    } catch (const nlohmann::json::exception& e) {
      throw ParseError("JSON query result record " + std::to_string(count_) + ": " + e.what());
    }
    if (!record.is_object()) {
      throw ParseError("JSON query result record " + std::to_string(count_) + " is not an object");
    }
    detail::stripAttributes(record);
    return true;
  }

 private:
  detail::JsonArrayScanner scanner_;
  std::size_t count_ = 0;
};

class XmlResultImpl final : public FormatReader {
 public:
  explicit XmlResultImpl(ByteReader source) : scanner_(std::move(source)) {}

  bool nextRecord(nlohmann::ordered_json& record) override {
    std::string_view fragment;
    if (!scanner_.next(fragment)) return false;
    ++count_;
    // Re-declare the root's namespaces on a wrapper so prefixed names keep their meaning.
    wrapped_.assign("<r").append(scanner_.rootNamespaces()).append(">");
    wrapped_.append(fragment).append("</r>");
    pugi::xml_document doc;
    const pugi::xml_parse_result result =
        doc.load_buffer(wrapped_.data(), wrapped_.size(),
                        pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_utf8);
    if (!result) {
      throw ParseError("XML query result record " + std::to_string(count_) + ": " +
                       result.description());
    }
    pugi::xml_node records = doc.document_element().first_child();
    while (records && records.type() != pugi::node_element) records = records.next_sibling();
    record = detail::xmlRecordToJson(records);
    return true;
  }

 private:
  detail::XmlRecordsScanner scanner_;
  std::string wrapped_;
  std::size_t count_ = 0;
};

}  // namespace

class QueryResultReader::Impl {
 public:
  std::unique_ptr<FormatReader> reader;
};

QueryResultReader::QueryResultReader(ContentType type, ByteReader source)
    : type_(type), impl_(std::make_unique<Impl>()) {
  switch (type) {
    case ContentType::JSON:
    case ContentType::ZIP_JSON:
      impl_->reader = std::make_unique<JsonResultImpl>(std::move(source));
      break;
    case ContentType::XML:
    case ContentType::ZIP_XML:
      impl_->reader = std::make_unique<XmlResultImpl>(std::move(source));
      break;
    default:
      impl_->reader = std::make_unique<CsvResultImpl>(std::move(source));
      break;
  }
}

QueryResultReader::~QueryResultReader() = default;
QueryResultReader::QueryResultReader(QueryResultReader&&) noexcept = default;
QueryResultReader& QueryResultReader::operator=(QueryResultReader&&) noexcept = default;

const std::vector<std::string>& QueryResultReader::header() { return impl_->reader->header(); }

bool QueryResultReader::nextRow(std::vector<std::string>& row) {
  return impl_->reader->nextRow(row);
}

bool QueryResultReader::nextRecord(nlohmann::ordered_json& record) {
  return impl_->reader->nextRecord(record);
}

bool QueryResultReader::nextRecord(nlohmann::json& record) {
  nlohmann::ordered_json ordered;
  if (!impl_->reader->nextRecord(ordered)) return false;
  record = nlohmann::json(ordered);
  return true;
}

}  // namespace sfdc::bulk
