// Insert contacts from an XML file (the seed connector's bulk_file_insert_xml sample).
// `addBatchFromFile` streams the file into the request; it must be one `<sObjects>`
// document of at most one batch's worth (10,000 records, 10 MB).
//
// The file, examples/data/contacts.xml, uses entities, numeric character references,
// CDATA, xsi:nil and multibyte UTF-8. After the insert the contacts are read back and
// compared field by field with the file as pugixml reads it.
//
//   createJob → addBatchFromFile → getJobInfo → getBatchInfo (polled) → getAllBatches →
//   getBatchRequest → getBatchResult → closeJob
//
// Usage: example_insert_from_file_xml [file.xml]   (default: the bundled contacts.xml,
// found through its absolute source path from any working directory)

#include <iostream>
#include <pugixml.hpp>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;
using nlohmann::json;

namespace {

// The file's records as JSON objects; xsi:nil fields are null.
std::vector<json> readXmlRecords(const pugi::xml_document& document) {
  std::vector<json> records;
  for (pugi::xml_node sobject : document.child("sObjects").children("sObject")) {
    json record = json::object();
    for (pugi::xml_node field : sobject.children()) {
      if (std::string(field.attribute("xsi:nil").value()) == "true") {
        record[field.name()] = nullptr;
      } else {
        record[field.name()] = field.text().get();  // text or CDATA
      }
    }
    records.push_back(record);
  }
  return records;
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string path = examples::dataFile(argc, argv, "contacts.xml");
  pugi::xml_document file;
  if (pugi::xml_parse_result parsed = file.load_file(path.c_str()); !parsed) {
    throw std::runtime_error(path + ": " + parsed.description());
  }
  const std::vector<json> expected = readXmlRecords(file);
  std::cout << "loading " << expected.size() << " contacts from " << path << "\n";

  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;

  // 1. createJob
  Job job = client.createJob(Operation::Insert, "Contact", ContentType::XML);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatchFromFile: the file must already be in the job's format.
  BatchInfo batch = client.addBatchFromFile(job, path);
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
  checks.expect(readXmlRecords(request) == expected, "getBatchRequest returns the file's records");

  // 7. getBatchResult
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expectAllSucceeded(results, expected.size(), "insert from file");
  std::vector<std::string> ids;
  for (const auto& r : results) {
    if (r.success) ids.push_back(r.id);
  }

  // 8. closeJob
  checks.expect(client.closeJob(job).state == JobState::Closed, "the job is closed");

  if (ids.size() == expected.size()) {
    const std::vector<std::string> fields = {"FirstName", "LastName", "Email", "Title",
                                             "Description"};
    checks.expectSameRecords(expected, examples::fetchRecords(client, "Contact", fields, ids),
                             fields, "contacts read back");
  }
  examples::deleteRecords(client, "Contact", ids);
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
