// Insert contacts from a pugi::xml_document in an XML job (the seed connector's
// bulk_insert_xml sample). An XML batch is an `<sObjects>` element in the Bulk API's
// dataload namespace holding one `<sObject>` per record; `xsi:nil="true"` sets a field
// to null. pugixml escapes `&`, `<` and quotes as it writes the document.
//
//   createJob → addBatch(xml_document) → getJobInfo → getBatchInfo (polled) →
//   getAllBatches → getBatchRequest → getBatchResult → closeJob
//
// The last record lacks the required LastName, to show a per-record error; every other
// record must succeed. Exits non-zero on any other outcome.

#include <iostream>
#include <pugixml.hpp>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;

namespace {

struct Contact {
  const char* firstName;
  const char* lastName;  ///< nullptr: left out
  const char* title;     ///< nullptr: sent as xsi:nil
};

}  // namespace

int main() try {
  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;
  const std::string tag = examples::runTag();

  const std::vector<Contact> contacts = {
      {"Tony", "Stark", "Engineer & Founder <Stark Industries>"},
      {"Zoë", "東京 🚀", "Ingeniør"},
      {"Peter", "Parker", nullptr},
      {"Nobody", nullptr, "No last name"},
  };

  pugi::xml_document document;
  pugi::xml_node root = document.append_child("sObjects");
  root.append_attribute("xmlns") = "http://www.force.com/2009/06/asyncapi/dataload";
  root.append_attribute("xmlns:xsi") = "http://www.w3.org/2001/XMLSchema-instance";
  for (const Contact& contact : contacts) {
    pugi::xml_node record = root.append_child("sObject");
    record.append_child("FirstName").text() = contact.firstName;
    if (contact.lastName) record.append_child("LastName").text() = contact.lastName;
    if (contact.title) {
      record.append_child("Title").text() = contact.title;
    } else {
      record.append_child("Title").append_attribute("xsi:nil") = "true";
    }
    record.append_child("Department").text() = tag.c_str();
  }

  // 1. createJob
  Job job = client.createJob(Operation::Insert, "Contact", ContentType::XML);
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
  std::vector<BatchInfo> batches = client.getAllBatches(job);
  checks.expect(batches.size() == 1 && batches[0].id == batch.id,
                "getAllBatches lists the one batch");

  // 6. getBatchRequest: the XML as uploaded, parsed back with pugixml.
  pugi::xml_document request;
  const std::string requestText = client.getBatchRequest(job, batch.id);
  checks.expect(static_cast<bool>(request.load_string(requestText.c_str())),
                "getBatchRequest returns well-formed XML");
  const auto sent = request.child("sObjects").children("sObject");
  checks.expect(static_cast<std::size_t>(std::distance(sent.begin(), sent.end())) == 4 &&
                    std::string(request.child("sObjects").first_child().child_value("Title")) ==
                        contacts[0].title,
                "it holds the 4 records, escaped text intact");

  // 7. getBatchResult
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expect(results.size() == contacts.size(), "one result per record");
  std::vector<std::string> created;
  for (std::size_t row = 0; row < results.size(); ++row) {
    if (row + 1 < contacts.size()) {
      checks.expect(results[row].success && results[row].created,
                    "record " + std::to_string(row + 1) + " created");
      created.push_back(results[row].id);
    } else {
      checks.expect(!results[row].success && !results[row].errors.empty() &&
                        results[row].errors[0].statusCode == "REQUIRED_FIELD_MISSING",
                    "the last record failed with REQUIRED_FIELD_MISSING");
    }
  }

  // 8. closeJob
  JobInfo closed = client.closeJob(job);
  examples::print(closed);
  checks.expect(closed.state == JobState::Closed, "the job is closed");

  examples::deleteRecords(client, "Contact", created);
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
