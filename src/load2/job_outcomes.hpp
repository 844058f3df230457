#pragma once

// The outcome of every row of one Bulk API 2.0 job while its result files are matched,
// kept compact (about 21 bytes a row, error text only for rejected rows) because a job
// may hold hundreds of thousands of rows.

#include <array>
#include <cstdint>
#include <sfdc/bulk/load.hpp>
#include <string>
#include <unordered_map>
#include <vector>

namespace sfdc::bulk::detail::load2 {

class JobOutcomes {
 public:
  enum class Kind : std::uint8_t { None, Succeeded, Failed, Unprocessed };

  /// `rowCount` rows, none with an outcome yet. `unprocessedError` is what rows found in
  /// unprocessedrecords carry; `noResultError` what rows no result file named carry.
  JobOutcomes(std::size_t rowCount, RecordError unprocessedError, RecordError noResultError);

  std::size_t size() const noexcept { return rows_.size(); }
  Kind kind(std::size_t row) const noexcept { return rows_[row].kind; }
  bool assigned(std::size_t row) const noexcept { return rows_[row].kind != Kind::None; }

  void succeed(std::size_t row, std::string_view id, bool created);
  void fail(std::size_t row, std::string_view id, std::vector<RecordError> errors);
  void unprocessed(std::size_t row);
  /// Every row succeeded (a job that reported all rows processed without failure and
  /// whose results nobody reads); ids unknown.
  void succeedAll(bool created);

  /// Rows without an outcome.
  std::size_t unassigned() const noexcept;

  /// The RowResult of `row` (0-based in the job), numbered `inputRow`.
  RowResult result(std::size_t row, std::uint64_t inputRow) const;

 private:
  static constexpr std::size_t kIdBytes = 18;
  struct Compact {
    std::array<char, kIdBytes> id{};
    std::uint8_t idLength = 0;
    Kind kind = Kind::None;
    bool created = false;
  };
  void setId(std::size_t row, std::string_view id);

  std::vector<Compact> rows_;
  std::unordered_map<std::uint32_t, std::vector<RecordError>> errors_;
  std::unordered_map<std::uint32_t, std::string> longIds_;  // ids over 18 characters
  RecordError unprocessedError_;
  RecordError noResultError_;
};

}  // namespace sfdc::bulk::detail::load2
