// A SOQL query as the emulator receives it in a query batch: parsed, and run against a
// small org, or refused with BatchFailure (MALFORMED_QUERY, INVALID_FIELD, ...).

#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "org.hpp"
#include "soql_parser.hpp"

namespace {

sfdc::emulator::InputRecord record(
    std::vector<std::pair<std::string, sfdc::emulator::Value>> fields) {
  return sfdc::emulator::InputRecord{std::move(fields)};
}

// A few records with nulls, numbers, dates and a relationship, so that WHERE, ORDER BY
// and relationship paths have something to compare.
void addSampleRecords(sfdc::emulator::Org& o) {
  (void)o.applyDml(
      "insert", "Account",
      {record({{"Name", "Acme"},
               {"External_Id__c", "A-1"},
               {"NumberOfEmployees", "120"},
               {"AnnualRevenue", "1500000.50"}}),
       record({{"Name", "Globex"}, {"External_Id__c", "A-2"}, {"Industry", std::nullopt}})},
      "");
  (void)o.applyDml("insert", "Contact",
                   {record({{"LastName", "O'Brien"},
                            {"FirstName", "Ann"},
                            {"Account.External_Id__c", "A-1"},
                            {"Birthdate", "1980-02-29"},
                            {"HasOptedOutOfEmail", "true"},
                            {"Legacy_Number__c", "-3.5e2"}}),
                    record({{"LastName", "Smith"}, {"Email", "smith@example.com"}})},
                   "");
}

const sfdc::emulator::Org& sampleOrg() {
  static sfdc::emulator::Org org;
  static const bool filled = (addSampleRecords(org), true);
  (void)filled;
  return org;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view soql = sfdc::bulk::fuzz::asText(data, size);
  try {
    (void)sfdc::emulator::detail::parseSoql(soql);
  } catch (const sfdc::emulator::BatchFailure&) {
  }
  try {
    (void)sampleOrg().query(soql, false);
    (void)sampleOrg().query(soql, true);
  } catch (const sfdc::emulator::BatchFailure&) {
  }
  return 0;
}
