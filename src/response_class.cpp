#include "response_class.hpp"

#include "codec/wire_codec.hpp"

namespace sfdc::bulk::detail {

// 406 stays Refused, bodiless or not: Bulk API 2.0 answers it when the Accept header
// excludes what the resource serves (text/csv for results). Some clients retry it, but the
// one observed cause was fixed by changing Accept, and a repeat with the same Accept meets
// the same refusal; the connection explains it in the error instead.
StatusClass classifyStatus(int status) noexcept {
  if (status >= 200 && status < 300) return StatusClass::Success;
  if (status == 429 || status == 503) return StatusClass::NotActedOn;
  if (status == 408 || status == 500 || status == 502 || status == 504) {
    return StatusClass::Transient;
  }
  if (status >= 500 && status < 600) return StatusClass::ServerError;
  return StatusClass::Refused;
}

bool isInvalidSession(int status, std::string_view body) {
  // Bulk API v1 reports an expired session as 400 + InvalidSessionId, not 401; Bulk API
  // 2.0 (the REST framework) as 401 + [{"errorCode":"INVALID_SESSION_ID",…}].
  if (status != 400 && status != 401) return false;
  auto error = parseErrorBody(body);
  if (!error) return false;
  return error->exceptionCode == "InvalidSessionId" ||
         (status == 401 && error->exceptionCode == "INVALID_SESSION_ID");
}

Verdict classifyResponse(int status, std::string_view body, Idempotency idempotency) {
  switch (classifyStatus(status)) {
    case StatusClass::Success:
      return Verdict::Success;
    case StatusClass::NotActedOn:
      return Verdict::Retry;
    case StatusClass::Transient:
      return idempotency == Idempotency::Idempotent ? Verdict::Retry : Verdict::Fail;
    case StatusClass::ServerError:
      return Verdict::Fail;
    case StatusClass::Refused:
      break;
  }
  return isInvalidSession(status, body) ? Verdict::SessionExpired : Verdict::Fail;
}

}  // namespace sfdc::bulk::detail
