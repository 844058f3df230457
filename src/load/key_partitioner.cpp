#include "key_partitioner.hpp"

#include <algorithm>
#include <cstring>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <unordered_map>

#include "record_sources.hpp"

namespace sfdc::bulk::detail::load {

namespace {

// Past this many re-splits a spill file that still holds several values is regrouped
// in memory whatever its size: with independent hashes per pass, only values whose
// rows together exceed the budget and that share a file in every pass get there.
constexpr int kMaxDepth = 4;

std::uint64_t hashKey(std::string_view key, int seed) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  // A full mix with the pass's seed, so that values sharing a file in one pass are
  // spread independently in the next (FNV alone keeps its low bits together).
  h += static_cast<std::uint64_t>(seed + 1) * 0x9E3779B97F4A7C15ull;
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}

bool sameFieldName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string keyOf(const nlohmann::json& record, const std::string& field, bool& found) {
  if (!record.is_object()) return {};
  auto it = record.find(field);
  if (it == record.end()) {
    for (it = record.begin(); it != record.end(); ++it) {
      if (sameFieldName(it.key(), field)) break;
    }
  }
  if (it == record.end()) return {};
  found = true;
  if (it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

// A spill record: input row, value, payload (the CSV row's bytes or the record as JSON).
void writeSpillRecord(std::ofstream& out, std::uint64_t row, std::string_view key,
                      std::string_view payload) {
  const auto u32 = [&](std::size_t n) {
    const auto value = static_cast<std::uint32_t>(n);
    out.write(reinterpret_cast<const char*>(&value), sizeof value);
  };
  out.write(reinterpret_cast<const char*>(&row), sizeof row);
  u32(key.size());
  out.write(key.data(), static_cast<std::streamsize>(key.size()));
  u32(payload.size());
  out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
}

bool readSpillRecord(std::ifstream& in, std::uint64_t& row, std::string& key,
                     std::string& payload) {
  if (!in.read(reinterpret_cast<char*>(&row), sizeof row)) return false;
  const auto text = [&](std::string& out) {
    std::uint32_t size = 0;
    if (!in.read(reinterpret_cast<char*>(&size), sizeof size)) return false;
    out.resize(size);
    return static_cast<bool>(in.read(out.data(), static_cast<std::streamsize>(size)));
  };
  if (!text(key) || !text(payload)) throw Error("load: a groupBy spill file is damaged");
  return true;
}

}  // namespace

// One pass's spill files, written in input order.
class KeyPartitioner::SpillSet {
 public:
  SpillSet(const SpoolDir& spool, std::size_t count, int depth, int& number)
      : outs_(count), spills_(count) {
    for (std::size_t i = 0; i < count; ++i) {
      spills_[i].path = spool.create("group-" + std::to_string(number++) + ".spill");
      spills_[i].depth = depth;
      outs_[i].open(spills_[i].path, std::ios::binary | std::ios::trunc);
      if (!outs_[i]) throw Error("load: cannot create the spool file '" + spills_[i].path + "'");
    }
  }

  void write(std::uint64_t row, const std::string& key, std::string_view payload) {
    const std::size_t i = hashKey(key, spills_.front().depth) % spills_.size();
    Spill& spill = spills_[i];
    if (spill.rows == 0) {
      spill.firstKey = key;
    } else if (spill.singleKey && key != spill.firstKey) {
      spill.singleKey = false;
    }
    ++spill.rows;
    spill.bytes += sizeof row + 8 + key.size() + payload.size();
    writeSpillRecord(outs_[i], row, key, payload);
  }

  /// The files that hold rows, smallest first; empty ones are removed.
  std::vector<Spill> close() {
    std::vector<Spill> out;
    for (std::size_t i = 0; i < spills_.size(); ++i) {
      outs_[i].close();
      if (!outs_[i]) {
        throw Error("load: writing the spool file '" + spills_[i].path + "' failed (disk full?)");
      }
      if (spills_[i].rows == 0) {
        SpoolDir::remove(spills_[i].path);
      } else {
        out.push_back(std::move(spills_[i]));
      }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Spill& a, const Spill& b) { return a.bytes < b.bytes; });
    return out;
  }

 private:
  std::vector<std::ofstream> outs_;
  std::vector<Spill> spills_;
};

KeyPartitioner::KeyPartitioner(RecordSource::Reader& source, std::string column,
                               const SpoolDir& spool, GroupingLimits limits)
    : column_(std::move(column)), spool_(spool), limits_(limits) {
  limits_.partitions = std::max<std::size_t>(2, limits_.partitions);
  partition(source);
}

KeyPartitioner::~KeyPartitioner() {
  in_.close();
  if (mode_ == Mode::Stream) SpoolDir::remove(current_.path);
  for (const auto& spill : pending_) SpoolDir::remove(spill.path);
}

void KeyPartitioner::partition(RecordSource::Reader& source) {
  csv_ = source.isCsv();
  sourcePath_ = source.sourcePath();
  SpillSet spills(spool_, limits_.partitions, 0, spillNumber_);
  std::string payload;
  if (csv_) {
    header_ = source.csvHeader();
    if (header_.empty()) return;  // no input at all: nothing to group
    std::size_t column = header_.size();
    for (std::size_t i = 0; i < header_.size(); ++i) {
      if (sameFieldName(header_[i], column_)) column = i;
    }
    if (column == header_.size()) {
      std::string names;
      for (const auto& name : header_) names += (names.empty() ? "" : ", ") + name;
      throw InvalidArgument("load: the groupBy column '" + column_ +
                            "' is not in the CSV header (" + names + ")");
    }
    std::string headerLine;
    appendCsvRow(headerLine, header_);
    budgetBytes_ = limits_.maxBytes > headerLine.size() ? limits_.maxBytes - headerLine.size() : 1;
    std::vector<std::string> fields;
    while (source.nextCsvRow(payload, fields)) {
      ++total_;
      // Checked here rather than when batches are cut: by then the job exists.
      if (fields.size() != header_.size()) {
        throw InvalidArgument("CSV row " + std::to_string(total_) + " has " +
                              std::to_string(fields.size()) + " fields but the header has " +
                              std::to_string(header_.size()));
      }
      // Rows are reordered: each needs its own line end, the last one included.
      if (payload.empty() || payload.back() != '\n') payload.push_back('\n');
      spills.write(total_, fields[column], payload);
    }
  } else {
    budgetBytes_ = limits_.maxBytes > 2 ? limits_.maxBytes - 2 : 1;  // the JSON array's brackets
    nlohmann::json record;
    bool found = false;
    while (source.nextRecord(record)) {
      ++total_;
      const std::string key = keyOf(record, column_, found);
      spills.write(total_, key, record.dump());
    }
    if (total_ > 0 && !found) {
      throw InvalidArgument("load: the groupBy field '" + column_ + "' is in none of the " +
                            std::to_string(total_) + " records");
    }
  }
  pending_ = spills.close();
}

void KeyPartitioner::startGroup(std::uint64_t rows, std::uint64_t bytes) {
  startsBatch_ =
      fillRows_ > 0 && (fillRows_ + rows > limits_.maxRecords || fillBytes_ + bytes > budgetBytes_);
  if (startsBatch_) fillRows_ = fillBytes_ = 0;
}

void KeyPartitioner::account(std::size_t bytes) {
  // Where the splitter cuts on its own, a new batch starts filling.
  if (fillRows_ > 0 && (fillRows_ + 1 > limits_.maxRecords || fillBytes_ + bytes > budgetBytes_)) {
    fillRows_ = fillBytes_ = 0;
  }
  ++fillRows_;
  fillBytes_ += bytes;
}

bool KeyPartitioner::openNextSpill() {
  while (!pending_.empty()) {
    Spill spill = std::move(pending_.back());
    pending_.pop_back();
    if (spill.singleKey) {
      in_.open(spill.path, std::ios::binary);
      if (!in_) throw Error("load: cannot read the spool file '" + spill.path + "'");
      current_ = std::move(spill);
      streamGroupStarted_ = false;
      mode_ = Mode::Stream;
      return true;
    }
    if (spill.bytes <= limits_.memoryBytes || spill.depth >= kMaxDepth) {
      loadSpill(spill);
      SpoolDir::remove(spill.path);
      mode_ = Mode::Memory;
      return true;
    }
    splitSpill(spill);
    SpoolDir::remove(spill.path);
  }
  return false;
}

void KeyPartitioner::splitSpill(const Spill& spill) {
  std::ifstream in(spill.path, std::ios::binary);
  if (!in) throw Error("load: cannot read the spool file '" + spill.path + "'");
  SpillSet parts(spool_, limits_.partitions, spill.depth + 1, spillNumber_);
  std::uint64_t row = 0;
  std::string key;
  std::string payload;
  while (readSpillRecord(in, row, key, payload)) parts.write(row, key, payload);
  for (auto& part : parts.close()) pending_.push_back(std::move(part));
}

void KeyPartitioner::loadSpill(const Spill& spill) {
  std::ifstream in(spill.path, std::ios::binary);
  if (!in) throw Error("load: cannot read the spool file '" + spill.path + "'");
  buffer_.clear();
  keys_.clear();
  std::vector<Entry> read;
  read.reserve(spill.rows);
  std::unordered_map<std::string, std::size_t> ids;
  std::vector<std::size_t> counts;
  std::uint64_t row = 0;
  std::string key;
  std::string payload;
  while (readSpillRecord(in, row, key, payload)) {
    const auto [it, inserted] = ids.emplace(key, keys_.size());
    if (inserted) {
      keys_.push_back(key);
      counts.push_back(0);
    }
    ++counts[it->second];
    read.push_back(Entry{row, it->second, buffer_.size(), payload.size()});
    buffer_ += payload;
  }
  // Largest groups first, ties by value; within a group rows keep their input order
  // (a counting sort by group rank is stable).
  std::vector<std::size_t> order(keys_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return counts[a] != counts[b] ? counts[a] > counts[b] : keys_[a] < keys_[b];
  });
  std::vector<std::size_t> start(keys_.size());
  std::size_t at = 0;
  groupAt_.clear();
  for (const std::size_t id : order) {
    start[id] = at;
    groupAt_.push_back(at);
    at += counts[id];
  }
  entries_.assign(read.size(), Entry{});
  for (const auto& entry : read) entries_[start[entry.key]++] = entry;
  nextEntry_ = 0;
  nextGroup_ = 0;
}

