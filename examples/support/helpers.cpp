#include "helpers.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "target.hpp"

#ifndef SFDC_BULK_EXAMPLES_DATA_DIR
#define SFDC_BULK_EXAMPLES_DATA_DIR "examples/data"
#endif

namespace examples {

using namespace sfdc::bulk;

bool Checks::expect(bool condition, const std::string& what) {
  if (condition) {
    std::cout << "  ok: " << what << "\n";
  } else {
    std::cout << "  UNEXPECTED: " << what << "\n";
    ++failures_;
  }
  return condition;
}

bool Checks::expectAllSucceeded(const std::vector<RecordResult>& results, std::size_t count,
                                const std::string& what) {
  bool ok = expect(results.size() == count, what + ": " + std::to_string(count) + " results (got " +
                                                std::to_string(results.size()) + ")");
  std::size_t failed = 0;
  for (std::size_t row = 0; row < results.size(); ++row) {
    if (results[row].success) continue;
    ++failed;
    const auto& errors = results[row].errors;
    std::cout << "    row " << row + 1 << " failed: "
              << (errors.empty() ? "(no error given)"
                                 : errors.front().statusCode + " " + errors.front().message)
              << "\n";
  }
  return expect(failed == 0, what + ": every row succeeded") && ok;
}

namespace {

// What a field "reads back as": null, absent and "" are all "no value"; CRLF is LF.
std::string normalized(const nlohmann::json& record, const std::string& field) {
  if (!record.is_object()) return "";
  auto it = record.find(field);
  if (it == record.end() || it->is_null()) return "";
  std::string value = it->is_string() ? it->get<std::string>() : it->dump();
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n') continue;
    out += value[i];
  }
  return out;
}

}  // namespace

bool Checks::expectSameRecords(const std::vector<nlohmann::json>& expected,
                               const std::vector<nlohmann::json>& actual,
                               const std::vector<std::string>& fields, const std::string& what) {
  if (!expect(expected.size() == actual.size(), what + ": " + std::to_string(expected.size()) +
                                                    " records (got " +
                                                    std::to_string(actual.size()) + ")")) {
    return false;
  }
  std::size_t differences = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    for (const auto& field : fields) {
      const std::string want = normalized(expected[i], field);
      const std::string got = normalized(actual[i], field);
      if (want == got) continue;
      ++differences;
      std::cout << "    record " << i + 1 << " " << field << ": sent " << nlohmann::json(want)
                << ", read back " << nlohmann::json(got) << "\n";
    }
  }
  return expect(differences == 0, what + ": every field reads back as sent");
}

int Checks::exitCode() const {
  if (failures_ == 0) return 0;
  std::cout << failures_ << " unexpected outcome(s)\n";
  return 1;
}

std::string runTag() {
  // Time plus randomness: unique across processes started in the same millisecond.
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  std::random_device random;
  std::ostringstream tag;
  tag << "sfdc-bulk-ex-" << std::hex << ms << "-" << (random() & 0xffffu);
  return tag.str();
}

void print(const JobInfo& job) {
  std::cout << "job " << job.id << ": " << toString(job.operation) << " " << job.object << " ("
            << toString(job.contentType) << "), " << toString(job.state) << ", "
            << job.numberBatchesTotal << " batch(es), " << job.numberRecordsProcessed
            << " record(s) processed, " << job.numberRecordsFailed << " failed\n";
}

void print(const BatchInfo& batch) {
  std::cout << "batch " << batch.id << ": " << toString(batch.state);
  if (!batch.stateMessage.empty()) std::cout << " (" << batch.stateMessage << ")";
  std::cout << ", " << batch.numberRecordsProcessed << " processed, " << batch.numberRecordsFailed
            << " failed\n";
}

void print(const std::vector<RecordResult>& results) {
  for (std::size_t row = 0; row < results.size(); ++row) {
    const auto& r = results[row];
    std::cout << "  row " << row + 1 << ": ";
    if (r.success) {
      // `created` is false for updates and deletes alike.
      std::cout << (r.created ? "created " : "success ") << r.id << "\n";
    } else if (r.errors.empty()) {
      std::cout << "failed\n";
    } else {
      std::cout << "failed " << r.errors.front().statusCode << " " << r.errors.front().message
                << "\n";
    }
  }
}

std::vector<std::string> insertRecords(Client& client, std::string_view object,
                                       const nlohmann::json& records) {
  Job job = client.createJob(Operation::Insert, object, ContentType::JSON);
  BatchInfo batch = client.addBatch(job, records);
  client.closeJob(job);
  batch = waitForBatch(client, job, batch.id);
  if (batch.state != BatchState::Completed) {
    throw std::runtime_error("setup: inserting " + std::string(object) + " records: batch " +
                             std::string(toString(batch.state)) + " " + batch.stateMessage);
  }
  std::vector<std::string> ids;
  for (const RecordResult& r : client.getBatchResult(job, batch.id).records) {
    if (!r.success) {
      throw std::runtime_error("setup: inserting a " + std::string(object) + " record failed: " +
                               (r.errors.empty() ? "" : r.errors.front().message));
    }
    ids.push_back(r.id);
  }
  std::cout << "setup: inserted " << ids.size() << " " << object << " record(s)\n";
  return ids;
}

void deleteRecords(Client& client, std::string_view object, const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  nlohmann::json records = nlohmann::json::array();
  for (const auto& id : ids) records.push_back({{"Id", id}});
  Job job = client.createJob(Operation::Delete, object, ContentType::JSON);
  BatchInfo batch = client.addBatch(job, records);
  client.closeJob(job);
  waitForBatch(client, job, batch.id);
  std::cout << "deleted " << ids.size() << " " << object << " record(s)\n";
}

std::vector<nlohmann::json> fetchRecords(Client& client, std::string_view object,
                                         const std::vector<std::string>& fields,
                                         const std::vector<std::string>& ids) {
  std::vector<nlohmann::json> out(ids.size());
  if (ids.empty()) return out;
  std::string soql = "SELECT Id";
  for (const auto& field : fields) soql += ", " + field;
  soql += " FROM " + std::string(object) + " WHERE Id IN (";
  for (std::size_t i = 0; i < ids.size(); ++i) soql += (i ? ", '" : "'") + ids[i] + "'";
  soql += ")";

  Job job = client.createJob(Operation::Query, object, ContentType::CSV);
  BatchInfo batch = client.addBatch(job, soql);
  client.closeJob(job);
  batch = waitForBatch(client, job, batch.id);
  if (batch.state != BatchState::Completed) {
    throw std::runtime_error("reading records back: query batch " +
                             std::string(toString(batch.state)) + " " + batch.stateMessage);
  }
  for (const auto& resultId : client.getBatchResult(job, batch.id).resultIds) {
    auto reader = client.getQueryResult(job, batch.id, resultId);
    for (nlohmann::json record; reader.nextRecord(record);) {
      for (std::size_t i = 0; i < ids.size(); ++i) {
        if (ids[i] == record.value("Id", "")) out[i] = record;
      }
    }
  }
  return out;
}

std::string dataFile(int argc, char** argv, const std::string& name) {
  const std::string path =
      argc > 1 ? std::string(argv[1]) : std::string(SFDC_BULK_EXAMPLES_DATA_DIR) + "/" + name;
  if (!std::ifstream(path)) {
    throw std::runtime_error("cannot read " + path + " (pass the data file as the argument)");
  }
  return path;
}

}  // namespace examples
