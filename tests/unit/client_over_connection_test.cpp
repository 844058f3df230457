// Client over a Connection that is not the real one: a user's partial fake, and the
// refusal of a null one.

#include <gtest/gtest.h>

#include <sfdc/bulk.hpp>
#include <string>

namespace sfdc::bulk {
namespace {

TEST(ClientOverConnectionTest, ANullConnectionIsRefused) {
  EXPECT_THROW(Client(std::shared_ptr<Connection>()), InvalidArgument);
  EXPECT_THROW(Client(Config{}, std::shared_ptr<HttpTransport>()), InvalidArgument);
}

TEST(ClientOverConnectionTest, OperationsAConnectionDoesNotImplementSayWhich) {
  // A partial fake: only getJobInfo is answered.
  struct JobsOnly : Connection {
    JobInfo getJobInfo(const Job& job) override {
      JobInfo info;
      info.id = job.id;
      info.object = "Account";
      return info;
    }
  };
  Client client(std::make_shared<JobsOnly>());
  EXPECT_EQ(client.attachJob("750A00000000001AAA").object, "Account");
  try {
    client.getAllBatches(
        Job{"750A00000000001AAA", Operation::Insert, "Account", ContentType::CSV, ""});
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("getAllBatches"), std::string::npos) << e.what();
  }
  EXPECT_EQ(client.requestCount(), 0u);
  EXPECT_EQ(client.instanceUrl(), "");
}

}  // namespace
}  // namespace sfdc::bulk
