// Finding the object a SOQL query reads, which a query job must name up front.

#include <gtest/gtest.h>

#include <sfdc/bulk/error.hpp>

#include "query/soql_object.hpp"

namespace sfdc::bulk {
namespace {

using detail::queryObject;

TEST(QuerySoqlObject, SimpleQuery) {
  EXPECT_EQ(queryObject("SELECT Id, Name FROM Account"), "Account");
  EXPECT_EQ(queryObject("SELECT Id FROM Contact WHERE LastName = 'x' LIMIT 5"), "Contact");
}

TEST(QuerySoqlObject, KeywordIsCaseInsensitiveAndObjectKeepsItsCase) {
  EXPECT_EQ(queryObject("select id from account"), "account");
  EXPECT_EQ(queryObject("Select Id FrOm Lead"), "Lead");
}

TEST(QuerySoqlObject, WhitespaceOfAnyKindAroundFrom) {
  EXPECT_EQ(queryObject("SELECT Id\r\nFROM\n\tOpportunity\n"), "Opportunity");
  EXPECT_EQ(queryObject("SELECT Id FROM    Case"), "Case");
}

TEST(QuerySoqlObject, CustomAndNamespacedObjects) {
  EXPECT_EQ(queryObject("SELECT Id FROM ns__Invoice__c WHERE Amount__c > 3"), "ns__Invoice__c");
  EXPECT_EQ(queryObject("SELECT Id FROM Account__History"), "Account__History");
}

TEST(QuerySoqlObject, SubqueriesInSelectAndWhereAreSkipped) {
  EXPECT_EQ(queryObject("SELECT Id, (SELECT Id, (SELECT Id FROM Notes) FROM Contacts) "
                        "FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity)"),
            "Account");
  EXPECT_EQ(queryObject("SELECT Name,(SELECT LastName FROM Contacts)FROM Account"), "Account");
}

TEST(QuerySoqlObject, StringLiteralsContainingFromAreSkipped) {
  EXPECT_EQ(queryObject("SELECT Id FROM Account WHERE Name = ' FROM Contact '"), "Account");
  EXPECT_EQ(queryObject("SELECT Id FROM Account WHERE Name = 'it\\'s FROM Lead'"), "Account");
}

TEST(QuerySoqlObject, FieldsThatContainFromAreNotTheKeyword) {
  EXPECT_EQ(queryObject("SELECT FromDate__c, Date_From__c FROM Event__c"), "Event__c");
}

TEST(QuerySoqlObject, MissingObjectIsInvalidArgument) {
  for (const char* soql : {"SELECT Id", "SELECT Id FROM", "SELECT Id FROM 'Account'",
                           "SELECT Id, (SELECT Id FROM Contacts)", "", "SELECT 'FROM Account'"}) {
    try {
      queryObject(soql);
      ADD_FAILURE() << "no error for: " << soql;
    } catch (const InvalidArgument& e) {
      EXPECT_STREQ(e.what(), "cannot find the object in the query");
    }
  }
}

}  // namespace
}  // namespace sfdc::bulk
