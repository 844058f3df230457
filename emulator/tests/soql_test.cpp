#include <gtest/gtest.h>

#include <chrono>

#include "field_value.hpp"
#include "org.hpp"

namespace sfdc::emulator {
namespace {

InputRecord rec(std::initializer_list<std::pair<std::string, Value>> fields) {
  return InputRecord{fields};
}

class SoqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto acc = org.applyDml("insert", "Account",
                            {rec({{"Name", "Acme"}, {"Industry", "Energy"}}),
                             rec({{"Name", "Globex"}, {"Industry", "Retail"}})},
                            "");
    acme = acc[0].id;
    globex = acc[1].id;
    auto c = org.applyDml(
        "insert", "Contact",
        {rec({{"FirstName", "Ann"},
              {"LastName", "Archer"},
              {"Email", "ann@acme.com"},
              {"AccountId", acme},
              {"Legacy_Number__c", "10"},
              {"Birthdate", "1980-05-01"},
              {"HasOptedOutOfEmail", "true"}}),
         rec({{"FirstName", "Bob"},
              {"LastName", "baker"},
              {"Email", "bob@globex.com"},
              {"AccountId", globex},
              {"Legacy_Number__c", "2.5"},
              {"Birthdate", "1990-01-31"}}),
         rec({{"LastName", "Carter"}, {"Title", "It's 50% off"}, {"Legacy_Number__c", "-3"}}),
         rec({{"FirstName", "Dan"}, {"LastName", "Diaz"}, {"AccountId", acme}})},
        "");
    for (const auto& r : c) ids.push_back(r.id);
  }

  std::vector<std::string> names(const std::string& where, bool all = false) {
    std::vector<std::string> out;
    for (const auto& row : org.query("SELECT LastName FROM Contact " + where, all).rows) {
      out.push_back(row[0].value_or("<null>"));
    }
    return out;
  }

  std::string failure(const std::string& soql) {
    try {
      org.query(soql, false);
    } catch (const BatchFailure& e) {
      return e.what();
    }
    return "<no failure>";
  }

  using Names = std::vector<std::string>;
  Org org;
  std::string acme, globex;
  std::vector<std::string> ids;
};

TEST_F(SoqlTest, SelectEchoesSpellingAndTypes) {
  auto q = org.query("select id, lastname, Account.Name, LEGACY_NUMBER__C from contact", false);
  EXPECT_EQ(q.object, "Contact");
  EXPECT_EQ(q.columns, (Names{"id", "lastname", "Account.Name", "LEGACY_NUMBER__C"}));
  EXPECT_EQ(q.types, (std::vector<FieldType>{FieldType::Id, FieldType::String, FieldType::String,
                                             FieldType::Double}));
  ASSERT_EQ(q.rows.size(), 4u);
  EXPECT_EQ(q.rows[0][0], ids[0]);
  EXPECT_EQ(q.rows[0][2], "Acme");
  EXPECT_EQ(q.rows[2][2], std::nullopt);  // no parent
}

TEST_F(SoqlTest, DefaultOrderIsCreationOrder) {
  EXPECT_EQ(names(""), (Names{"Archer", "baker", "Carter", "Diaz"}));
}

TEST_F(SoqlTest, EqualityIsCaseInsensitiveForText) {
  EXPECT_EQ(names("WHERE LastName = 'BAKER'"), Names{"baker"});
  EXPECT_EQ(names("WHERE LastName != 'baker'"), (Names{"Archer", "Carter", "Diaz"}));
  EXPECT_EQ(names("WHERE LastName <> 'baker'"), (Names{"Archer", "Carter", "Diaz"}));
}

TEST_F(SoqlTest, NumberComparisons) {
  EXPECT_EQ(names("WHERE Legacy_Number__c > 2.5"), Names{"Archer"});
  EXPECT_EQ(names("WHERE Legacy_Number__c >= 2.5"), (Names{"Archer", "baker"}));
  EXPECT_EQ(names("WHERE Legacy_Number__c < 0"), Names{"Carter"});
  EXPECT_EQ(names("WHERE Legacy_Number__c <= 1e1"), (Names{"Archer", "baker", "Carter"}));
  EXPECT_EQ(names("WHERE Legacy_Number__c = -3"), Names{"Carter"});
}

