#pragma once

// Client::collectLoad: the outcome of every input row of an existing Bulk API v1 load job,
// paired with the input by content (the job's batches may have been cut and created in
// any order), reported as a live load reports it.

#include <sfdc/bulk/connection.hpp>
#include <sfdc/bulk/load.hpp>
#include <string_view>

#include "loader.hpp"

namespace sfdc::bulk::detail::load {

LoadResult collectLoad(Connection& api, std::string_view jobId, const RecordSource& input,
                       const LoadOptions& options, const LoadTuning& tuning = {});

}  // namespace sfdc::bulk::detail::load
