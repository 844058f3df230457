// The consumer's own library: it uses sfdc::bulk in its interface.
#include <sfdc/bulk.hpp>
#include <string>

std::string contactsCsv(const std::string& lastName) {
  return sfdc::bulk::serializeRecords(nlohmann::json::array({{{"LastName", lastName}}}),
                                      sfdc::bulk::ContentType::CSV);
}
