// Client::load: the load engine over the client's connection.

#include <sfdc/bulk/client.hpp>

#include "loader.hpp"

namespace sfdc::bulk {

LoadResult Client::load(Operation operation, std::string_view object, RecordSource source,
                        const LoadOptions& options) {
  return detail::load::runLoad(*connection_, operation, object, source, options);
}

}  // namespace sfdc::bulk
