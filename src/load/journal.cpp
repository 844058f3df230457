#include "journal.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <sstream>

namespace sfdc::bulk::detail::load {

namespace {

constexpr int kJournalVersion = 1;

std::uint32_t crcOf(std::string_view text) {
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
}

std::string hex8(std::uint32_t value) {
  char out[9];
  std::snprintf(out, sizeof out, "%08x", value);
  return out;
}

[[noreturn]] void damaged(const std::string& path, std::size_t line, const std::string& why) {
  throw InvalidArgument("load journal '" + path + "' is damaged at line " + std::to_string(line) +
                        " (" + why + "); it cannot be resumed");
}

std::string systemError() { return std::strerror(errno); }

void syncDirectoryOf(const std::string& path) {
  // The new file's directory entry must survive a crash too, or the journal is lost.
  const auto dir = std::filesystem::absolute(path).parent_path();
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

void apply(JournalState& state, const nlohmann::json& entry, const std::string& path,
           std::size_t line) {
  const std::string kind = entry.value("e", "");
  LoadJournalInfo& info = state.info;
  if (line == 1 && kind != "load") damaged(path, line, "it does not start with the load entry");
  if (kind == "load") {
    if (line != 1) damaged(path, line, "a second load entry");
    if (entry.value("v", 0) != kJournalVersion) {
      throw InvalidArgument("load journal '" + path + "' has version " +
                            std::to_string(entry.value("v", 0)) +
                            "; this sfdc-bulk reads version " + std::to_string(kJournalVersion));
    }
    info.operation = parseOperation(entry.at("operation").get<std::string>());
    info.object = entry.at("object").get<std::string>();
    info.inputFile = entry.at("input").get<std::string>();
    info.inputBytes = entry.at("inputBytes").get<std::uint64_t>();
    state.headerBytes = entry.at("headerBytes").get<std::uint64_t>();
    info.contentType = parseContentType(entry.at("contentType").get<std::string>());
    info.externalIdFieldName = entry.value("externalId", "");
    info.concurrencyMode = parseConcurrencyMode(entry.at("concurrencyMode").get<std::string>());
    info.assignmentRuleId = entry.value("assignmentRuleId", "");
    info.batchSize = entry.at("batchSize").get<std::size_t>();
    info.maxBatchBytes = entry.at("maxBatchBytes").get<std::size_t>();
    info.successFile = entry.value("successFile", "");
    info.errorFile = entry.value("errorFile", "");
  } else if (kind == "job") {
    info.jobId = entry.at("id").get<std::string>();
  } else if (kind == "batch") {
    JournalBatch batch;
    batch.seq = entry.at("seq").get<std::uint64_t>();
    batch.firstRow = entry.at("firstRow").get<std::uint64_t>();
    batch.rowCount = entry.at("rows").get<std::uint64_t>();
    batch.inputBegin = entry.at("inputBegin").get<std::uint64_t>();
    batch.inputEnd = entry.at("inputEnd").get<std::uint64_t>();
    batch.bodyBytes = entry.at("bodyBytes").get<std::uint64_t>();
    batch.bodyDigest = std::stoull(entry.at("bodyDigest").get<std::string>(), nullptr, 16);
    const auto it = state.batches.find(batch.seq);
    if (it != state.batches.end()) {
      // A batch sent again after it was not created is journaled again: same rows.
      if (it->second.firstRow != batch.firstRow || it->second.bodyDigest != batch.bodyDigest) {
        damaged(path, line, "batch " + std::to_string(batch.seq) + " journaled twice differently");
      }
      return;
    }
    state.batches.emplace(batch.seq, batch);
  } else if (kind == "accepted") {
    const auto seq = entry.at("seq").get<std::uint64_t>();
    const auto it = state.batches.find(seq);
    if (it == state.batches.end())
      damaged(path, line, "accepted batch " + std::to_string(seq) + " was never started");
    it->second.batchId = entry.at("batchId").get<std::string>();
  } else if (kind == "inputEnd") {
    info.inputEnded = true;
    state.inputRows = entry.at("rows").get<std::uint64_t>();
  } else if (kind == "end") {
    info.state = entry.at("state").get<std::string>();
    info.stopReason = entry.value("reason", "");
  } else if (kind == "resumed") {
    // A later run took over; what it does follows.
    info.state = "running";
    info.stopReason.clear();
  } else {
    damaged(path, line, "unknown entry '" + kind + "'");
  }
}

}  // namespace

nlohmann::json loadEntry(const LoadJournalInfo& info, std::uint64_t headerBytes) {
  return {{"e", "load"},
          {"v", kJournalVersion},
          {"operation", std::string(toString(info.operation))},
          {"object", info.object},
          {"input", info.inputFile},
          {"inputBytes", info.inputBytes},
          {"headerBytes", headerBytes},
          {"contentType", std::string(toString(info.contentType))},
          {"externalId", info.externalIdFieldName},
          {"concurrencyMode", std::string(toString(info.concurrencyMode))},
          {"assignmentRuleId", info.assignmentRuleId},
          {"batchSize", info.batchSize},
          {"maxBatchBytes", info.maxBatchBytes},
          {"successFile", info.successFile},
          {"errorFile", info.errorFile}};
}

nlohmann::json batchEntry(const JournalBatch& batch) {
  char digest[17];
  std::snprintf(digest, sizeof digest, "%016llx",
                static_cast<unsigned long long>(batch.bodyDigest));
  return {{"e", "batch"},
          {"seq", batch.seq},
          {"firstRow", batch.firstRow},
          {"rows", batch.rowCount},
          {"inputBegin", batch.inputBegin},
          {"inputEnd", batch.inputEnd},
          {"bodyBytes", batch.bodyBytes},
          {"bodyDigest", std::string(digest)}};
}

JournalState readJournal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidArgument("load journal '" + path + "' cannot be read: " + systemError());
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (text.empty()) throw InvalidArgument("load journal '" + path + "' is empty");

