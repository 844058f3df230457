// Delete contacts by id in an XML job (the seed connector's bulk_delete_xml sample),
// from a pugi::xml_document with one `<sObject><Id>…</Id></sObject>` per record.
// Deleted records go to the recycle bin.
//
//   createJob → addBatch(xml_document) → getJobInfo → getBatchInfo (polled) →
//   getAllBatches → getBatchRequest → getBatchResult → closeJob
//
// The contacts are created first, so the example stands alone. Exits non-zero when
// anything does not go as expected.

#include <iostream>
#include <pugixml.hpp>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;

int main() try {
  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;

  const std::vector<std::string> ids =
      examples::insertRecords(client, "Contact",
                              {{{"FirstName", "Tony"}, {"LastName", "Stark"}},
                               {{"FirstName", "Peter"}, {"LastName", "Parker"}}});

  pugi::xml_document document;
  pugi::xml_node root = document.append_child("sObjects");
  root.append_attribute("xmlns") = "http://www.force.com/2009/06/asyncapi/dataload";
  for (const std::string& id : ids) {
    root.append_child("sObject").append_child("Id").text() = id.c_str();
  }

  // 1. createJob
  Job job = client.createJob(Operation::Delete, "Contact", ContentType::XML);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatch
  BatchInfo batch = client.addBatch(job, document);
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
  checks.expect(std::string(request.child("sObjects").child("sObject").child_value("Id")) == ids[0],
                "getBatchRequest returns the ids sent");

  // 7. getBatchResult
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expectAllSucceeded(results, ids.size(), "delete");

  // 8. closeJob
  checks.expect(client.closeJob(job).state == JobState::Closed, "the job is closed");

  std::size_t left = 0;
  for (const auto& record : examples::fetchRecords(client, "Contact", {}, ids)) {
    if (!record.is_null()) ++left;
  }
  checks.expect(left == 0, "the contacts are gone");
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
