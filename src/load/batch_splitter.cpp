#include "batch_splitter.hpp"

#include <algorithm>
#include <cstring>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <typeinfo>
#include <unordered_map>

#include "../record_shape.hpp"
#include "record_sources.hpp"

namespace sfdc::bulk::detail::load {

namespace {

// Bytes the stock serializers' endBatch appends; a custom serializer gets a generous
// allowance that grows if one of its trailers turns out larger.
constexpr std::size_t kCustomTrailerAllowance = 64;
constexpr char kXmlTrailer[] = "</sObjects>\n";

std::size_t trailerFor(const PayloadSerializer* serializer) {
  if (serializer == nullptr) return 0;
  if (dynamic_cast<const CsvSerializer*>(serializer) != nullptr) return 0;
  if (dynamic_cast<const JsonSerializer*>(serializer) != nullptr) return 1;  // "]"
  if (dynamic_cast<const XmlSerializer*>(serializer) != nullptr) return sizeof kXmlTrailer - 1;
  return kCustomTrailerAllowance;
}

void writeOrThrow(std::ofstream& out, std::string_view bytes, const std::string& path) {
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw Error("load: writing the spool file '" + path + "' failed (disk full?)");
}

}  // namespace

BatchSplitter::BatchSplitter(RecordSource::Reader& reader, ContentType contentType,
                             PayloadSerializer* serializer, BatchLimits limits, bool keepRows,
                             const SpoolDir& spool)
    : reader_(reader),
      contentType_(contentType),
      serializer_(serializer),
      limits_(limits),
      keepRows_(keepRows),
      spool_(spool) {
  grouped_ = dynamic_cast<KeyPartitioner*>(&reader_);
  rawCsv_ = reader_.isCsv() && contentType_ == ContentType::CSV;
  if (!rawCsv_ && serializer_ == nullptr) {
    throw InvalidArgument("load: a serializer is needed for this source and content type");
  }
  if (rawCsv_) serializer_ = nullptr;
  inputRows_ = reader_.isCsv() && reader_.rewritesRows();
  // The result files need the input's rows: a side file unless the body holds them.
  sideRows_ = keepRows_ && (contentType_ != ContentType::CSV || inputRows_);
  // Characters never outnumber bytes, so the character cap only needs counting when it
  // is the tighter of the two.
  countCharacters_ = limits_.maxCharacters < limits_.maxBytes;
  trailerAllowance_ = trailerFor(serializer_);
}

BatchSplitter::~BatchSplitter() = default;

void BatchSplitter::endRowsWith(std::optional<LineEnding> ending) {
  if (!ending) return;
  if (!rawCsv_) {
    if (contentType_ != ContentType::CSV) return;  // JSON and XML have no rows to end
    throw InvalidArgument("load: lineEnding needs a CSV source (RecordSource::csvFile)");
  }
  lineEnd_ = *ending == LineEnding::CRLF ? "\r\n" : "\n";
}

void BatchSplitter::reEnd(std::string& row) const {
  if (!row.empty() && row.back() == '\n') row.pop_back();
  if (!row.empty() && row.back() == '\r') row.pop_back();
  row += lineEnd_;
}

std::size_t BatchSplitter::countChars(std::string_view text) const {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

BatchSplitter::ReadResult BatchSplitter::readRow() {
  if (reader_.isCsv()) {
    if (!reader_.nextCsvRow(pendingRaw_, pendingFields_)) return ReadResult::End;
    pendingOffset_ = inputBytes_;
    inputBytes_ += pendingRaw_.size();
    const auto& header = reader_.csvHeader();
    // The stock readers check this too; a user's Reader might not.
    if (pendingFields_.size() != header.size()) {
      throw InvalidArgument("CSV row " + std::to_string(rowsRead_ + 1) + " has " +
                            std::to_string(pendingFields_.size()) + " fields but the header has " +
                            std::to_string(header.size()));
    }
    if (!rawCsv_ && !writesRowsAsJson(header)) {
      pendingRecord_ = csvRowToRecord(header, pendingFields_);
    }
    if (inputRows_ && sideRows_) pendingInputFields_ = reader_.inputFields();
  } else {
    if (!reader_.nextRecord(pendingRecord_)) return ReadResult::End;
  }
  ++rowsRead_;
  pendingRow_ = rowsRead_;
  if (grouped_ != nullptr) {
    pendingRow_ = grouped_->row();
    pendingKey_ = grouped_->key();
    pendingBreak_ = grouped_->startsBatch();
  }
  havePending_ = true;
  return ReadResult::Row;
}

void BatchSplitter::writeBody(std::string_view bytes) {
  writeOrThrow(body_, bytes, batch_.bodyPath);
  digest_.update(bytes);
}

void BatchSplitter::writeRowsHeader() {
  std::string line;
  if (reader_.isCsv()) {
    appendCsvRow(line, inputRows_ ? reader_.inputHeader() : reader_.csvHeader());
  } else {
    if (sideColumns_.empty()) {
      // The first record names the columns of the result files; fields that only later
      // records have are not in those files (the batches themselves are unaffected).
      std::vector<FlatField> flat;
      flattenRecord(pendingRecord_, 0, flat);
      for (const auto& field : flat) sideColumns_.push_back(field.first);
    }
    appendCsvRow(line, sideColumns_);
  }
  writeOrThrow(rows_, line, batch_.rowsPath);
}

void BatchSplitter::openBatch() {
  batch_ = SplitBatch{};
  batch_.index = nextIndex_++;
  batch_.bodyPath = spool_.create("b" + std::to_string(batch_.index) + ".body");
  open_ = true;
  chars_ = 0;
  body_.open(batch_.bodyPath, std::ios::binary | std::ios::trunc);
  if (!body_) throw Error("load: cannot create the spool file '" + batch_.bodyPath + "'");
  digest_ = BodyDigest{};
  scratch_.clear();
  if (rawCsv_) {
    appendCsvRow(scratch_, reader_.csvHeader());
    if (!lineEnd_.empty()) reEnd(scratch_);
  } else {
    serializer_->beginBatch(scratch_);
  }
  writeBody(scratch_);
  batch_.bodyBytes = scratch_.size();
  if (countCharacters_) chars_ = countChars(scratch_);
  if (!keepRows_) return;
  if (!sideRows_) {
    batch_.rowsPath = batch_.bodyPath;
    return;
  }
  batch_.rowsPath = spool_.create("b" + std::to_string(batch_.index) + ".rows");
  rows_.open(batch_.rowsPath, std::ios::binary | std::ios::trunc);
  if (!rows_) throw Error("load: cannot create the spool file '" + batch_.rowsPath + "'");
  writeRowsHeader();
}

bool BatchSplitter::writesRowsAsJson(const std::vector<std::string>& header) {
  if (!rowJsonDecided_) {
    rowJsonDecided_ = true;
    // Only the stock serializer: a user's subclass may write records its own way.
    if (contentType_ == ContentType::JSON && serializer_ != nullptr &&
        typeid(*serializer_) == typeid(JsonSerializer) && CsvRowJson::handles(header)) {
      rowJson_.emplace(header);
    }
  }
  return rowJson_.has_value();
}

void BatchSplitter::encodePending() {
  if (!rawCsv_) {
    scratch_.clear();
    try {
      if (rowJson_) {
        if (batch_.rowCount > 0) scratch_.push_back(',');
        rowJson_->append(pendingFields_, batch_.rowCount, scratch_);
      } else {
        serializer_->appendRecord(pendingRecord_, batch_.rowCount, scratch_);
      }
    } catch (const InvalidArgument& e) {
      // The serializer counts records within the batch; users count input rows.
      throw InvalidArgument("row " + std::to_string(pendingRow_) + ": " + e.what());
    }
  }
  if (!sideRows_) return;
  rowsLine_.clear();
  if (reader_.isCsv()) {
    if (inputRows_) {
      appendCsvRow(rowsLine_, pendingInputFields_);
    } else {
      rowsLine_ = pendingRaw_;
    }
    return;
  }
  std::vector<FlatField> flat;
  flattenRecord(pendingRecord_, batch_.rowCount, flat);
  cells_.assign(sideColumns_.size(), std::string());
  for (const auto& field : flat) {
    for (std::size_t i = 0; i < sideColumns_.size(); ++i) {
      if (sideColumns_[i] == field.first) {
        cells_[i] = scalarCell(*field.second);
        break;
      }
    }
  }
  appendCsvRow(rowsLine_, cells_);
}

void BatchSplitter::discardBatch() {
  if (!open_) return;
  body_.close();
  if (rows_.is_open()) rows_.close();
  SpoolDir::remove(batch_.bodyPath);
  if (sideRows_) SpoolDir::remove(batch_.rowsPath);
  nextIndex_ = batch_.index;  // keep batch indexes contiguous
  open_ = false;
}

void BatchSplitter::finishBatch(SplitBatch& out) {
  if (serializer_ != nullptr) {
    scratch_.clear();
    serializer_->endBatch(scratch_);
    writeBody(scratch_);
    batch_.bodyBytes += scratch_.size();
    if (countCharacters_) chars_ += countChars(scratch_);
    if (scratch_.size() > trailerAllowance_) {
      trailerAllowance_ = scratch_.size();
      if (batch_.bodyBytes > limits_.maxBytes ||
          (countCharacters_ && chars_ > limits_.maxCharacters)) {
        discardBatch();
        throw InvalidArgument("load: the serializer's batch trailer (" +
                              std::to_string(scratch_.size()) +
                              " bytes) pushed a batch over the size limit");
      }
    }
  }
  body_.close();
  if (!body_) throw Error("load: writing the spool file '" + batch_.bodyPath + "' failed");
  if (rows_.is_open()) {
    rows_.close();
    if (!rows_) throw Error("load: writing the spool file '" + batch_.rowsPath + "' failed");
  }
  open_ = false;
  batch_.bodyDigest = digest_.value();
  if (keepRows_ && rowsColumns_.empty()) {
    // The columns of the rows files, once, for placeholders of invalid rows: the CSV
    // header, the side file's columns, or what the serializer wrote as the header.
    std::ifstream rows(batch_.rowsPath, std::ios::binary);
    CsvReader reader(rows);
    if (!reader.next(rowsColumns_)) rowsColumns_.clear();
  }
  out = batch_;
}

void BatchSplitter::throwTooLarge(std::size_t size, bool characters) const {
  const std::string unit = characters ? " characters" : " bytes";
  const std::size_t limit = characters ? limits_.maxCharacters : limits_.maxBytes;
  throw InvalidArgument(
      "row " + std::to_string(pendingRow_) + " is too large for a batch: " + std::to_string(size) +
      unit + " with the batch header/envelope, over the limit of " + std::to_string(limit) + unit);
}

void BatchSplitter::resume() noexcept {
  if (deferred_) return;  // the rows before the bad one are still to be handed out
  done_ = false;
}

SplitBatch BatchSplitter::placeholder(std::uint64_t row) {
  SplitBatch out;
  out.index = nextIndex_++;
  out.firstRow = row;
  out.rowCount = 1;
  if (!keepRows_) return out;
  out.rowsPath = spool_.file("b" + std::to_string(out.index) + ".rows");
  std::ofstream rows(out.rowsPath, std::ios::binary | std::ios::trunc);
  if (!rows) throw Error("load: cannot create the spool file '" + out.rowsPath + "'");
  std::string line;
  appendCsvRow(line, rowsColumns_);
  appendCsvRow(line, std::vector<std::string>(std::max<std::size_t>(1, rowsColumns_.size())));
  writeOrThrow(rows, line, out.rowsPath);
  rows.close();
  if (!rows) throw Error("load: writing the spool file '" + out.rowsPath + "' failed");
  return out;
}

std::optional<SplitBatch> BatchSplitter::next() {
  if (deferred_) {
    std::exception_ptr error = deferred_;
    deferred_ = nullptr;
    done_ = true;
    std::rethrow_exception(error);
  }
  if (done_) return std::nullopt;

  for (;;) {
    try {
      if (!havePending_ && readRow() == ReadResult::End) {
        done_ = true;
        break;
      }
      if (!open_) openBatch();
      if (batch_.rowCount >= limits_.maxRecords) break;  // the pending row starts the next one
      if (pendingBreak_ && batch_.rowCount > 0) break;   // so does a group that would not fit
      encodePending();
    } catch (...) {
      // A row that was read had its number counted; one the reader refused had not.
      failedRow_ = havePending_ ? pendingRow_ : ++rowsRead_;
      havePending_ = false;
      if (open_ && batch_.rowCount > 0) {
        // Hand out the good rows before the bad one first; the error follows.
        deferred_ = std::current_exception();
        break;
      }
      discardBatch();
      done_ = true;
      throw;
    }
    if (rawCsv_ && !lineEnd_.empty()) {
      scratch_ = pendingRaw_;
      reEnd(scratch_);
    }
    const std::string_view encoded =
        rawCsv_ && lineEnd_.empty() ? std::string_view(pendingRaw_) : scratch_;
    const std::size_t chars = countCharacters_ ? countChars(encoded) : 0;
    const bool bytesFit = batch_.bodyBytes + encoded.size() + trailerAllowance_ <= limits_.maxBytes;
    const bool charsFit =
        !countCharacters_ || chars_ + chars + trailerAllowance_ <= limits_.maxCharacters;
    if (!bytesFit || !charsFit) {
      if (batch_.rowCount > 0) break;  // the pending row starts the next batch
      // Alone in a batch and still too large: no split can send it.
      const std::size_t bytes = batch_.bodyBytes + encoded.size() + trailerAllowance_;
      const std::size_t total = chars_ + chars + trailerAllowance_;
      failedRow_ = pendingRow_;
      havePending_ = false;
      discardBatch();
      done_ = true;
      if (!bytesFit) throwTooLarge(bytes, false);
      throwTooLarge(total, true);
    }
    writeBody(encoded);
    if (sideRows_) writeOrThrow(rows_, rowsLine_, batch_.rowsPath);
    batch_.bodyBytes += encoded.size();
    chars_ += chars;
    if (batch_.rowCount == 0) {
      batch_.firstRow = pendingRow_;
      batch_.inputBegin = pendingOffset_;
    }
    batch_.inputEnd = pendingOffset_ + pendingRaw_.size();
    if (grouped_ != nullptr) {
      if (batch_.rowCount == 0) batch_.continuesGroup = haveLastKey_ && pendingKey_ == lastKey_;
      batch_.rows.push_back(pendingRow_);
      lastKey_ = pendingKey_;
      haveLastKey_ = true;
    }
    ++batch_.rowCount;
    havePending_ = false;
  }

  if (!open_) return std::nullopt;
  if (batch_.rowCount == 0) {
    discardBatch();
    return std::nullopt;
  }
  SplitBatch out;
  finishBatch(out);
  return out;
}

}  // namespace sfdc::bulk::detail::load
