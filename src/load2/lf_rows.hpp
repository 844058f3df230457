#pragma once

// A RecordSource reader that hands out every raw CSV row ended by a bare LF. A Bulk API
// 2.0 job declares one line ending for all of its data and fails as a whole when a row
// ends otherwise, so the rows sent are made to end the way the job is created (LF).
// Line breaks inside quoted values are part of the value and stay as they are.

#include <sfdc/bulk/load.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk::detail::load2 {

class LfRowReader final : public RecordSource::Reader {
 public:
  explicit LfRowReader(RecordSource::Reader& inner) : inner_(inner) {}

  const std::vector<std::string>& csvHeader() override { return inner_.csvHeader(); }
  bool nextCsvRow(std::string& raw, std::vector<std::string>& fields) override;
  bool nextRecord(nlohmann::json& record) override { return inner_.nextRecord(record); }
  bool isCsv() const override { return inner_.isCsv(); }
  std::string sourcePath() const override { return inner_.sourcePath(); }
  bool rewritesRows() const override { return inner_.rewritesRows(); }
  const std::vector<std::string>& inputHeader() override { return inner_.inputHeader(); }
  const std::vector<std::string>& inputFields() const override { return inner_.inputFields(); }

 private:
  RecordSource::Reader& inner_;
};

/// `raw` (one CSV record with its terminator, or none at the end of a file) ended by a
/// single LF instead.
void endWithLf(std::string& raw);

}  // namespace sfdc::bulk::detail::load2
