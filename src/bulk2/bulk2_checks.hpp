#pragma once

// Client-side checks of Bulk API 2.0 requests, shared by Bulk2Client and the connection,
// so that bad input fails the same way, before anything is sent, whichever is used.

#include <sfdc/bulk/bulk2_types.hpp>
#include <string_view>

namespace sfdc::bulk::detail {

/// Upsert needs externalIdFieldName, other operations refuse one, query operations are
/// not ingest jobs, the object must be named. Throws InvalidArgument.
void validateIngestJobRequest(Operation operation, std::string_view object,
                              const IngestJobOptions& options);
/// The SOQL must not be blank. Throws InvalidArgument.
void validateSoql(std::string_view soql);
/// A link the server gave (nextRecordsUrl, resultUrl): a relative `/services/data/…`
/// URL without `..`, `//` or characters that do not belong in a URL. Throws
/// InvalidArgument naming `what` of `operation`.
void requireServerLink(std::string_view operation, std::string_view what, std::string_view url);

}  // namespace sfdc::bulk::detail
