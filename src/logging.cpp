#include <sfdc/bulk/logging.hpp>

namespace sfdc::bulk {

std::string_view toString(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::Debug:
      return "debug";
    case LogLevel::Info:
      return "info";
    case LogLevel::Warning:
      return "warning";
    case LogLevel::Error:
      return "error";
  }
  return "?";
}

}  // namespace sfdc::bulk
