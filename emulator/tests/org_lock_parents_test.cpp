// Org::parentLocks: which parents writing a record locks.

#include <gtest/gtest.h>

#include "org.hpp"

namespace sfdc::emulator {
namespace {

using Parents = std::vector<std::vector<std::string>>;

class OrgLockParentsTest : public ::testing::Test {
 protected:
  std::string insertOne(const char* object, std::vector<std::pair<std::string, Value>> fields) {
    auto r = org.applyDml("insert", object, {InputRecord{std::move(fields)}}, "");
    EXPECT_TRUE(r.at(0).success);
    return r[0].id;
  }
  Parents locks(const char* object, std::vector<InputRecord> records) {
    return org.parentLocks(object, records.data(), records.size());
  }
  Org org;
};

TEST_F(OrgLockParentsTest, ChildrenLockTheirAccountWhateverTheyAreNamedBy) {
  const std::string a = insertOne("Account", {{"Name", "A"}, {"External_Id__c", "ext-a"}});
  const std::string b = insertOne("Account", {{"Name", "B"}});
  const Parents found =
      locks("Contact", {InputRecord{{{"LastName", "x"}, {"AccountId", a}}},
                        InputRecord{{{"LastName", "y"}, {"AccountId", a.substr(0, 15)}}},
                        InputRecord{{{"LastName", "z"}, {"Account.External_Id__c", "EXT-A"}}},
                        InputRecord{{{"LastName", "none"}}},
                        InputRecord{{{"LastName", "null"}, {"AccountId", std::nullopt}}}});
  EXPECT_EQ(found, (Parents{{a}, {a}, {a}, {}, {}}));
  EXPECT_EQ(locks("Opportunity", {InputRecord{{{"Name", "o"}, {"AccountId", b}}}}), (Parents{{b}}));
}

TEST_F(OrgLockParentsTest, ExistingRecordsAlsoLockTheParentTheyHaveNow) {
  const std::string a = insertOne("Account", {{"Name", "A"}});
  const std::string b = insertOne("Account", {{"Name", "B"}});
  const std::string c = insertOne("Contact", {{"LastName", "c"}, {"AccountId", a}});
  // Moving the Contact locks both Accounts; deleting it locks the one it has.
  const Parents found =
      locks("Contact", {InputRecord{{{"Id", c}, {"AccountId", b}}}, InputRecord{{{"Id", c}}}});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].size(), 2u);
  EXPECT_NE(std::find(found[0].begin(), found[0].end(), a), found[0].end());
  EXPECT_NE(std::find(found[0].begin(), found[0].end(), b), found[0].end());
  EXPECT_EQ(found[1], (std::vector<std::string>{a}));
}

TEST_F(OrgLockParentsTest, OnlyLockingReferencesCount) {
  const std::string a = insertOne("Account", {{"Name", "A"}});
  const std::string boss = insertOne("Contact", {{"LastName", "boss"}});
  // Account.ParentId and Contact.ReportsToId do not lock; unknown objects lock nothing.
  EXPECT_EQ(locks("Account", {InputRecord{{{"Name", "child"}, {"ParentId", a}}}}), (Parents{{}}));
  EXPECT_EQ(locks("Contact", {InputRecord{{{"LastName", "x"}, {"ReportsToId", boss}}}}),
            (Parents{{}}));
  EXPECT_EQ(locks("Nope__c", {InputRecord{{{"Name", "x"}}}}), (Parents{{}}));
}

TEST_F(OrgLockParentsTest, CustomLookupsLockUnlessTheSchemaSaysNot) {
  org.loadSchemaJson(R"({"objects": [{"name": "Invoice__c", "fields": [
      {"name": "Account__c", "type": "reference", "referenceTo": "Account"},
      {"name": "Contact__c", "type": "reference", "referenceTo": "Contact",
       "locksParent": false}]}]})");
  const std::string a = insertOne("Account", {{"Name", "A"}});
  const std::string c = insertOne("Contact", {{"LastName", "c"}});
  EXPECT_EQ(locks("Invoice__c", {InputRecord{{{"Account__c", a}, {"Contact__c", c}}}}),
            (Parents{{a}}));
  EXPECT_TRUE(org.object("Invoice__c")->field("Account__c")->locksParent);
  EXPECT_FALSE(org.object("Invoice__c")->field("Contact__c")->locksParent);
}

TEST(LockFaultTest, UnableToLockRowNamesTheRecordWaitedFor) {
  const DmlResult named = unableToLockRow("001000000000001AAA");
  EXPECT_FALSE(named.success);
  ASSERT_EQ(named.errors.size(), 1u);
  EXPECT_EQ(named.errors[0].statusCode, "UNABLE_TO_LOCK_ROW");
  EXPECT_EQ(named.errors[0].message,
            "unable to obtain exclusive access to this record or 1 records: 001000000000001AAA");
  EXPECT_EQ(unableToLockRow("").errors[0].message,
            "unable to obtain exclusive access to this record");
  int hits = 0;
  for (std::size_t i = 0; i < 200; ++i) hits += lockFaultHits(i, 0.05) ? 1 : 0;
  EXPECT_EQ(hits, 10);
}

}  // namespace
}  // namespace sfdc::emulator
