#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "org.hpp"

namespace sfdc::emulator {
namespace {

InputRecord rec(std::initializer_list<std::pair<std::string, Value>> fields) {
  return InputRecord{fields};
}

class OrgDmlTest : public ::testing::Test {
 protected:
  std::vector<DmlResult> dml(const char* op, const char* object, std::vector<InputRecord> records,
                             const char* ext = "", double lockShare = 0) {
    return org.applyDml(op, object, records, ext, lockShare);
  }
  std::string insertOne(const char* object,
                        std::initializer_list<std::pair<std::string, Value>> f) {
    auto r = dml("insert", object, {rec(f)});
    EXPECT_TRUE(r.at(0).success) << (r[0].errors.empty() ? "" : r[0].errors[0].message);
    return r[0].id;
  }
  Value get(const std::string& soql, bool all = false) {
    auto q = org.query(soql, all);
    if (q.rows.empty()) return std::string("<no rows>");
    return q.rows[0][0];
  }
  static const DmlError& err(const std::vector<DmlResult>& r, std::size_t i = 0) {
    EXPECT_FALSE(r.at(i).success);
    EXPECT_EQ(r.at(i).errors.size(), 1u);
    static const DmlError none{};
    return r.at(i).errors.empty() ? none : r.at(i).errors[0];
  }
  Org org;
};

TEST_F(OrgDmlTest, InsertReturnsIdsInInputOrder) {
  auto r = dml(
      "insert", "Contact",
      {rec({{"LastName", "One"}}), rec({{"FirstName", "NoLast"}}), rec({{"LastName", "Three"}})});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_TRUE(r[0].success);
  EXPECT_TRUE(r[0].created);
  EXPECT_EQ(r[0].id.size(), 18u);
  EXPECT_EQ(r[0].id.substr(0, 3), "003");
  EXPECT_FALSE(r[1].success);
  EXPECT_TRUE(r[1].id.empty());
  EXPECT_TRUE(r[2].success);
  EXPECT_LT(r[0].id, r[2].id);
  EXPECT_EQ(org.count("Contact"), 2u);
}

TEST_F(OrgDmlTest, RequiredFieldMissing) {
  auto r =
      dml("insert", "Contact", {rec({{"FirstName", "Ann"}}), rec({{"LastName", std::nullopt}})});
  EXPECT_EQ(err(r).statusCode, "REQUIRED_FIELD_MISSING");
  EXPECT_EQ(err(r).message, "Required fields are missing: [LastName]");
  EXPECT_EQ(err(r).fields, std::vector<std::string>{"LastName"});
  EXPECT_EQ(err(r, 1).statusCode, "REQUIRED_FIELD_MISSING");

  auto opp = dml("insert", "Opportunity", {rec({{"Name", "Deal"}})});
  EXPECT_EQ(err(opp).message, "Required fields are missing: [StageName, CloseDate]");
  EXPECT_EQ(err(opp).fields, (std::vector<std::string>{"StageName", "CloseDate"}));

  const std::string id = insertOne("Contact", {{"LastName", "Keep"}});
  auto u = dml("update", "Contact", {rec({{"Id", id}, {"LastName", std::nullopt}})});
  EXPECT_EQ(err(u).statusCode, "REQUIRED_FIELD_MISSING");
  EXPECT_EQ(get("SELECT LastName FROM Contact"), "Keep");
}

TEST_F(OrgDmlTest, UnknownColumnFailsTheWholeBatch) {
  try {
    dml("insert", "Contact", {rec({{"LastName", "A"}}), rec({{"LastName", "B"}, {"Foo__c", "x"}})});
    FAIL() << "expected BatchFailure";
  } catch (const BatchFailure& e) {
    EXPECT_STREQ(e.what(), "InvalidBatch : Field name not found : Foo__c");
  }
  EXPECT_EQ(org.count("Contact"), 0u);  // nothing written, not even the first record
  // Field names are case-insensitive.
  EXPECT_TRUE(dml("insert", "Contact", {rec({{"lastname", "lower"}})})[0].success);
}

TEST_F(OrgDmlTest, ValueTypesAreCheckedAndNormalised) {
  auto r = dml("insert", "Contact",
               {rec({{"LastName", "A"}, {"Legacy_Number__c", "abc"}}),
                rec({{"LastName", "B"}, {"Birthdate", "1940-13-07"}}),
                rec({{"LastName", "C"}, {"HasOptedOutOfEmail", "maybe"}}),
                rec({{"LastName", std::string(81, 'x')}}),
                rec({{"LastName", "E"}, {"Email", "not-an-email"}})});
  EXPECT_EQ(err(r, 0).statusCode, "INVALID_TYPE_ON_FIELD_IN_RECORD");
  EXPECT_EQ(err(r, 0).message, "Legacy_Number__c: value not of required type: abc");
  EXPECT_EQ(err(r, 0).fields, std::vector<std::string>{"Legacy_Number__c"});
  EXPECT_EQ(err(r, 1).statusCode, "INVALID_TYPE_ON_FIELD_IN_RECORD");
  EXPECT_EQ(err(r, 2).statusCode, "INVALID_TYPE_ON_FIELD_IN_RECORD");
  EXPECT_EQ(err(r, 3).statusCode, "STRING_TOO_LONG");
  EXPECT_EQ(err(r, 3).message,
            "LastName: data value too large: " + std::string(81, 'x') + " (max length=80)");
  EXPECT_EQ(err(r, 4).statusCode, "INVALID_EMAIL_ADDRESS");

  // Multi-byte characters count once towards the length.
  std::string umlauts;
  for (int i = 0; i < 80; ++i) umlauts += "\xC3\xBC";
  EXPECT_TRUE(dml("insert", "Contact", {rec({{"LastName", umlauts}})})[0].success);

  insertOne("Contact", {{"LastName", "Typed"},
                        {"Legacy_Number__c", "1.5e3"},
                        {"Birthdate", "1940-06-07Z"},
                        {"HasOptedOutOfEmail", "TRUE"}});
  auto q = org.query(
      "SELECT Legacy_Number__c, Birthdate, HasOptedOutOfEmail FROM Contact WHERE LastName = "
      "'Typed'",
      false);
  ASSERT_EQ(q.rows.size(), 1u);
  EXPECT_EQ(q.rows[0][0], "1500");
  EXPECT_EQ(q.rows[0][1], "1940-06-07");
  EXPECT_EQ(q.rows[0][2], "true");

  const std::string acc = insertOne(
      "Account", {{"Name", "Rev"}, {"AnnualRevenue", "-2.5"}, {"NumberOfEmployees", "12"}});
  auto badInt = dml("update", "Account", {rec({{"Id", acc}, {"NumberOfEmployees", "1.5"}})});
  EXPECT_EQ(err(badInt).statusCode, "INVALID_TYPE_ON_FIELD_IN_RECORD");
  EXPECT_EQ(get("SELECT AnnualRevenue FROM Account"), "-2.5");
}

TEST_F(OrgDmlTest, DateTimesAreNormalisedToUtc) {
  const std::string acc = insertOne("Account", {{"Name", "Deal Co"}});
  (void)acc;
  org.loadSchemaJson(R"({"objects": [{"name": "Event__c",
      "fields": [{"name": "Starts__c", "type": "datetime"}]}]})");
  auto r = dml(
      "insert", "Event__c",
      {rec({{"Starts__c", "2024-01-31T10:00:00.123+0100"}}),
       rec({{"Starts__c", "2024-01-31T23:30:00-02:00"}}),
       rec({{"Starts__c", "2024-01-31T10:00:00Z"}}), rec({{"Starts__c", "2024-01-31T25:00:00Z"}})});
  EXPECT_TRUE(r[0].success);
  EXPECT_EQ(err(r, 3).statusCode, "INVALID_TYPE_ON_FIELD_IN_RECORD");
  auto q = org.query("SELECT Starts__c FROM Event__c", false);
  ASSERT_EQ(q.rows.size(), 3u);
  EXPECT_EQ(q.rows[0][0], "2024-01-31T09:00:00.123Z");
  EXPECT_EQ(q.rows[1][0], "2024-02-01T01:30:00.000Z");
  EXPECT_EQ(q.rows[2][0], "2024-01-31T10:00:00.000Z");
}

