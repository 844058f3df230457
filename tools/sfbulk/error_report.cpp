#include "error_report.hpp"

#include <iostream>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/load.hpp>
#include <string_view>

#include "cli_common.hpp"
#include "credentials.hpp"
#include "exit_codes.hpp"

namespace sfbulk {

namespace {

ErrorReport make(int exitCode, std::string message, std::vector<std::string> hints = {}) {
  ErrorReport report;
  report.exitCode = exitCode;
  report.errorClass = errorClassOf(exitCode);
  report.message = std::move(message);
  report.hints = std::move(hints);
  return report;
}

const char* kRenewHint =
    "an access token cannot be renewed: get a fresh one, or set SFDC_REFRESH_TOKEN (or"
    " SFDC_USERNAME + SFDC_PASSWORD) so that sfbulk can log in again by itself";

ErrorReport describeAuth(const sfdc::bulk::AuthError& e) {
  ErrorReport report;
  if (e.oauthError() == "InvalidSessionId") {
    // A static access token cannot be renewed; a renewable one kept being refused.
    const bool renewable =
        std::string_view(e.what()).find("token refreshes") != std::string_view::npos;
    if (renewable) {
      report = make(kExitAuth, std::string("the org kept rejecting fresh sessions: ") + e.what(),
                    {"check that the user may use the API (API Enabled) and the connected app's"
                     " session policies (IP restrictions, session timeout)"});
    } else {
      report =
          make(kExitAuth, std::string("the access token was rejected: ") + e.what(), {kRenewHint});
    }
  } else {
    std::string message = std::string("authentication failed: ") + e.what();
    if (!e.oauthError().empty()) message += " [" + e.oauthError() + "]";
    report = make(kExitAuth, message,
                  {"check the client id/secret and the refresh token, user name/password or JWT"
                   " key (SFDC_*), and SFDC_TOKEN_URL: sandboxes log in at"
                   " https://test.salesforce.com/services/oauth2/token"});
  }
  report.exceptionCode = e.oauthError();
  report.httpStatus = e.httpStatus();
  return report;
}

ErrorReport describeApi(const sfdc::bulk::ApiError& e) {
  ErrorReport report;
  if (e.exceptionCode() == "InvalidSessionId") {
    report = make(kExitAuth, std::string("the session was rejected: ") + e.what(), {kRenewHint});
  } else {
    report = make(kExitApi, std::string("Salesforce refused the request: ") + e.what());
    const std::string inspect = "inspect the job with: sfbulk job info " + e.jobId();
    if (e.exceptionCode() == "InvalidJob" || e.exceptionCode() == "InvalidBatch") {
      report.hints.push_back("check the id (sfbulk job batches JOB_ID lists a job's batches)");
    } else if (e.exceptionCode() == "ExceededQuota") {
      // Nothing this run can do helps: the allocation frees up over the next 24 hours.
      report.hints.push_back(
          "the org has used its Bulk API allocation (15,000 batches per rolling 24 hours,"
          " shared by every job and client): wait, or use fewer, larger batches");
      if (!e.jobId().empty()) report.hints.push_back(inspect);
    } else if (!e.jobId().empty()) {
      report.hints.push_back(inspect);
    }
  }
  report.exceptionCode = e.exceptionCode();
  report.httpStatus = e.httpStatus();
  report.jobId = e.jobId();
  report.batchId = e.batchId();
  return report;
}

ErrorReport describeTimeout(const sfdc::bulk::TimeoutError& e) {
  ErrorReport report = make(kExitTimeout, std::string("timed out: ") + e.what());
  if (!e.jobId().empty()) {
    report.hints.push_back("the job is left open: follow it with `sfbulk job info " + e.jobId() +
                           "`, stop it with `sfbulk job abort " + e.jobId() + "`");
  }
  report.hints.push_back("raise --timeout to wait longer");
  report.jobId = e.jobId();
  report.batchId = e.batchId();
  return report;
}

ErrorReport describeTransport(const sfdc::bulk::TransportError& e) {
  ErrorReport report = make(kExitNetwork, std::string("no answer from Salesforce: ") + e.what(),
                            {"check SFDC_INSTANCE_URL / SFDC_TOKEN_URL, the network and any"
                             " proxy (HTTPS_PROXY)"});
  if (e.requestSent()) {
    report.hints.push_back(
        "the last request may have reached the server: check the job before running the"
        " command again");
  }
  return report;
}

}  // namespace

const char* errorClassOf(int exitCode) {
  switch (exitCode) {
    case kExitOk:
      return "ok";
    case kExitPartialFailure:
      return "partialFailure";
    case kExitUsage:
      return "usage";
    case kExitAuth:
      return "auth";
    case kExitApi:
      return "api";
    case kExitTimeout:
      return "timeout";
    case kExitNetwork:
      return "network";
    case kExitLocalIo:
      return "localIo";
    case kExitInterrupted:
      return "interrupted";
    case kExitDuplicates:
      return "duplicates";
    case kExitLoadFailed:
      return "loadFailed";
    case kExitOutputClosed:
      return "outputClosed";
    default:
      return "internal";
  }
}

ErrorReport describeError(const std::exception_ptr& error) {
  using namespace sfdc::bulk;
  try {
    std::rethrow_exception(error);
  } catch (const OutputClosed&) {
    ErrorReport report = make(kExitOutputClosed, "stdout was closed");
    report.quiet = true;  // the reader asked for no more
    return report;
  } catch (const UsageError& e) {
    return make(kExitUsage, e.what(), {"(see --help)"});
  } catch (const CredentialsError& e) {
    return make(kExitAuth, e.what());
  } catch (const LocalIoError& e) {
    return make(kExitLocalIo, e.what());
  } catch (const FileError& e) {
    return make(kExitLocalIo, e.what());
  } catch (const LoadIncompleteError& e) {
    // `sfbulk load` reports these itself; this is the fallback for any other caller.
    ErrorReport cause = e.cause() ? describeError(e.cause()) : make(kExitApi, "");
    ErrorReport report = make(cause.exitCode, e.what());
    report.exceptionCode = cause.exceptionCode;
    report.httpStatus = cause.httpStatus;
    report.jobId = cause.jobId.empty() ? e.result().jobId : cause.jobId;
    report.batchId = cause.batchId;
    return report;
  } catch (const Interrupted& e) {
    return make(kExitInterrupted, e.what());
  } catch (const AuthError& e) {
    return describeAuth(e);
  } catch (const ApiError& e) {
    return describeApi(e);
  } catch (const TimeoutError& e) {
    return describeTimeout(e);
  } catch (const TransportError& e) {
    return describeTransport(e);
  } catch (const InvalidArgument& e) {
    return make(kExitUsage, e.what());
  } catch (const ParseError& e) {
    return make(kExitApi, std::string("unexpected response: ") + e.what());
  } catch (const Error& e) {
    return make(InterruptScope::interrupted() ? kExitInterrupted : kExitApi, e.what());
  } catch (const std::exception& e) {
    return make(kExitInternal, std::string("internal error: ") + e.what(),
                {"please report this with the command you ran"});
  } catch (...) {
    return make(kExitInternal, "internal error: an unknown exception",
                {"please report this with the command you ran"});
  }
}

std::string errorText(const ErrorReport& report) {
  std::string text = "sfbulk: error: " + report.message;
  for (const auto& hint : report.hints) text += "\n  " + hint;
  return text;
}

nlohmann::ordered_json errorDocument(const ErrorReport& report) {
  auto orNull = [](const std::string& text) {
    return text.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(text);
  };
  return {{"errorClass", report.errorClass},
          {"message", report.message},
          {"hints", report.hints},
          {"exceptionCode", orNull(report.exceptionCode)},
          {"httpStatus", report.httpStatus == 0 ? nlohmann::ordered_json()
                                                : nlohmann::ordered_json(report.httpStatus)},
          {"jobId", orNull(report.jobId)},
          {"batchId", orNull(report.batchId)},
          {"exitCode", report.exitCode}};
}

ErrorOutput& errorOutput() {
  static ErrorOutput instance;
  return instance;
}

int reportError(ErrorReport report) {
  const ErrorOutput& output = errorOutput();
  if (report.jobId.empty()) report.jobId = output.jobId;
  if (report.batchId.empty()) report.batchId = output.batchId;
  if (report.quiet) return report.exitCode;
  if (!output.json) {
    console().line(errorText(report));
  } else if (!output.documentWritten) {
    std::cout << errorDocument(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << std::endl;
  }
  return report.exitCode;
}

}  // namespace sfbulk