TEST_F(SoqlTest, DateAndDateTimeLiterals) {
  EXPECT_EQ(names("WHERE Birthdate < 1985-01-01"), Names{"Archer"});
  EXPECT_EQ(names("WHERE Birthdate = 1990-01-31"), Names{"baker"});
  EXPECT_EQ(names("WHERE CreatedDate > 2000-01-01T00:00:00Z").size(), 4u);
  EXPECT_EQ(names("WHERE CreatedDate < 2000-01-01T00:00:00.000+01:00").size(), 0u);
  EXPECT_EQ(names("WHERE CreatedDate = TODAY").size(), 4u);
  EXPECT_EQ(names("WHERE CreatedDate = LAST_N_DAYS:3").size(), 4u);
  EXPECT_EQ(names("WHERE CreatedDate = YESTERDAY").size(), 0u);
  EXPECT_EQ(names("WHERE CreatedDate < TODAY").size(), 0u);
  EXPECT_EQ(names("WHERE CreatedDate >= THIS_MONTH").size(), 4u);
  EXPECT_EQ(names("WHERE Birthdate = THIS_YEAR").size(), 0u);
}

TEST_F(SoqlTest, BooleanAndNull) {
  EXPECT_EQ(names("WHERE HasOptedOutOfEmail = true"), Names{"Archer"});
  EXPECT_EQ(names("WHERE HasOptedOutOfEmail = FALSE").size(), 3u);
  EXPECT_EQ(names("WHERE FirstName = null"), Names{"Carter"});
  EXPECT_EQ(names("WHERE AccountId != null"), (Names{"Archer", "baker", "Diaz"}));
  // A null value is unequal to every literal.
  EXPECT_EQ(names("WHERE FirstName != 'Ann'"), (Names{"baker", "Carter", "Diaz"}));
}

TEST_F(SoqlTest, LikeWithWildcardsAndEscapes) {
  EXPECT_EQ(names("WHERE LastName LIKE 'ba%'"), Names{"baker"});
  EXPECT_EQ(names("WHERE LastName LIKE '%AR%'"), (Names{"Archer", "Carter"}));
  EXPECT_EQ(names("WHERE LastName LIKE '_iaz'"), Names{"Diaz"});
  EXPECT_EQ(names("WHERE Title LIKE '%50\\%%'"), Names{"Carter"});
  EXPECT_EQ(names("WHERE Title LIKE 'It\\'s%'"), Names{"Carter"});
  EXPECT_EQ(names("WHERE Title LIKE '%5\\_%'").size(), 0u);
  EXPECT_EQ(names("WHERE NOT LastName LIKE '%a%'"), Names{});
}

TEST_F(SoqlTest, InAndNotIn) {
  EXPECT_EQ(names("WHERE LastName IN ('archer', 'Diaz', 'nobody')"), (Names{"Archer", "Diaz"}));
  EXPECT_EQ(names("WHERE LastName NOT IN ('archer', 'Diaz')"), (Names{"baker", "Carter"}));
  EXPECT_EQ(names("WHERE Legacy_Number__c IN (10, -3)"), (Names{"Archer", "Carter"}));
  EXPECT_EQ(names("WHERE FirstName IN (null, 'Bob')"), (Names{"baker", "Carter"}));
  EXPECT_EQ(names("WHERE Id IN ('" + ids[1] + "', '" + ids[3].substr(0, 15) + "')"),
            (Names{"baker", "Diaz"}));
}

TEST_F(SoqlTest, AndOrNotAndParentheses) {
  EXPECT_EQ(names("WHERE LastName = 'Archer' OR LastName = 'Diaz' OR FirstName = 'Bob'"),
            (Names{"Archer", "baker", "Diaz"}));
  EXPECT_EQ(names("WHERE AccountId != null AND (FirstName = 'Ann' OR FirstName = 'Dan')"),
            (Names{"Archer", "Diaz"}));
  EXPECT_EQ(names("WHERE NOT (LastName = 'Archer' OR LastName = 'Diaz')"),
            (Names{"baker", "Carter"}));
  EXPECT_EQ(names("WHERE (NOT LastName = 'Archer') AND Legacy_Number__c > 0"), Names{"baker"});
  EXPECT_NE(failure("SELECT Id FROM Contact WHERE LastName = 'a' AND FirstName = 'b' OR "
                    "Title = 'c'")
                .find("MALFORMED_QUERY"),
            std::string::npos);
}

TEST_F(SoqlTest, ParentFieldsInWhereAndOrderBy) {
  EXPECT_EQ(names("WHERE Account.Name = 'acme'"), (Names{"Archer", "Diaz"}));
  EXPECT_EQ(names("WHERE Account.Industry IN ('Retail')"), Names{"baker"});
  EXPECT_EQ(names("ORDER BY Account.Name DESC NULLS LAST, LastName"),
            (Names{"baker", "Archer", "Diaz", "Carter"}));
}

