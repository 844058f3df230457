// Upsert contacts by external id from a CSV body (the seed connector's
// bulk_upsert_csv sample). A row whose External_Id__c matches a contact updates it; any
// other row creates a contact.
//
// External_Id__c is a custom text field marked "External ID" (and unique). The
// emulator has it on Account and Contact; in a real org, create it on Contact first
// (Setup → Object Manager → Contact → Fields & Relationships).
//
//   createJob(externalIdFieldName) → addBatch → getJobInfo → getBatchInfo (polled) →
//   getAllBatches → getBatchRequest → getBatchResult → closeJob
//
// Exits non-zero when anything does not go as expected.

#include <iostream>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;

int main() try {
  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;
  const std::string tag = examples::runTag();

  // Two contacts exist before the upsert; it updates the first and creates a third.
  const std::vector<std::string> existing = examples::insertRecords(
      client, "Contact",
      {{{"FirstName", "Tony"}, {"LastName", "Stark"}, {"External_Id__c", tag + "-1"}},
       {{"FirstName", "Peter"}, {"LastName", "Parker"}, {"External_Id__c", tag + "-2"}}});

  // 1. createJob: upsert needs the external id field.
  JobOptions options;
  options.externalIdFieldName = "External_Id__c";
  Job job = client.createJob(Operation::Upsert, "Contact", ContentType::CSV, options);
  std::cout << "created job " << job.id << " keyed on " << job.externalIdFieldName << "\n";

  // 2. addBatch
  const std::string csv = "External_Id__c,FirstName,LastName,Title\n" + tag +
                          "-1,Tony,Stark,\"Engineer, Level 3\"\n" + tag +
                          "-3,Natasha,Romanoff,\"Analyst\"\n";
  BatchInfo batch = client.addBatch(job, csv);
  std::cout << "added batch " << batch.id << "\n";

  // 3. getJobInfo
  JobInfo info = client.getJobInfo(job);
  examples::print(info);
  checks.expect(info.externalIdFieldName == "External_Id__c", "the job is keyed on External_Id__c");

  // 4. getBatchInfo, until the batch is done.
  batch = examples::waitForBatch(client, job, batch.id);
  examples::print(batch);
  checks.expect(batch.state == BatchState::Completed, "the batch completed");

  // 5. getAllBatches
  checks.expect(client.getAllBatches(job).size() == 1, "getAllBatches lists one batch");

  // 6. getBatchRequest
  checks.expect(client.getBatchRequest(job, batch.id).find(tag + "-3") != std::string::npos,
                "getBatchRequest returns the uploaded rows");

  // 7. getBatchResult: `created` tells an insert from an update.
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expectAllSucceeded(results, 2, "upsert");
  std::vector<std::string> toDelete = existing;
  if (results.size() == 2) {
    checks.expect(!results[0].created && results[0].id == existing[0],
                  "row 1 updated the existing contact");
    checks.expect(results[1].created, "row 2 created a contact");
    if (results[1].success) toDelete.push_back(results[1].id);
  }

  // 8. closeJob
  checks.expect(client.closeJob(job).state == JobState::Closed, "the job is closed");

  examples::deleteRecords(client, "Contact", toDelete);
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
