#include "time_zone.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sfdc/bulk/error.hpp>

namespace sfbulk {

namespace {

using sfdc::bulk::InvalidArgument;

constexpr const char* kZoneExamples =
    " (an IANA name such as Europe/Paris or America/New_York, UTC, or an offset such as "
    "+02:00 or -0530)";

bool isDigits(const std::string& text, std::size_t from, std::size_t count) {
  if (from + count > text.size()) return false;
  for (std::size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

/// `+HH`, `+H`, `+HH:MM`, `+HHMM` (and `-`): seconds east of UTC, or false.
bool parseOffset(const std::string& text, std::int64_t& seconds) {
  if (text.size() < 2 || (text[0] != '+' && text[0] != '-')) return false;
  const std::string body = text.substr(1);
  int hours = 0;
  int minutes = 0;
  if ((body.size() == 1 || body.size() == 2) && isDigits(body, 0, body.size())) {
    hours = std::stoi(body);
  } else if (body.size() == 5 && body[2] == ':' && isDigits(body, 0, 2) && isDigits(body, 3, 2)) {
    hours = std::stoi(body.substr(0, 2));
    minutes = std::stoi(body.substr(3, 2));
  } else if (body.size() == 4 && isDigits(body, 0, 4)) {
    hours = std::stoi(body.substr(0, 2));
    minutes = std::stoi(body.substr(2, 2));
  } else {
    return false;
  }
  if (hours > 14 || minutes > 59) return false;
  seconds = (text[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  return true;
}

std::uint64_t bigEndian(const std::string& data, std::size_t at, std::size_t bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < bytes; ++i) {
    value = (value << 8) | static_cast<unsigned char>(data[at + i]);
  }
  return value;
}

std::int64_t signedBigEndian(const std::string& data, std::size_t at, std::size_t bytes) {
  const std::uint64_t value = bigEndian(data, at, bytes);
  if (bytes == 8) return static_cast<std::int64_t>(value);
  const std::uint64_t sign = std::uint64_t{1} << (bytes * 8 - 1);
  return static_cast<std::int64_t>(value ^ sign) - static_cast<std::int64_t>(sign);
}

}  // namespace

TimeZone TimeZone::named(const std::string& name) {
  TimeZone zone;
  zone.name_ = name;
  if (name == "UTC" || name == "Z" || name == "GMT" || name == "Etc/UTC") return zone;
  std::string offset = name;
  if (offset.rfind("UTC", 0) == 0 || offset.rfind("GMT", 0) == 0) offset = offset.substr(3);
  if (parseOffset(offset, zone.initialOffset_)) return zone;

  // An IANA name: a TZif file (RFC 8536) under the zoneinfo directory.
  const bool safe = !name.empty() && name.front() != '/' && name.find("..") == std::string::npos;
  const char* dir = std::getenv("TZDIR");
  const std::string path =
      std::string(dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo") + "/" + name;
  // A directory (`Europe`) would open and then fail to read.
  std::error_code error;
  std::ifstream in;
  if (safe && std::filesystem::is_regular_file(path, error)) in.open(path, std::ios::binary);
  const std::string data = in.is_open() && in ? std::string((std::istreambuf_iterator<char>(in)),
                                                            std::istreambuf_iterator<char>())
                                              : std::string();
  if (data.size() < 44 || data.compare(0, 4, "TZif") != 0) {
    throw InvalidArgument("--timezone: unknown time zone '" + name + "'" + kZoneExamples);
  }
  // Version 2 and later repeat the data with 64-bit times after the 32-bit block.
  std::size_t at = 0;
  std::size_t timeBytes = 4;
  const auto counts = [&](std::size_t header, std::uint64_t out[6]) {
    for (int i = 0; i < 6; ++i) out[i] = bigEndian(data, header + 20 + 4 * i, 4);
  };
  std::uint64_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  counts(0, c);
  if (data[4] >= '2') {
    at = 44 + c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
    if (data.size() < at + 44) {
      throw InvalidArgument("--timezone: the zone file " + path + " is damaged");
    }
    counts(at, c);
    timeBytes = 8;
  }
  const std::size_t times = at + 44;
  const std::size_t indexes = times + c[3] * timeBytes;
  const std::size_t types = indexes + c[3];
  if (c[4] == 0 || data.size() < types + c[4] * 6) {
    throw InvalidArgument("--timezone: the zone file " + path + " is damaged");
  }
  const auto offsetOfType = [&](std::uint64_t type) {
    return signedBigEndian(data, types + 6 * type, 4);
  };
  zone.initialOffset_ = offsetOfType(0);
  for (std::uint64_t i = 0; i < c[3]; ++i) {
    const std::uint64_t type = static_cast<unsigned char>(data[indexes + i]);
    if (type >= c[4]) throw InvalidArgument("--timezone: the zone file " + path + " is damaged");
    zone.transitions_.push_back(signedBigEndian(data, times + i * timeBytes, timeBytes));
    zone.offsets_.push_back(offsetOfType(type));
  }
  return zone;
}

std::int64_t TimeZone::offsetAt(std::int64_t utc) const {
  const auto next = std::upper_bound(transitions_.begin(), transitions_.end(), utc);
  if (next == transitions_.begin()) return initialOffset_;
  return offsets_[static_cast<std::size_t>(next - transitions_.begin() - 1)];
}

std::int64_t TimeZone::toUtc(std::int64_t local) const {
  if (transitions_.empty()) return local - initialOffset_;
  // The instant is local - offset for an offset in effect at that instant. Of two such
  // instants (clocks went back) the earlier is taken.
  std::vector<std::int64_t> candidates = offsets_;
  candidates.push_back(initialOffset_);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  bool found = false;
  std::int64_t best = 0;
  for (const std::int64_t offset : candidates) {
    const std::int64_t utc = local - offset;
    if (offsetAt(utc) == offset && (!found || utc < best)) {
      best = utc;
      found = true;
    }
  }
  if (found) return best;
  // In a gap: read with the offset in effect before it, which moves it forward.
  return local - offsetAt(local - 86400);
}

}  // namespace sfbulk
