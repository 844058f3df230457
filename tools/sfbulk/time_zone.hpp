#pragma once

// The time zone of `sfbulk load --timezone`: an IANA name (Europe/Paris), read from the
// system's zoneinfo files, or a fixed UTC offset. It turns a wall-clock time of that zone
// into UTC, daylight saving time included.

#include <cstdint>
#include <string>
#include <vector>

namespace sfbulk {

class TimeZone {
 public:
  /// UTC.
  TimeZone() = default;

  /// `UTC`, `Z`, `GMT`, an offset (`+02:00`, `-0530`, `+2`, `UTC+01:00`, `GMT-3`) or an
  /// IANA name (`Europe/Paris`, `America/New_York`) found under $TZDIR or
  /// /usr/share/zoneinfo. Throws sfdc::bulk::InvalidArgument for anything else.
  static TimeZone named(const std::string& name);

  /// Seconds since 1970-01-01T00:00:00Z of the wall-clock time `local` of this zone, given
  /// as seconds since 1970-01-01T00:00:00 on that wall clock. A time that happens twice
  /// (when clocks go back) is taken at its first occurrence, in daylight saving time; a
  /// time that never happens (when clocks go forward) is moved forward by the gap.
  std::int64_t toUtc(std::int64_t local) const;

  /// The name it was made from ("UTC" by default).
  const std::string& name() const noexcept { return name_; }

 private:
  std::int64_t offsetAt(std::int64_t utc) const;

  std::string name_ = "UTC";
  std::int64_t initialOffset_ = 0;         // before the first transition, or fixed
  std::vector<std::int64_t> transitions_;  // UTC instants where the offset changes
  std::vector<std::int64_t> offsets_;      // the offset from each transition on
};

}  // namespace sfbulk
