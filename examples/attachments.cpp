// Binary attachments: files loaded as Attachment records through a ZIP_CSV job. The batch
// is a zip of request.txt (the records) and the files; each record's Body names its file
// as "#path". Files that are missing from the zip come back as per-record errors.
//
// Runs against the org named by the SFDC_* environment variables, or against the
// embedded emulator when none are set.

#include <iostream>

#include "support/target.hpp"

using namespace sfdc::bulk;

int main() try {
  auto target = examples::connect();
  Client client(target.config);

  // A parent record for the attachments.
  Job accounts = client.createJob(Operation::Insert, "Account", ContentType::CSV);
  BatchInfo batch = client.addBatch(accounts, "Name\nAttachments example\n");
  client.closeJob(accounts);
  batch = examples::waitForBatch(client, accounts, batch.id);
  const std::string parentId = client.getBatchResult(accounts, batch.id).records.at(0).id;

  AttachmentZip zip;
  zip.setRequest(
      "Name,ParentId,ContentType,Body\n"
      "notes.txt," +
      parentId +
      ",text/plain,#notes.txt\n"
      "scans/page1.bin," +
      parentId +
      ",application/octet-stream,#scans/page1.bin\n"
      "forgotten.txt," +
      parentId + ",text/plain,#forgotten.txt\n");
  zip.addFile("notes.txt", "Call back on Monday.\n");
  std::string page(64 * 1024, '\0');
  for (std::size_t i = 0; i < page.size(); ++i) page[i] = static_cast<char>(i * 31 % 251);
  zip.addFile("scans/page1.bin", page);

  Job job = client.createJob(Operation::Insert, "Attachment", ContentType::ZIP_CSV);
  const std::string body = zip.build();
  std::cout << "zip of " << zip.fileCount() << " files: " << zip.unzippedBytes()
            << " bytes unzipped, " << body.size() << " zipped\n";
  batch = client.addBatch(job, body);
  client.closeJob(job);
  batch = examples::waitForBatch(client, job, batch.id);
  const auto results = client.getBatchResult(job, batch.id).records;
  for (std::size_t row = 0; row < results.size(); ++row) {
    const auto& r = results[row];
    std::cout << "  row " << row + 1 << ": "
              << (r.success ? "created " + r.id
                            : "failed " + r.errors.at(0).statusCode + " " + r.errors.at(0).message)
              << "\n";
  }

  // A bulk query cannot read Body; BodyLength says what was stored.
  QueryStream stored = client.query("SELECT Name, BodyLength FROM Attachment WHERE ParentId = '" +
                                    parentId + "' ORDER BY Name");
  std::vector<std::string> row;
  while (stored.nextRow(row)) std::cout << "  stored " << row[0] << ": " << row[1] << " bytes\n";
  return results.size() == 3 && results[0].success && results[1].success && !results[2].success ? 0
                                                                                                : 1;
} catch (const sfdc::bulk::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