TEST_F(OrgDmlTest, SystemFieldsAreSetAndReadOnly) {
  const std::string id = insertOne("Contact", {{"FirstName", "Ada"}, {"LastName", "Lovelace"}});
  auto q = org.query(
      "SELECT Id, Name, CreatedDate, LastModifiedDate, SystemModstamp, IsDeleted, OwnerId, "
      "HasOptedOutOfEmail FROM Contact",
      false);
  ASSERT_EQ(q.rows.size(), 1u);
  EXPECT_EQ(q.rows[0][0], id);
  EXPECT_EQ(q.rows[0][1], "Ada Lovelace");
  ASSERT_TRUE(q.rows[0][2]);
  EXPECT_EQ(q.rows[0][2]->size(), 24u);
  EXPECT_EQ(q.rows[0][2]->back(), 'Z');
  EXPECT_EQ(q.rows[0][3], q.rows[0][2]);
  EXPECT_EQ(q.rows[0][5], "false");
  EXPECT_EQ(q.rows[0][6]->substr(0, 3), "005");
  EXPECT_EQ(q.rows[0][7], "false");  // checkboxes default to false

  auto r = dml("update", "Contact",
               {rec({{"Id", id}, {"CreatedDate", "2020-01-01T00:00:00Z"}}),
                rec({{"Id", id}, {"Name", "Other"}})});
  EXPECT_EQ(err(r, 0).statusCode, "INVALID_FIELD_FOR_INSERT_UPDATE");
  EXPECT_EQ(err(r, 0).fields, std::vector<std::string>{"CreatedDate"});
  EXPECT_EQ(err(r, 1).statusCode, "INVALID_FIELD_FOR_INSERT_UPDATE");
  auto ins = dml("insert", "Contact", {rec({{"Id", id}, {"LastName", "X"}})});
  EXPECT_EQ(err(ins).statusCode, "INVALID_FIELD_FOR_INSERT_UPDATE");
  EXPECT_EQ(err(ins).message, "cannot specify Id in an insert call");
}

