#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk::detail::load {

/// A CSV row as a record for JSON/XML jobs: each cell becomes a string field, `#N/A`
/// becomes null ("set to null") and an empty cell is left out ("leave unchanged"), so
/// the three meanings survive the change of format.
nlohmann::json csvRowToRecord(const std::vector<std::string>& header,
                              const std::vector<std::string>& fields);

/// A record's scalar value as a CSV cell, the inverse of csvRowToRecord: null is `#N/A`,
/// a string is itself, other values their JSON text.
std::string scalarCell(const nlohmann::json& value);

}  // namespace sfdc::bulk::detail::load
