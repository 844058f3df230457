// Upsert contacts by external id in a JSON job (the seed connector's bulk_upsert_json
// sample), and link each to its account through the account's external id: a nested
// object `{"Account": {"External_Id__c": "…"}}` sets AccountId without looking the
// account's Id up first.
//
// External_Id__c is a custom text field marked "External ID" (and unique). The emulator
// has it on Account and Contact; in a real org, create it on both objects first (Setup →
// Object Manager → Fields & Relationships).
//
//   createJob(externalIdFieldName) → addBatch → getJobInfo → getBatchInfo (polled) →
//   getAllBatches → getBatchRequest → getBatchResult → closeJob
//
// Exits non-zero when anything does not go as expected.

#include <iostream>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;
using nlohmann::json;

int main() try {
  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;
  const std::string tag = examples::runTag();

  const std::string accountKey = tag + "-acme";
  const std::vector<std::string> accounts = examples::insertRecords(
      client, "Account", {{{"Name", "Acme"}, {"External_Id__c", accountKey}}});
  const std::vector<std::string> existing = examples::insertRecords(
      client, "Contact",
      {{{"FirstName", "Morne"}, {"LastName", "Morkel"}, {"External_Id__c", tag + "-1"}}});

  const json contacts = json::array({
      // Matches the existing contact: updated.
      {{"External_Id__c", tag + "-1"},
       {"Title", "Professor Grade 04"},
       {"Account", {{"External_Id__c", accountKey}}}},
      // Matches nothing: created.
      {{"External_Id__c", tag + "-2"},
       {"FirstName", "Andrew"},
       {"LastName", "Flintoff"},
       {"Account", {{"External_Id__c", accountKey}}}},
  });

  // 1. createJob: upsert needs the external id field.
  JobOptions options;
  options.externalIdFieldName = "External_Id__c";
  Job job = client.createJob(Operation::Upsert, "Contact", ContentType::JSON, options);
  std::cout << "created job " << job.id << " keyed on " << job.externalIdFieldName << "\n";

  // 2. addBatch
  BatchInfo batch = client.addBatch(job, contacts);
  std::cout << "added batch " << batch.id << "\n";

  // 3. getJobInfo
  examples::print(client.getJobInfo(job));

  // 4. getBatchInfo, until the batch is done.
  batch = examples::waitForBatch(client, job, batch.id);
  examples::print(batch);
  checks.expect(batch.state == BatchState::Completed, "the batch completed");

  // 5. getAllBatches
  checks.expect(client.getAllBatches(job).size() == 1, "getAllBatches lists one batch");

  // 6. getBatchRequest
  checks.expect(json::parse(client.getBatchRequest(job, batch.id)) == contacts,
                "getBatchRequest returns the records sent");

  // 7. getBatchResult
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expectAllSucceeded(results, 2, "upsert");
  std::vector<std::string> contactIds = existing;
  if (results.size() == 2) {
    checks.expect(!results[0].created && results[0].id == existing[0],
                  "record 1 updated the existing contact");
    checks.expect(results[1].created, "record 2 created a contact");
    if (results[1].success) contactIds.push_back(results[1].id);
  }

  // 8. closeJob
  checks.expect(client.closeJob(job).state == JobState::Closed, "the job is closed");

  // Both contacts now point at the account named by its external id.
  const json linked = {{"AccountId", accounts[0]}};
  checks.expectSameRecords(std::vector<json>(contactIds.size(), linked),
                           examples::fetchRecords(client, "Contact", {"AccountId"}, contactIds),
                           {"AccountId"}, "contacts linked to the account");

  examples::deleteRecords(client, "Contact", contactIds);
  examples::deleteRecords(client, "Account", accounts);
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