TEST_F(OrgDmlTest, UpdateChangesOnlyGivenFieldsAndNullClears) {
  const std::string id =
      insertOne("Contact", {{"LastName", "Doe"}, {"Title", "CEO"}, {"Phone", "123"}});
  auto r = dml("update", "Contact", {rec({{"Id", id}, {"Title", "CTO"}, {"Phone", std::nullopt}})});
  ASSERT_TRUE(r[0].success);
  EXPECT_FALSE(r[0].created);
  EXPECT_EQ(r[0].id, id);
  auto q = org.query("SELECT LastName, Title, Phone FROM Contact", false);
  EXPECT_EQ(q.rows[0][0], "Doe");
  EXPECT_EQ(q.rows[0][1], "CTO");
  EXPECT_EQ(q.rows[0][2], std::nullopt);
  // A 15-character id names the same record.
  EXPECT_TRUE(
      dml("update", "Contact", {rec({{"Id", id.substr(0, 15)}, {"Title", "CFO"}})})[0].success);
  EXPECT_EQ(get("SELECT Title FROM Contact"), "CFO");
}

TEST_F(OrgDmlTest, BadIdsOnUpdateAndDelete) {
  const std::string acc = insertOne("Account", {{"Name", "A"}});
  const std::string c = insertOne("Contact", {{"LastName", "C"}});
  auto r = dml("update", "Contact",
               {rec({{"Id", "garbage"}, {"Title", "x"}}), rec({{"Id", acc}, {"Title", "x"}}),
                rec({{"Title", "x"}}), rec({{"Id", "0035g00000zzzzzAAA"}, {"Title", "x"}})});
  EXPECT_EQ(err(r, 0).statusCode, "MALFORMED_ID");
  EXPECT_EQ(err(r, 0).message, "Contact ID: id value of incorrect type: garbage");
  EXPECT_EQ(err(r, 1).statusCode, "MALFORMED_ID");
  EXPECT_EQ(err(r, 2).statusCode, "MISSING_ARGUMENT");
  EXPECT_EQ(err(r, 3).statusCode, "INVALID_CROSS_REFERENCE_KEY");
  // Gaps row 63: an empty Id in a delete is INVALID_ID_FIELD, with no field named.
  for (const char* op : {"delete", "hardDelete"}) {
    auto empty = dml(op, "Contact", {rec({{"Id", std::string()}}), rec({{"LastName", "x"}})});
    EXPECT_EQ(err(empty, 0).statusCode, "INVALID_ID_FIELD");
    EXPECT_EQ(err(empty, 0).message, "invalid record id");
    EXPECT_TRUE(err(empty, 0).fields.empty());
    EXPECT_EQ(err(empty, 1).statusCode, "MISSING_ARGUMENT");
  }
  auto d = dml("delete", "Contact", {rec({{"Id", "bad"}}), rec({{"Id", c}}), rec({{"Id", c}})});
  EXPECT_EQ(err(d, 0).statusCode, "MALFORMED_ID");
  EXPECT_TRUE(d[1].success);
  EXPECT_EQ(err(d, 2).statusCode, "ENTITY_IS_DELETED");
  EXPECT_EQ(err(d, 2).message, "entity is deleted");
  auto u = dml("update", "Contact", {rec({{"Id", c}, {"Title", "x"}})});
  EXPECT_EQ(err(u).statusCode, "ENTITY_IS_DELETED");
}

