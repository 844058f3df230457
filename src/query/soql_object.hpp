#pragma once

// The sObject a SOQL query reads: needed up front because a query job is created for
// one object before the SOQL text is sent as its batch.

#include <string>
#include <string_view>

namespace sfdc::bulk::detail {

/// The object named by the outermost FROM clause of `soql` (as written, e.g.
/// `Account`, `ns__Thing__c`). FROM is matched case-insensitively as a whole word,
/// outside string literals and outside parentheses (subqueries and semi-joins have
/// their own FROM). Throws InvalidArgument when there is none.
std::string queryObject(std::string_view soql);

}  // namespace sfdc::bulk::detail
