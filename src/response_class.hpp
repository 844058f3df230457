#pragma once

// What an HTTP answer of the Bulk API means, decided in one place: the request loop
// (retry or not, renew the session or not), the load engine (was a batch created?) and
// the engines' patient reads (worth trying again later?) all ask these functions.

#include <string_view>

namespace sfdc::bulk::detail {

enum class Idempotency {
  /// Safe to resend after any failure (GET, close, abort).
  Idempotent,
  /// Resent only when the server provably did not act on it: 429, 503, or a failure
  /// before the request was sent. Used for createJob/addBatch.
  NonIdempotent,
};

/// The meaning of a status code on its own.
enum class StatusClass {
  Success,      ///< 2xx
  NotActedOn,   ///< 429, 503: the server refused before doing anything; safe to resend
  Transient,    ///< 408, 500, 502, 504: worth another try, but the request may have acted
  ServerError,  ///< other 5xx: the request may have acted; retrying is not expected to help
  Refused,      ///< everything else (4xx, odd codes): the request was refused
};

StatusClass classifyStatus(int status) noexcept;

/// What the request loop does with an answer.
enum class Verdict {
  Success,         ///< hand the answer to the caller
  Retry,           ///< send the request again after a backoff, if the policy allows
  SessionExpired,  ///< renew the session token and send the request again, once
  Fail,            ///< turn the answer into an exception
};

/// The verdict on an answer with `status` and (for statuses other than 2xx) `body`, for a
/// request of the given idempotency.
Verdict classifyResponse(int status, std::string_view body, Idempotency idempotency);

/// True for the Bulk API's answer to an expired or revoked session: 400 (or 401, as a
/// proxy or a newer server may answer) with the exception code InvalidSessionId (v1), or
/// 401 with the error code INVALID_SESSION_ID (2.0).
bool isInvalidSession(int status, std::string_view body);

}  // namespace sfdc::bulk::detail