TEST_F(SoqlTest, OrderByMultiKeyWithNulls) {
  EXPECT_EQ(names("ORDER BY FirstName"), (Names{"Carter", "Archer", "baker", "Diaz"}));
  EXPECT_EQ(names("ORDER BY FirstName NULLS LAST"), (Names{"Archer", "baker", "Diaz", "Carter"}));
  EXPECT_EQ(names("ORDER BY FirstName DESC NULLS FIRST"),
            (Names{"Carter", "Diaz", "baker", "Archer"}));
  EXPECT_EQ(names("ORDER BY LastName DESC"), (Names{"Diaz", "Carter", "baker", "Archer"}));
  EXPECT_EQ(names("ORDER BY Legacy_Number__c ASC NULLS LAST"),
            (Names{"Carter", "baker", "Archer", "Diaz"}));
  EXPECT_EQ(names("ORDER BY AccountId NULLS FIRST, LastName DESC"),
            (Names{"Carter", "Diaz", "Archer", "baker"}));
}

TEST_F(SoqlTest, Limit) {
  EXPECT_EQ(names("LIMIT 2"), (Names{"Archer", "baker"}));
  EXPECT_EQ(names("ORDER BY LastName DESC LIMIT 1"), Names{"Diaz"});
  EXPECT_EQ(names("LIMIT 0").size(), 0u);
}

TEST_F(SoqlTest, AliasAndObjectQualifiedNames) {
  auto q = org.query("SELECT c.LastName FROM Contact c WHERE c.FirstName = 'Ann'", false);
  EXPECT_EQ(q.columns, Names{"LastName"});
  ASSERT_EQ(q.rows.size(), 1u);
  auto q2 = org.query("SELECT Account.Name FROM Account WHERE Account.Name = 'Globex'", false);
  ASSERT_EQ(q2.rows.size(), 1u);
  EXPECT_EQ(q2.columns, Names{"Name"});
}

TEST_F(SoqlTest, StringEscapes) {
  org.applyDml("insert", "Contact", {rec({{"LastName", "O'Brien\\x"}})}, "");
  EXPECT_EQ(names("WHERE LastName = 'O\\'Brien\\\\x'"), Names{"O'Brien\\x"});
}

TEST_F(SoqlTest, QueryAllIncludesSoftDeleted) {
  org.applyDml("delete", "Contact", {rec({{"Id", ids[0]}})}, "");
  EXPECT_EQ(names("WHERE IsDeleted = true").size(), 0u);
  EXPECT_EQ(names("WHERE IsDeleted = true", true), Names{"Archer"});
  EXPECT_EQ(names("", true).size(), 4u);
}

TEST_F(SoqlTest, UnsupportedQueriesAreMalformed) {
  for (const char* soql :
       {"SELECT COUNT() FROM Contact", "SELECT Id FROM Contact GROUP BY Name",
        "SELECT Id FROM Contact LIMIT 5 OFFSET 2",
        "SELECT TYPEOF What WHEN Account THEN Name END FROM Event",
        "SELECT Id, (SELECT Id FROM Contacts) FROM Account",
        "SELECT Id FROM Contact WHERE AccountId IN (SELECT Id FROM Account)", "SELECT FROM Contact",
        "SELECT Id Contact", "SELECT Id FROM Contact WHERE",
        "SELECT Id FROM Contact WHERE Name = 'unterminated", "SELECT Id FROM Contact ORDER BY",
        "SELECT Id FROM Contact LIMIT x"}) {
    EXPECT_EQ(failure(soql).rfind("MALFORMED_QUERY : ", 0), 0u) << soql << " -> " << failure(soql);
  }
}

TEST_F(SoqlTest, UnknownNames) {
  EXPECT_EQ(failure("SELECT Foo__c FROM Contact")
                .rfind("INVALID_FIELD : No such column 'Foo__c' on entity 'Contact'", 0),
            0u);
  EXPECT_EQ(failure("SELECT Id FROM Contact WHERE Bar = 1")
                .rfind("INVALID_FIELD : No such column 'Bar' on entity 'Contact'", 0),
            0u);
  EXPECT_EQ(failure("SELECT Account.Nope FROM Contact")
                .rfind("INVALID_FIELD : No such column 'Nope' on entity 'Account'", 0),
            0u);
  EXPECT_EQ(failure("SELECT Boss.Name FROM Contact").rfind("INVALID_FIELD : Didn't understand", 0),
            0u);
  EXPECT_EQ(failure("SELECT Id FROM Widget__c"),
            "INVALID_TYPE : sObject type 'Widget__c' is not supported.");
  EXPECT_EQ(failure("SELECT Id, ID FROM Contact"),
            "MALFORMED_QUERY : duplicate field selected: ID");
}

