// A tiny application linking sfdc::bulk the way users do: it serializes records, parses
// them back, and makes a real (failing) request through libcurl.
#include <iostream>
#include <sfdc/bulk.hpp>
#include <sfdc/bulk/version.hpp>

int main() {
  using namespace sfdc::bulk;
  std::string body =
      serializeRecords(nlohmann::json::array({{{"Name", "Acme, Inc."}}}), ContentType::CSV);
  auto reader = CsvReader::fromString(body);
  std::vector<std::string> row;
  if (!reader.next(row) || row != std::vector<std::string>{"Name"}) return 1;
  if (!reader.next(row) || row != std::vector<std::string>{"Acme, Inc."}) return 1;

  Config config;
  config.baseUrl = "http://127.0.0.1:1";  // nothing listens on port 1
  config.clientConfig = AccessTokenConfig{"not-a-real-token"};
  config.retry.maxAttempts = 1;
  Client client(config);
  try {
    client.getJobInfo(Job{"750000000000000AAA", Operation::Insert, "Account", ContentType::CSV});
    return 1;
  } catch (const TransportError& e) {
    std::cout << "sfdc-bulk " << kVersion << " linked; expected transport error: " << e.what()
              << "\n";
  }
  return 0;
}
