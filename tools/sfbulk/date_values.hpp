#pragma once

// Date and date/time cells of `sfbulk load --timezone/--day-first`, rewritten into the
// form the Bulk API takes: yyyy-MM-dd for dates, yyyy-MM-ddTHH:mm:ss.SSSZ (UTC) for
// date/times. sfbulk does not describe the object, so it cannot convert by field type as
// Data Loader does; it converts the cells whose whole text has one of these shapes:
//
//   yyyy-MM-dd                               a date, sent as it is
//   yyyy-MM-dd HH:mm[:ss[.SSS]]              a date/time of the --timezone zone;
//   yyyy-MM-ddTHH:mm[:ss[.SSS]]              ... with a zone (Z, +02:00) when in ISO 8601
//                                            with T it is sent as it is
//   M/d/yyyy, d/M/yyyy (--day-first)         a date
//   M/d/yyyy H:mm[:ss][ AM|PM] (or d/M/...)  a date/time of the --timezone zone
//
// Any other cell is sent unchanged. A cell of one of these shapes that is no real date
// or time (month 13, 30 February, 25:00) is an error, so that a wrong day order is never
// loaded silently.

#include <optional>
#include <string>
#include <string_view>

#include "time_zone.hpp"

namespace sfbulk {

class DateConverter {
 public:
  /// Date/times without a zone are times of `zone`; `dayFirst` reads d/M/yyyy.
  DateConverter(TimeZone zone, bool dayFirst) : zone_(std::move(zone)), dayFirst_(dayFirst) {}

  /// The cell as the Bulk API takes it, or nullopt when it has none of the shapes above
  /// (or needs no change). Throws sfdc::bulk::InvalidArgument with the reason when it
  /// has one of them but is no real date or time.
  std::optional<std::string> convert(std::string_view cell) const;

 private:
  TimeZone zone_;
  bool dayFirst_ = false;
};

}  // namespace sfbulk