TEST_F(OrgDmlTest, ReferenceFieldsAreChecked) {
  const std::string acc = insertOne("Account", {{"Name", "A"}});
  const std::string gone = insertOne("Account", {{"Name", "Gone"}});
  ASSERT_TRUE(dml("delete", "Account", {rec({{"Id", gone}})})[0].success);
  const std::string lead =
      insertOne("Lead", {{"LastName", "L"}, {"Company", "Co"}, {"Status", "Open"}});
  auto r = dml("insert", "Contact",
               {rec({{"LastName", "ok"}, {"AccountId", acc.substr(0, 15)}}),
                rec({{"LastName", "bad"}, {"AccountId", "nope"}}),
                rec({{"LastName", "wrong type"}, {"AccountId", lead}}),
                rec({{"LastName", "deleted"}, {"AccountId", gone}}),
                rec({{"LastName", "missing"}, {"AccountId", "0015g00000zzzzz"}})});
  EXPECT_TRUE(r[0].success);
  EXPECT_EQ(err(r, 1).statusCode, "MALFORMED_ID");
  EXPECT_EQ(err(r, 2).statusCode, "FIELD_INTEGRITY_EXCEPTION");
  EXPECT_EQ(err(r, 3).statusCode, "ENTITY_IS_DELETED");
  EXPECT_EQ(err(r, 4).statusCode, "INVALID_CROSS_REFERENCE_KEY");
  EXPECT_EQ(get("SELECT AccountId FROM Contact"), acc);
}

TEST_F(OrgDmlTest, UniqueExternalIdDuplicates) {
  const std::string first = insertOne("Contact", {{"LastName", "A"}, {"External_Id__c", "X-1"}});
  auto r = dml("insert", "Contact",
               {rec({{"LastName", "B"}, {"External_Id__c", "x-1"}}),
                rec({{"LastName", "C"}, {"External_Id__c", "X-2"}}),
                rec({{"LastName", "D"}, {"External_Id__c", "X-2"}})});
  EXPECT_EQ(err(r, 0).statusCode, "DUPLICATE_VALUE");
  EXPECT_EQ(err(r, 0).message,
            "duplicate value found: External_Id__c duplicates value on record with id: " + first);
  EXPECT_EQ(err(r, 0).fields, std::vector<std::string>{"External_Id__c"});
  EXPECT_TRUE(r[1].success);
  EXPECT_EQ(err(r, 2).statusCode, "DUPLICATE_VALUE");
  // Updating a record to its own value is not a duplicate; deleting frees the value.
  EXPECT_TRUE(
      dml("update", "Contact", {rec({{"Id", first}, {"External_Id__c", "X-1"}})})[0].success);
  ASSERT_TRUE(dml("delete", "Contact", {rec({{"Id", first}})})[0].success);
  EXPECT_TRUE(
      dml("insert", "Contact", {rec({{"LastName", "E"}, {"External_Id__c", "X-1"}})})[0].success);
}