  JournalState state;
  std::size_t pos = 0;
  std::size_t line = 0;
  while (pos < text.size()) {
    ++line;
    const std::size_t end = text.find('\n', pos);
    const bool last = end == std::string::npos || end + 1 == text.size();
    const std::string_view entryText(text.data() + pos,
                                     (end == std::string::npos ? text.size() : end) - pos);
    bool intact = end != std::string::npos && entryText.size() > 9 && entryText[8] == ' ';
    nlohmann::json entry;
    if (intact) {
      const std::string_view json = entryText.substr(9);
      intact = hex8(crcOf(json)) == entryText.substr(0, 8);
      if (intact) {
        entry = nlohmann::json::parse(json, nullptr, false);
        intact = entry.is_object();
      }
    }
    if (!intact) {
      // Only the entry being written when the process died can be cut short.
      if (!last || line == 1) damaged(path, line, "checksum mismatch");
      break;
    }
    try {
      apply(state, entry, path, line);
    } catch (const nlohmann::json::exception& e) {
      damaged(path, line, e.what());
    } catch (const std::invalid_argument& e) {
      damaged(path, line, e.what());
    }
    pos = end + 1;
    state.intactBytes = pos;
  }
  LoadJournalInfo& info = state.info;
  info.batchesStarted = state.batches.size();
  info.batchesAccepted = 0;
  info.rowsStarted = 0;
  for (const auto& entry : state.batches) {
    if (!entry.second.batchId.empty()) ++info.batchesAccepted;
    info.rowsStarted += entry.second.rowCount;
  }
  return state;
}

JournalWriter JournalWriter::create(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) > 0) {
    throw InvalidArgument("load journal '" + path +
                          "' already exists: resume that load (sfbulk load --resume) or remove "
                          "the file once it is no longer needed");
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw FileError("load: cannot create the journal '" + path + "': " + systemError(), path);
  }
  syncDirectoryOf(path);
  return JournalWriter(path, fd);
}

JournalWriter JournalWriter::reopen(const std::string& path, std::uint64_t intactBytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) {
    throw FileError("load: cannot open the journal '" + path + "': " + systemError(), path);
  }
  // Drop a last entry cut short by the crash, so that the next one starts a line.
  if (::ftruncate(fd, static_cast<off_t>(intactBytes)) != 0 || ::fsync(fd) != 0) {
    const std::string why = systemError();
    ::close(fd);
    throw FileError("load: cannot repair the journal '" + path + "': " + why, path);
  }
  return JournalWriter(path, fd);
}

JournalWriter::JournalWriter(JournalWriter&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_) {
  other.fd_ = -1;
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void JournalWriter::write(const nlohmann::json& entry) {
  const std::string json = entry.dump();
  const std::string line = hex8(crcOf(json)) + " " + json + "\n";
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw FileError("load: writing the journal '" + path_ + "' failed: " + systemError(), path_);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    throw FileError("load: flushing the journal '" + path_ + "' failed: " + systemError(), path_);
  }
}

std::uint64_t csvHeaderBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  CsvReader reader(in);
  std::vector<std::string> header;
  if (!reader.next(header)) return 0;
  return reader.rawRow().size();
}

}  // namespace sfdc::bulk::detail::load

namespace sfdc::bulk {

LoadJournalInfo readLoadJournal(const std::string& path) {
  return detail::load::readJournal(path).info;
}

}  // namespace sfdc::bulk
