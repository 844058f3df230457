#pragma once

#include <exception>
#include <string>

namespace sfdc::bulk::detail {

/// The message of a captured exception, for logs and the messages that wrap it.
inline std::string describeError(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

}  // namespace sfdc::bulk::detail
