// The token endpoint's answer, as the refresh-token grant reads it: a token, or an
// sfdc::bulk::Error saying why not; never another exception.

#include <memory>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <string>

#include "auth/authenticator.hpp"
#include "fuzz_support.hpp"
#include "redactor.hpp"

namespace {

// Answers every request with the same canned response.
class CannedTransport final : public sfdc::bulk::HttpTransport {
 public:
  explicit CannedTransport(sfdc::bulk::HttpResponse response) : response_(std::move(response)) {}
  sfdc::bulk::HttpResponse send(const sfdc::bulk::HttpRequest&) override { return response_; }

 private:
  sfdc::bulk::HttpResponse response_;
};

void fetchToken(int status, std::string_view body) {
  sfdc::bulk::HttpResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json"}};
  response.body = std::string(body);
  sfdc::bulk::RefreshTokenConfig credentials;
  credentials.clientId = "3MVG9fuzzclient";
  credentials.clientSecret = "fuzz-client-secret";
  credentials.refreshToken = "5Aep861fuzzrefreshtoken";
  credentials.refreshUrl = "https://login.salesforce.com/services/oauth2/token";
  sfdc::bulk::RetryPolicy once;
  once.maxAttempts = 1;
  auto auth = sfdc::bulk::detail::makeAuthenticator(
      credentials, std::make_shared<CannedTransport>(std::move(response)), once,
      std::make_shared<sfdc::bulk::detail::Redactor>(), nullptr);
  try {
    (void)auth->current();
  } catch (const sfdc::bulk::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = sfdc::bulk::fuzz::asText(data, size);
  fetchToken(200, body);  // a grant
  fetchToken(400, body);  // a refusal, whose body names the OAuth2 error
  return 0;
}