bool KeyPartitioner::nextEntry(std::string& payload) {
  for (;;) {
    if (mode_ == Mode::Memory && nextEntry_ < entries_.size()) {
      startsBatch_ = false;
      if (nextGroup_ < groupAt_.size() && groupAt_[nextGroup_] == nextEntry_) {
        const std::size_t end =
            nextGroup_ + 1 < groupAt_.size() ? groupAt_[nextGroup_ + 1] : entries_.size();
        std::uint64_t bytes = 0;
        for (std::size_t i = nextEntry_; i < end; ++i) bytes += entries_[i].payloadSize;
        startGroup(end - nextEntry_, bytes);
        ++nextGroup_;
      }
      const Entry& entry = entries_[nextEntry_++];
      row_ = entry.row;
      key_ = keys_[entry.key];
      payload.assign(buffer_, entry.payloadAt, entry.payloadSize);
      account(payload.size());
      return true;
    }
    if (mode_ == Mode::Stream) {
      if (readSpillRecord(in_, row_, key_, payload)) {
        startsBatch_ = false;
        if (!streamGroupStarted_) {
          // A single-value file is one group of known size.
          startGroup(current_.rows, current_.bytes);
          streamGroupStarted_ = true;
        }
        account(payload.size());
        return true;
      }
      in_.close();
      SpoolDir::remove(current_.path);
    }
    mode_ = Mode::None;
    buffer_ = std::string();
    entries_ = std::vector<Entry>();
    keys_.clear();
    if (!openNextSpill()) return false;
  }
}

bool KeyPartitioner::nextCsvRow(std::string& raw, std::vector<std::string>& fields) {
  if (!csv_ || !nextEntry(raw)) return false;
  CsvReader reader = CsvReader::fromString(raw);
  if (!reader.next(fields)) fields.clear();
  return true;
}

bool KeyPartitioner::nextRecord(nlohmann::json& record) {
  if (csv_) {
    if (!nextCsvRow(payload_, fields_)) return false;
    record = csvRowToRecord(header_, fields_);
    return true;
  }
  if (!nextEntry(payload_)) return false;
  record = nlohmann::json::parse(payload_);
  return true;
}

}  // namespace sfdc::bulk::detail::load