TEST_F(OrgDmlTest, UpsertCreatesThenMatches) {
  auto r =
      dml("upsert", "Contact",
          {rec({{"LastName", "New"}, {"External_Id__c", "E1"}}),
           rec({{"LastName", "Again"}, {"External_Id__c", "e1"}}), rec({{"LastName", "NoKey"}})},
          "External_Id__c");
  ASSERT_TRUE(r[0].success);
  EXPECT_TRUE(r[0].created);
  ASSERT_TRUE(r[1].success);
  EXPECT_FALSE(r[1].created);
  EXPECT_EQ(r[1].id, r[0].id);
  EXPECT_EQ(err(r, 2).statusCode, "MISSING_ARGUMENT");
  EXPECT_EQ(get("SELECT LastName FROM Contact"), "Again");
  EXPECT_EQ(org.count("Contact"), 1u);

  // Upsert by Id: no Id inserts, a known Id updates.
  auto byId = dml("upsert", "Contact",
                  {rec({{"Id", r[0].id}, {"Title", "T"}}), rec({{"LastName", "Fresh"}}),
                   rec({{"Id", "0035g00000zzzzz"}, {"LastName", "Z"}})},
                  "Id");
  EXPECT_FALSE(byId[0].created);
  EXPECT_TRUE(byId[0].success);
  EXPECT_TRUE(byId[1].created);
  EXPECT_EQ(err(byId, 2).statusCode, "NOT_FOUND");

  EXPECT_THROW(dml("upsert", "Contact", {rec({{"LastName", "X"}})}, "Email"), BatchFailure);
}

TEST_F(OrgDmlTest, UpsertWithSeveralMatchesIsDuplicateExternalId) {
  org.loadSchemaJson(R"({"objects": [{"name": "Thing__c",
      "fields": [{"name": "Key__c", "type": "string", "externalId": true}]}]})");
  dml("insert", "Thing__c", {rec({{"Key__c", "k"}}), rec({{"Key__c", "K"}})});
  auto r = dml("upsert", "Thing__c", {rec({{"Key__c", "k"}, {"Name", "x"}})}, "Key__c");
  EXPECT_EQ(err(r).statusCode, "DUPLICATE_EXTERNAL_ID");
}

TEST_F(OrgDmlTest, RelationshipColumnsResolveParents) {
  const std::string acme = insertOne("Account", {{"Name", "Acme"}, {"External_Id__c", "ACME"}});
  const std::string boss = insertOne("Contact", {{"LastName", "Boss"}, {"Email", "boss@acme.com"}});
  auto r = dml("insert", "Contact",
               {rec({{"LastName", "Worker"},
                     {"Account.External_Id__c", "acme"},
                     {"ReportsTo.Email", "BOSS@acme.com"}}),
                rec({{"LastName", "Lost"}, {"Account.External_Id__c", "NOPE"}}),
                rec({{"LastName", "ById"}, {"account.id", acme}})});
  ASSERT_TRUE(r[0].success) << r[0].errors[0].message;
  EXPECT_EQ(err(r, 1).statusCode, "INVALID_FIELD");
  EXPECT_EQ(err(r, 1).message,
            "Foreign key external ID: NOPE not found for field External_Id__c in entity Account");
  EXPECT_TRUE(r[2].success);
  auto q = org.query(
      "SELECT AccountId, ReportsToId, Account.Name, ReportsTo.LastName FROM Contact "
      "WHERE LastName = 'Worker'",
      false);
  ASSERT_EQ(q.rows.size(), 1u);
  EXPECT_EQ(q.rows[0][0], acme);
  EXPECT_EQ(q.rows[0][1], boss);
  EXPECT_EQ(q.rows[0][2], "Acme");
  EXPECT_EQ(q.rows[0][3], "Boss");

  EXPECT_THROW(dml("insert", "Contact", {rec({{"LastName", "x"}, {"Account.Name", "Acme"}})}),
               BatchFailure);
  EXPECT_THROW(dml("insert", "Contact", {rec({{"LastName", "x"}, {"Nope.Email", "a@b.c"}})}),
               BatchFailure);
}

