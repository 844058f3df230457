#include "bulk2_checks.hpp"

#include <cctype>
#include <sfdc/bulk/error.hpp>
#include <string>

namespace sfdc::bulk::detail {

void validateIngestJobRequest(Operation operation, std::string_view object,
                              const IngestJobOptions& options) {
  if (isQuery(operation)) {
    throw InvalidArgument("createIngestJob: " + std::string(toString(operation)) +
                          " is a query operation; use createQueryJob");
  }
  if (object.empty()) throw InvalidArgument("createIngestJob: the object name is empty");
  if (operation == Operation::Upsert && options.externalIdFieldName.empty()) {
    throw InvalidArgument("createIngestJob: upsert needs IngestJobOptions::externalIdFieldName");
  }
  if (operation != Operation::Upsert && !options.externalIdFieldName.empty()) {
    throw InvalidArgument("createIngestJob: externalIdFieldName is only valid for upsert, not " +
                          std::string(toString(operation)));
  }
}

void validateSoql(std::string_view soql) {
  for (unsigned char c : soql) {
    if (!std::isspace(c)) return;
  }
  throw InvalidArgument("createQueryJob: the SOQL query is empty");
}

void requireServerLink(std::string_view operation, std::string_view what, std::string_view url) {
  auto refuse = [&](const char* why) {
    std::string shown;
    for (unsigned char c : url.substr(0, 120))
      shown += std::isprint(c) ? static_cast<char>(c) : '?';
    throw InvalidArgument(std::string(operation) + ": the " + std::string(what) + " '" + shown +
                          "' " + why);
  };
  constexpr std::string_view kRoot = "/services/data/";
  if (url.substr(0, kRoot.size()) != kRoot) {
    refuse("is not a relative URL starting with /services/data/");
  }
  // The link is appended to the instance URL: it must not climb out of the API, name
  // another host or smuggle in whitespace or a fragment.
  if (url.find("..") != std::string_view::npos) refuse("contains '..'");
  if (url.find("//") != std::string_view::npos) refuse("contains '//'");
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7F || c == '#' || c == '\\') {
      refuse("contains a character that does not belong in a URL");
    }
  }
}

}  // namespace sfdc::bulk::detail
