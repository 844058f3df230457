// Upsert contacts by external id in an XML job (the seed connector's bulk_upsert_xml
// sample), with the batch body built by hand through an XmlSerializer: beginBatch,
// appendRecord per record, endBatch. That is how to produce bodies of a custom shape (or
// to look at them) before `addBatch`.
//
// External_Id__c is a custom text field marked "External ID" (and unique). The emulator
// has it on Account and Contact; in a real org, create it on Contact first (Setup →
// Object Manager → Contact → Fields & Relationships).
//
//   createJob(externalIdFieldName) → addBatch → getJobInfo → getBatchInfo (polled) →
//   getAllBatches → getBatchRequest → getBatchResult → closeJob
//
// Exits non-zero when anything does not go as expected.

#include <iostream>
#include <pugixml.hpp>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;
using nlohmann::json;

int main() try {
  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;
  const std::string tag = examples::runTag();

  const std::vector<std::string> existing = examples::insertRecords(
      client, "Contact",
      {{{"FirstName", "Tony"}, {"LastName", "Stark"}, {"External_Id__c", tag + "-1"}}});

  const std::vector<json> contacts = {
      {{"External_Id__c", tag + "-1"}, {"Title", "Engineer, \"Level 3\""}},
      {{"External_Id__c", tag + "-2"}, {"FirstName", "Peter"}, {"LastName", "Parker"}},
  };
  XmlSerializer serializer;
  std::string body;
  serializer.beginBatch(body);
  for (std::size_t i = 0; i < contacts.size(); ++i) serializer.appendRecord(contacts[i], i, body);
  serializer.endBatch(body);
  std::cout << "body: " << body;

  // 1. createJob: upsert needs the external id field.
  JobOptions options;
  options.externalIdFieldName = "External_Id__c";
  Job job = client.createJob(Operation::Upsert, "Contact", ContentType::XML, options);
  std::cout << "created job " << job.id << " keyed on " << job.externalIdFieldName << "\n";

  // 2. addBatch
  BatchInfo batch = client.addBatch(job, body);
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
  pugi::xml_document request;
  request.load_string(client.getBatchRequest(job, batch.id).c_str());
  checks.expect(
      std::string(request.child("sObjects").child("sObject").child_value("External_Id__c")) ==
          tag + "-1",
      "getBatchRequest returns the records sent");

  // 7. getBatchResult
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expectAllSucceeded(results, 2, "upsert");
  std::vector<std::string> toDelete = existing;
  if (results.size() == 2) {
    checks.expect(!results[0].created && results[0].id == existing[0],
                  "record 1 updated the existing contact");
    checks.expect(results[1].created, "record 2 created a contact");
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
