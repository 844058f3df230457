// Update contacts from typed C++ structs (the seed connector's bulk_update_csv sample).
// A struct with a `to_json` goes straight into `addRecords`, which writes the CSV body
// with the job's serializer: header from the first record, RFC 4180 quoting, and
// `#N/A` for a null, which clears the field (an empty cell would leave it unchanged).
//
//   createJob → addRecords → getJobInfo → getBatchInfo (polled) → getAllBatches →
//   getBatchRequest → getBatchResult → closeJob
//
// The contacts to update are created first, so the example stands alone; they are
// deleted at the end. Exits non-zero when anything does not go as expected.

#include <iostream>
#include <optional>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;

namespace {

struct ContactChange {
  std::string id;
  std::string title;
  std::string phone;
  std::optional<std::string> description;  ///< nullopt: clear the field
};

// Found by argument-dependent lookup when addRecords converts each element to JSON.
void to_json(nlohmann::json& out, const ContactChange& change) {
  out = {{"Id", change.id}, {"Title", change.title}, {"Phone", change.phone}};
  if (change.description) {
    out["Description"] = *change.description;
  } else {
    out["Description"] = nullptr;
  }
}

}  // namespace

int main() try {
  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;
  const std::string tag = examples::runTag();

  const std::vector<std::string> ids =
      examples::insertRecords(client, "Contact",
                              {{{"FirstName", "Tony"},
                                {"LastName", "Stark"},
                                {"Department", tag},
                                {"Description", "to be cleared"}},
                               {{"FirstName", "Peter"},
                                {"LastName", "Parker"},
                                {"Department", tag},
                                {"Description", "to be replaced"}}});

  const std::vector<ContactChange> changes = {
      {ids[0], "Engineer, \"Level 3\"", "0882236677", std::nullopt},
      {ids[1], "Photographer", "0882211777", "Line one\nline two"},
  };

  // 1. createJob
  Job job = client.createJob(Operation::Update, "Contact", ContentType::CSV);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatch, through the CSV serializer.
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

  // 6. getBatchRequest: the CSV addRecords wrote.
  const std::string request = client.getBatchRequest(job, batch.id);
  std::cout << "request body:\n" << request;
  checks.expect(request.find("#N/A") != std::string::npos, "the null was sent as #N/A");

  // 7. getBatchResult
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expectAllSucceeded(results, changes.size(), "update");
  for (std::size_t row = 0; row < results.size(); ++row) {
    checks.expect(results[row].id == ids[row] && !results[row].created,
                  "row " + std::to_string(row + 1) + " updated the right contact");
  }

  // 8. closeJob
  checks.expect(client.closeJob(job).state == JobState::Closed, "the job is closed");

  // Read the contacts back to see the changes landed.
  std::vector<nlohmann::json> expected;
  for (const auto& change : changes) expected.push_back(change);
  checks.expectSameRecords(
      expected, examples::fetchRecords(client, "Contact", {"Title", "Phone", "Description"}, ids),
      {"Title", "Phone", "Description"}, "updated contacts");

  examples::deleteRecords(client, "Contact", ids);
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