TEST_F(SoqlTest, LiteralsMustMatchFieldTypes) {
  EXPECT_EQ(
      failure("SELECT Id FROM Contact WHERE Legacy_Number__c = '1'").rfind("INVALID_FIELD", 0), 0u);
  EXPECT_EQ(failure("SELECT Id FROM Contact WHERE LastName = 1").rfind("INVALID_FIELD", 0), 0u);
  EXPECT_EQ(
      failure("SELECT Id FROM Contact WHERE Birthdate = '2020-01-01'").rfind("INVALID_FIELD", 0),
      0u);
  EXPECT_EQ(
      failure("SELECT Id FROM Contact WHERE CreatedDate > 2020-01-01").rfind("INVALID_FIELD", 0),
      0u);
  EXPECT_EQ(
      failure("SELECT Id FROM Contact WHERE Id = 'xyz'").rfind("INVALID_QUERY_FILTER_OPERATOR", 0),
      0u);
  EXPECT_EQ(failure("SELECT Id FROM Contact WHERE Legacy_Number__c LIKE '1%'")
                .rfind("INVALID_QUERY_FILTER_OPERATOR", 0),
            0u);
}

TEST_F(SoqlTest, PkChunkBoundariesAndIdRanges) {
  std::vector<InputRecord> more;
  for (int i = 0; i < 21; ++i) more.push_back(rec({{"LastName", "N" + std::to_string(i)}}));
  org.applyDml("insert", "Contact", more, "");  // 25 contacts in all
  org.applyDml("delete", "Contact", {rec({{"Id", ids[0]}})}, "");

  auto chunks = org.chunkBoundaries("Contact", 10, "", false);
  ASSERT_EQ(chunks.size(), 3u);  // 24 live records
  EXPECT_EQ(chunks[0], ids[1]);
  EXPECT_EQ(org.chunkBoundaries("contact", 10, "", true).size(), 3u);
  EXPECT_EQ(org.chunkBoundaries("Contact", 10, "", true)[0], ids[0]);
  EXPECT_EQ(org.chunkBoundaries("Contact", 100, ids[2].substr(0, 15), false),
            std::vector<std::string>{ids[2]});
  EXPECT_THROW(org.chunkBoundaries("Nope", 10, "", false), BatchFailure);

  // The server's per-chunk rewrite visits every record exactly once.
  std::size_t total = 0;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    std::string soql = "SELECT Id FROM Contact WHERE Id >= '" + chunks[i] + "'";
    if (i + 1 < chunks.size()) soql += " AND Id < '" + chunks[i + 1] + "'";
    const auto rows = org.query(soql, false).rows.size();
    EXPECT_EQ(rows, i + 1 < chunks.size() ? 10u : 4u);
    total += rows;
  }
  EXPECT_EQ(total, 24u);
}

// Gaps row 81: chunks are id ranges, so deleted records leave short or empty chunks.
TEST_F(SoqlTest, PkChunksAreIdRangesShortOrEmptyWhereRecordsWereDeleted) {
  std::vector<InputRecord> more;
  for (int i = 0; i < 21; ++i) more.push_back(rec({{"LastName", "N" + std::to_string(i)}}));
  const auto created = org.applyDml("insert", "Contact", more, "");  // 25 contacts in all
  std::vector<InputRecord> gone;
  for (std::size_t i = 6; i < 16; ++i) gone.push_back(rec({{"Id", created[i].id}}));
  org.applyDml("delete", "Contact", gone, "");  // contacts 11-20 of 25

  const auto chunks = org.chunkBoundaries("Contact", 10, "", false);
  ASSERT_EQ(chunks.size(), 3u);  // 15 live records, but 25 ids from first to last
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    std::string soql = "SELECT Id FROM Contact WHERE Id >= '" + chunks[i] + "'";
    if (i + 1 < chunks.size()) soql += " AND Id < '" + chunks[i + 1] + "'";
    rows.push_back(org.query(soql, false).rows.size());
  }
  EXPECT_EQ(rows, (std::vector<std::size_t>{10, 0, 5}));
}

TEST(SoqlScaleTest, HundredThousandInsertAndQueryAreFast) {
  Org org;
  const auto start = std::chrono::steady_clock::now();
  std::vector<InputRecord> batch;
  for (int b = 0; b < 10; ++b) {
    batch.clear();
    for (int i = 0; i < 10000; ++i) {
      const std::string n = std::to_string(b * 10000 + i);
      batch.push_back(rec({{"FirstName", "First" + n},
                           {"LastName", "Last" + n},
                           {"Email", "user" + n + "@example.com"},
                           {"External_Id__c", "EXT-" + n}}));
    }
    const auto results = org.applyDml("insert", "Contact", batch, "");
    ASSERT_TRUE(results.back().success);
  }
  EXPECT_EQ(org.count("Contact"), 100000u);
  const auto q =
      org.query("SELECT Id, FirstName, LastName, Email, External_Id__c FROM Contact", false);
  EXPECT_EQ(q.rows.size(), 100000u);
  const auto filtered = org.query(
      "SELECT Id FROM Contact WHERE Email LIKE 'user9999%' ORDER BY LastName DESC", false);
  EXPECT_EQ(filtered.rows.size(), 11u);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 10);
}

}  // namespace
}  // namespace sfdc::emulator
