#include "query/spool_csv_row.hpp"

#include <string_view>

namespace sfdc::bulk::detail::query {

void appendSpoolCsvRow(std::string& out, const std::vector<std::string>& row) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    std::string_view rest = row[i];
    for (auto quote = rest.find('"'); quote != std::string_view::npos; quote = rest.find('"')) {
      out.append(rest.substr(0, quote + 1));
      out += '"';
      rest.remove_prefix(quote + 1);
    }
    out.append(rest);
    out += '"';
  }
  out += '\n';
}

}  // namespace sfdc::bulk::detail::query
