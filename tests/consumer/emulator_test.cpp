// A user's GoogleTest test of code using sfdc::bulk, run against the installed emulator.
// It also checks that exceptions thrown inside the library are caught by their type here.
#include <gtest/gtest.h>

#include <sfdc/bulk.hpp>
#include <sfdc/emulator/gtest.hpp>

class InstalledEmulatorTest : public sfdc::emulator::testing::EmulatorTest {};

TEST_F(InstalledEmulatorTest, LoadsRecords) {
  using namespace sfdc::bulk;
  auto result =
      client().load(Operation::Insert, "Contact",
                    RecordSource::records({{{"LastName", "Lovelace"}}, {{"LastName", "Hopper"}}}));
  EXPECT_EQ(result.succeeded, 2u);
  EXPECT_TRUE(result.allSucceeded());
}

TEST_F(InstalledEmulatorTest, CatchesApiErrorThrownInsideTheLibrary) {
  using namespace sfdc::bulk;
  const Job unknown{"750000000000000AAA", Operation::Insert, "Contact", ContentType::CSV};
  try {
    client().getJobInfo(unknown);
    FAIL() << "no error for an unknown job";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.httpStatus(), 400);
    EXPECT_FALSE(e.exceptionCode().empty());
  }
  // Through the base class too, and RTTI back to the derived type.
  try {
    client().getJobInfo(unknown);
    FAIL() << "no error for an unknown job";
  } catch (const Error& e) {
    EXPECT_NE(dynamic_cast<const ApiError*>(&e), nullptr);
  }
}

TEST(EmulatorSession, GivesAClientInOneLine) {
  sfdc::emulator::testing::EmulatorSession session;
  auto job = session.client().createJob(sfdc::bulk::Operation::Insert, "Contact",
                                        sfdc::bulk::ContentType::CSV);
  EXPECT_EQ(session.client().closeJob(job).state, sfdc::bulk::JobState::Closed);
}
