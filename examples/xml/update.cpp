// Update contacts in an XML job from JSON-shaped records written by the SDK's
// XmlSerializer (the seed connector's bulk_update_xml sample): `addRecords` runs the
// job's serializer over any range of records, so the same records could go to a CSV or
// JSON job unchanged. A null becomes `xsi:nil="true"`, which clears the field.
//
//   createJob → addRecords → getJobInfo → getBatchInfo (polled) → getAllBatches →
//   getBatchRequest → getBatchResult → closeJob
//
// The contacts to update are created first, so the example stands alone; they are
// deleted at the end. Exits non-zero when anything does not go as expected.

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

  const std::vector<std::string> ids = examples::insertRecords(
      client, "Contact",
      {{{"FirstName", "Tony"}, {"LastName", "Stark"}, {"Title", "Engineer"}},
       {{"FirstName", "Peter"}, {"LastName", "Parker"}, {"Title", "Photographer"}}});

  const std::vector<json> changes = {
      {{"Id", ids[0]}, {"Title", "Engineer & Founder <Stark Industries>"}},
      {{"Id", ids[1]}, {"Title", nullptr}, {"Description", "Title cleared"}},
  };

  // 1. createJob
  Job job = client.createJob(Operation::Update, "Contact", ContentType::XML);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatch: addRecords picks the stock XmlSerializer from the job's content type.
  BatchInfo batch = client.addRecords(job, changes);
  std::cout << "added batch " << batch.id << "\n";

  // 3. getJobInfo
  examples::print(client.getJobInfo(job));

  // 4. getBatchInfo, until the batch is done.
  batch = examples::waitForBatch(client, job, batch.id);
  examples::print(batch);
  checks.expect(batch.state == BatchState::Completed, "the batch completed");

  // 5. getAllBatches
  checks.expect(client.getAllBatches(job).size() == 1, "getAllBatches lists one batch");

  // 6. getBatchRequest: what the serializer wrote.
  const std::string requestText = client.getBatchRequest(job, batch.id);
  std::cout << "request body: " << requestText << "\n";
  pugi::xml_document request;
  request.load_string(requestText.c_str());
  const pugi::xml_node second = request.child("sObjects").child("sObject").next_sibling();
  checks.expect(std::string(second.child("Title").attribute("xsi:nil").value()) == "true",
                "the null went out as xsi:nil=\"true\"");

  // 7. getBatchResult
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expectAllSucceeded(results, changes.size(), "update");
  for (std::size_t row = 0; row < results.size(); ++row) {
    checks.expect(results[row].id == ids[row] && !results[row].created,
                  "record " + std::to_string(row + 1) + " updated the right contact");
  }

  // 8. closeJob
  checks.expect(client.closeJob(job).state == JobState::Closed, "the job is closed");

  checks.expectSameRecords(changes,
                           examples::fetchRecords(client, "Contact", {"Title", "Description"}, ids),
                           {"Title", "Description"}, "updated contacts");

  examples::deleteRecords(client, "Contact", ids);
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
