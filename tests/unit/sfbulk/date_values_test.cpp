// Date and date/time cells of `sfbulk load --timezone/--day-first`, and the time zones.

#include "date_values.hpp"

#include <gtest/gtest.h>

#include <sfdc/bulk/error.hpp>

#include "time_zone.hpp"

namespace sfbulk {
namespace {

using sfdc::bulk::InvalidArgument;

std::string converted(const DateConverter& dates, const std::string& cell) {
  const auto out = dates.convert(cell);
  return out ? *out : "(unchanged)";
}

std::string errorOf(const DateConverter& dates, const std::string& cell) {
  try {
    dates.convert(cell);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "no error";
}

TEST(TimeZone, NamedZonesFollowDaylightSavingTime) {
  const TimeZone paris = TimeZone::named("Europe/Paris");
  // 2024-01-15T10:00 local (winter, +01:00) and 2024-07-15T10:00 local (summer, +02:00).
  EXPECT_EQ(paris.toUtc(1705312800), 1705312800 - 3600);
  EXPECT_EQ(paris.toUtc(1721037600), 1721037600 - 7200);
  // 2024-03-31T02:30 never happens in Paris: moved forward to 03:30 (+02:00) = 01:30Z.
  EXPECT_EQ(paris.toUtc(1711852200), 1711852200 - 3600);
  // 2024-10-27T02:30 happens twice: the first, still +02:00.
  EXPECT_EQ(paris.toUtc(1729996200), 1729996200 - 7200);
}

TEST(TimeZone, OffsetsAndUtc) {
  EXPECT_EQ(TimeZone::named("UTC").toUtc(1000), 1000);
  EXPECT_EQ(TimeZone::named("+02:00").toUtc(10000), 10000 - 7200);
  EXPECT_EQ(TimeZone::named("-0530").toUtc(0), 5 * 3600 + 1800);
  EXPECT_EQ(TimeZone::named("UTC+1").toUtc(3600), 0);
  EXPECT_EQ(TimeZone::named("GMT-03:00").toUtc(0), 3 * 3600);
}

TEST(TimeZone, UnknownZonesAreRefused) {
  for (const char* name : {"Mars/Olympus", "+25:00", "../../etc/passwd", "", "Europe"}) {
    SCOPED_TRACE(name);
    EXPECT_THROW(TimeZone::named(name), InvalidArgument);
  }
}

TEST(DateConverter, DateTimesWithoutAZoneAreTimesOfTheGivenZoneSentInUtc) {
  const DateConverter dates(TimeZone::named("Europe/Paris"), false);
  EXPECT_EQ(converted(dates, "2024-07-15 10:30:00"), "2024-07-15T08:30:00.000Z");
  EXPECT_EQ(converted(dates, "2024-01-15T10:30"), "2024-01-15T09:30:00.000Z");
  EXPECT_EQ(converted(dates, "2024-01-01 00:30:05.25"), "2023-12-31T23:30:05.250Z");
  EXPECT_EQ(converted(dates, "12/25/2024 18:00"), "2024-12-25T17:00:00.000Z");
  EXPECT_EQ(converted(dates, "1/2/2024 6:05 PM"), "2024-01-02T17:05:00.000Z");
  EXPECT_EQ(converted(dates, "1/2/2024 12:05 am"), "2024-01-01T23:05:00.000Z");
  // A zone in the value wins; ISO 8601 with a zone is sent as it is.
  EXPECT_EQ(converted(dates, "2024-07-15T10:30:00Z"), "(unchanged)");
  EXPECT_EQ(converted(dates, "2024-07-15T10:30:00.000+05:00"), "(unchanged)");
  EXPECT_EQ(converted(dates, "2024-07-15 10:30:00+05:00"), "2024-07-15T05:30:00.000Z");
}

TEST(DateConverter, DatesAreSentAsYearMonthDay) {
  const DateConverter monthFirst(TimeZone(), false);
  EXPECT_EQ(converted(monthFirst, "2024-02-29"), "(unchanged)");
  EXPECT_EQ(converted(monthFirst, "3/4/2024"), "2024-03-04");
  EXPECT_EQ(converted(monthFirst, "12/31/2024"), "2024-12-31");
  const DateConverter dayFirst(TimeZone(), true);
  EXPECT_EQ(converted(dayFirst, "3/4/2024"), "2024-04-03");
  EXPECT_EQ(converted(dayFirst, "31/12/2024"), "2024-12-31");
  EXPECT_EQ(converted(dayFirst, "31/12/2024 23:15:00"), "2024-12-31T23:15:00.000Z");
}

TEST(DateConverter, OtherCellsAreLeftAlone) {
  const DateConverter dates(TimeZone::named("Europe/Paris"), true);
  for (const char* cell : {"", "Smith", "2024", "12/2024", "1/2/24", "2024-1-2", "10:30",
                           "2024-07-15 10:30 tomorrow", "003/04/2024", "4/5/2024 10"}) {
    SCOPED_TRACE(cell);
    EXPECT_EQ(converted(dates, cell), "(unchanged)");
  }
}

TEST(DateConverter, ImpossibleDatesAreErrors) {
  const DateConverter monthFirst(TimeZone(), false);
  EXPECT_EQ(errorOf(monthFirst, "25/12/2024"),
            "month 25 does not exist (for day-first dates such as 31/12/2024 give --day-first)");
  EXPECT_EQ(errorOf(monthFirst, "2/30/2024"), "day 30 does not exist in 2024-02");
  EXPECT_EQ(errorOf(monthFirst, "2023-02-29"), "day 29 does not exist in 2023-02");
  EXPECT_EQ(errorOf(monthFirst, "2024-13-01"), "month 13 does not exist");
  EXPECT_EQ(errorOf(monthFirst, "2024-01-01 24:00"),
            "the time is not between 00:00:00 and 23:59:59");
  EXPECT_EQ(errorOf(monthFirst, "1/2/2024 13:00 PM"), "hour 13 on a 12-hour clock");
  const DateConverter dayFirst(TimeZone(), true);
  EXPECT_EQ(errorOf(dayFirst, "12/25/2024"),
            "month 25 does not exist (--day-first reads d/M/yyyy; month-first dates need it "
            "left out)");
}

}  // namespace
}  // namespace sfbulk
