#include "lf_rows.hpp"

namespace sfdc::bulk::detail::load2 {

void endWithLf(std::string& raw) {
  if (!raw.empty() && raw.back() == '\n') raw.pop_back();
  if (!raw.empty() && raw.back() == '\r') raw.pop_back();
  raw.push_back('\n');
}

bool LfRowReader::nextCsvRow(std::string& raw, std::vector<std::string>& fields) {
  if (!inner_.nextCsvRow(raw, fields)) return false;
  endWithLf(raw);
  return true;
}

}  // namespace sfdc::bulk::detail::load2
