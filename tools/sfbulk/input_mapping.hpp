#pragma once

// The Data Loader style data settings of `sfbulk load`, applied to a CSV input while it
// streams: a field mapping file (--mapping), the input's character encoding (--encoding),
// date and date/time values (--timezone, --day-first) and empty cells meaning null
// (--insert-nulls). The batches get the converted rows; the result files keep the
// input's own columns and cells (RecordSource::Reader::rewritesRows), as Data Loader's do.

#include <memory>
#include <optional>
#include <sfdc/bulk/load.hpp>
#include <string>
#include <vector>

#include "date_values.hpp"
#include "sdl_mapping.hpp"
#include "text_decoder.hpp"

namespace sfbulk {

/// What to do to each row; the defaults change nothing.
struct InputConversion {
  /// Which columns go to which fields; unset: every column, to the field it names.
  std::optional<SdlMapping> mapping;
  /// The input's encoding; null: UTF-8 (cells unchanged).
  std::shared_ptr<const TextDecoder> decoder;
  /// Date and date/time cells rewritten for the Bulk API; unset: sent as they are.
  std::optional<DateConverter> dates;
  /// An empty cell sets the field to null (`#N/A`) instead of leaving it unchanged.
  bool insertNulls = false;

  /// True when any setting changes the rows.
  bool changesRows() const noexcept {
    return mapping || (decoder && !decoder->isUtf8()) || dates || insertNulls;
  }
};

/// A CSV source whose rows are converted by an InputConversion on their way to the
/// batches. Errors name `inputName`, the data row (from 1) and the column, and are
/// sfdc::bulk::InvalidArgument: a mapping naming a column the input lacks (when the
/// header is read, before anything is sent), a byte invalid in the encoding, a cell shaped
/// like a date that is no real date.
class ConvertingCsvReader final : public sfdc::bulk::RecordSource::Reader {
 public:
  ConvertingCsvReader(sfdc::bulk::RecordSource inner, InputConversion conversion,
                      std::string inputName);

  const std::vector<std::string>& csvHeader() override;
  bool nextCsvRow(std::string& raw, std::vector<std::string>& fields) override;
  bool nextRecord(nlohmann::json& record) override;
  bool isCsv() const override { return true; }
  std::string sourcePath() const override { return inner_.reader().sourcePath(); }
  bool rewritesRows() const override { return true; }
  const std::vector<std::string>& inputHeader() override;
  const std::vector<std::string>& inputFields() const override { return inputFields_; }

 private:
  /// Where an output cell comes from: an input column, or a constant.
  struct Source {
    std::size_t column = 0;
    const std::string* constant = nullptr;
  };
  void readHeader();
  std::string where() const;

  sfdc::bulk::RecordSource inner_;
  InputConversion conversion_;
  std::string inputName_;
  bool headerRead_ = false;
  std::vector<std::string> inputHeader_;  // decoded
  std::vector<std::string> header_;       // the fields sent
  std::vector<Source> sources_;           // one per field sent
  std::uint64_t row_ = 0;                 // data rows read
  std::string innerRaw_;
  std::vector<std::string> inputFields_;  // decoded cells of the last row
  std::string raw_;
  std::vector<std::string> fields_;
};

}  // namespace sfbulk
