#pragma once

/// Umbrella header: the whole public API of sfdc-bulk, and <nlohmann/json.hpp> for the
/// records that many calls take. The component headers need only <nlohmann/json_fwd.hpp>:
/// include them instead where a file does not build or read JSON records.
#include <nlohmann/json.hpp>
#include <sfdc/bulk/attachment_zip.hpp>
#include <sfdc/bulk/bulk2_client.hpp>
#include <sfdc/bulk/bulk2_connection.hpp>
#include <sfdc/bulk/bulk2_types.hpp>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/config.hpp>
#include <sfdc/bulk/connection.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/curl_transport.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <sfdc/bulk/limits.hpp>
#include <sfdc/bulk/load.hpp>
#include <sfdc/bulk/logging.hpp>
#include <sfdc/bulk/query.hpp>
#include <sfdc/bulk/query_result.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <sfdc/bulk/types.hpp>