TEST_F(OrgDmlTest, SoftDeleteVersusQueryAllAndHardDelete) {
  const std::string a = insertOne("Contact", {{"LastName", "Soft"}});
  const std::string b = insertOne("Contact", {{"LastName", "Hard"}});
  insertOne("Contact", {{"LastName", "Live"}});
  ASSERT_TRUE(dml("delete", "Contact", {rec({{"Id", a}})})[0].success);
  auto hd = dml("hardDelete", "Contact", {rec({{"Id", b}})});
  ASSERT_TRUE(hd[0].success);
  EXPECT_EQ(hd[0].id, b);
  EXPECT_EQ(org.count("Contact"), 1u);
  EXPECT_EQ(org.query("SELECT Id FROM Contact", false).rows.size(), 1u);
  auto all = org.query("SELECT LastName, IsDeleted FROM Contact ORDER BY LastName", true);
  ASSERT_EQ(all.rows.size(), 2u);
  EXPECT_EQ(all.rows[0][0], "Live");
  EXPECT_EQ(all.rows[1][0], "Soft");
  EXPECT_EQ(all.rows[1][1], "true");
  auto again = dml("hardDelete", "Contact", {rec({{"Id", b}})});
  EXPECT_EQ(err(again).statusCode, "INVALID_CROSS_REFERENCE_KEY");
}

TEST_F(OrgDmlTest, LockFailuresAreDeterministic) {
  std::vector<InputRecord> records;
  for (int i = 0; i < 100; ++i) records.push_back(rec({{"LastName", "L" + std::to_string(i)}}));
  auto r = dml("insert", "Contact", records, "", 0.1);
  int failures = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (r[i].success) continue;
    ++failures;
    EXPECT_EQ(r[i].errors[0].statusCode, "UNABLE_TO_LOCK_ROW");
    EXPECT_EQ(r[i].errors[0].message, "unable to obtain exclusive access to this record");
  }
  EXPECT_EQ(failures, 10);
  EXPECT_FALSE(r[9].success);
  EXPECT_TRUE(r[0].success);
  EXPECT_EQ(org.count("Contact"), 90u);
}

TEST_F(OrgDmlTest, BatchLevelFailures) {
  EXPECT_THROW(dml("insert", "Nope__c", {rec({{"Name", "x"}})}), BatchFailure);
  EXPECT_THROW(dml("merge", "Contact", {rec({{"LastName", "x"}})}), BatchFailure);
}

TEST_F(OrgDmlTest, ClearRemovesEverything) {
  insertOne("Account", {{"Name", "A"}});
  insertOne("Contact", {{"LastName", "C"}, {"External_Id__c", "K"}});
  org.clear();
  EXPECT_EQ(org.count("Account"), 0u);
  EXPECT_EQ(org.count("Contact"), 0u);
  EXPECT_TRUE(
      dml("insert", "Contact", {rec({{"LastName", "C"}, {"External_Id__c", "K"}})})[0].success);
}

TEST_F(OrgDmlTest, QueriesRunConcurrentlyWithDml) {
  std::atomic<bool> done{false};
  std::atomic<int> badReads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        // Every batch below writes 100 records at once, so a reader sees whole batches.
        const auto n = org.query("SELECT Id, LastName FROM Contact", false).rows.size();
        if (n % 100 != 0) ++badReads;
      }
    });
  }
  for (int b = 0; b < 20; ++b) {
    std::vector<InputRecord> batch;
    for (int i = 0; i < 100; ++i) batch.push_back(rec({{"LastName", "C" + std::to_string(i)}}));
    dml("insert", "Contact", batch);
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(badReads, 0);
  EXPECT_EQ(org.count("Contact"), 2000u);
}

}  // namespace
}  // namespace sfdc::emulator
