#pragma once

// Entry points of the DML and SOQL engines, each working on the org's storage under the
// lock Org holds.

#include <string_view>
#include <vector>

#include "org.hpp"
#include "org_state.hpp"

namespace sfdc::emulator::detail {

std::vector<DmlResult> applyDml(OrgState& state, std::string_view operation,
                                std::string_view object, const std::vector<InputRecord>& records,
                                std::string_view externalIdField, double lockFailureShare,
                                bool checkOnly = false);

/// For each of the `count` records, the parent ids (18 characters) writing it locks;
/// see Org::parentLocks.
std::vector<std::vector<std::string>> parentLocks(OrgState& state, std::string_view object,
                                                  const InputRecord* records, std::size_t count);

/// The query's columns, and its rows when `withRows` (else only checked).
QueryOutput runQuery(const OrgState& state, std::string_view soql, bool includeDeleted,
                     bool withRows = true);

/// The stateMessage for an unknown object in a query or PK-chunked job.
std::string unsupportedObjectMessage(std::string_view object);

}  // namespace sfdc::emulator::detail
