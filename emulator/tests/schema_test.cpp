#include <gtest/gtest.h>

#include <fstream>

#include "org.hpp"

namespace sfdc::emulator {
namespace {

const FieldDef& field(const Org& org, const char* object, const char* name) {
  const ObjectDef* o = org.object(object);
  EXPECT_NE(o, nullptr) << object;
  const FieldDef* f = o->field(name);
  EXPECT_NE(f, nullptr) << object << "." << name;
  return *f;
}

TEST(SchemaTest, StandardObjectsHaveKeyPrefixes) {
  Org org;
  EXPECT_EQ(org.object("Account")->keyPrefix, "001");
  EXPECT_EQ(org.object("contact")->keyPrefix, "003");
  EXPECT_EQ(org.object("LEAD")->keyPrefix, "00Q");
  EXPECT_EQ(org.object("Opportunity")->keyPrefix, "006");
  EXPECT_EQ(org.object("Case"), nullptr);
}

TEST(SchemaTest, StandardFieldsAreRealistic) {
  Org org;
  EXPECT_TRUE(field(org, "Account", "Name").required);
  EXPECT_TRUE(field(org, "Contact", "LastName").required);
  EXPECT_FALSE(field(org, "Contact", "FirstName").required);
  EXPECT_TRUE(field(org, "Lead", "Company").required);
  EXPECT_TRUE(field(org, "Lead", "Status").required);
  EXPECT_TRUE(field(org, "Opportunity", "StageName").required);
  EXPECT_TRUE(field(org, "Opportunity", "CloseDate").required);
  EXPECT_EQ(field(org, "Opportunity", "CloseDate").type, FieldType::Date);

  const FieldDef& accountId = field(org, "Contact", "accountid");
  EXPECT_EQ(accountId.type, FieldType::Reference);
  EXPECT_EQ(accountId.referenceTo, "Account");
  EXPECT_EQ(accountId.relationshipName, "Account");
  EXPECT_EQ(field(org, "Contact", "ReportsToId").relationshipName, "ReportsTo");

  const FieldDef& ext = field(org, "Contact", "External_Id__c");
  EXPECT_TRUE(ext.externalId);
  EXPECT_TRUE(ext.unique);
  EXPECT_EQ(ext.length, 255);
  EXPECT_EQ(field(org, "Contact", "Legacy_Number__c").type, FieldType::Double);
  EXPECT_EQ(field(org, "Contact", "Description").length, 32000);
  EXPECT_EQ(field(org, "Contact", "Birthdate").type, FieldType::Date);
  EXPECT_EQ(field(org, "Account", "AnnualRevenue").type, FieldType::Currency);
  EXPECT_EQ(field(org, "Account", "NumberOfEmployees").type, FieldType::Int);

  for (const char* object : {"Account", "Contact", "Lead", "Opportunity"}) {
    EXPECT_EQ(field(org, object, "Id").type, FieldType::Id);
    EXPECT_FALSE(field(org, object, "Id").updateable);
    EXPECT_FALSE(field(org, object, "CreatedDate").updateable);
    EXPECT_FALSE(field(org, object, "SystemModstamp").updateable);
    EXPECT_EQ(field(org, object, "IsDeleted").type, FieldType::Boolean);
    EXPECT_EQ(field(org, object, "OwnerId").referenceTo, "User");
  }
}

constexpr const char* kInvoiceSchema = R"({
  "objects": [
    {
      "name": "Invoice__c",
      "keyPrefix": "a05",
      "fields": [
        {"name": "Name", "type": "string", "length": 80, "required": true},
        {"name": "Invoice_Number__c", "type": "string", "length": 40, "externalId": true,
         "unique": true},
        {"name": "Amount__c", "type": "currency"},
        {"name": "Due__c", "type": "date"},
        {"name": "Account__c", "type": "reference", "referenceTo": "Account"}
      ]
    },
    {"name": "Payment__c",
     "fields": [{"name": "Invoice__c", "type": "lookup", "referenceTo": "Invoice__c"}]}
  ]
})";

TEST(SchemaTest, LoadsCustomObjects) {
  Org org;
  org.loadSchemaJson(kInvoiceSchema);
  const ObjectDef* invoice = org.object("invoice__c");
  ASSERT_NE(invoice, nullptr);
  EXPECT_EQ(invoice->name, "Invoice__c");
  EXPECT_EQ(invoice->keyPrefix, "a05");
  EXPECT_TRUE(invoice->field("Name")->required);
  EXPECT_EQ(invoice->field("Name")->length, 80);
  EXPECT_EQ(invoice->field("Account__c")->relationshipName, "Account__r");
  EXPECT_EQ(invoice->field("Id")->type, FieldType::Id);
  EXPECT_NE(invoice->field("CreatedDate"), nullptr);
  EXPECT_NE(invoice->field("OwnerId"), nullptr);

  const ObjectDef* payment = org.object("Payment__c");
  ASSERT_NE(payment, nullptr);
  EXPECT_EQ(payment->keyPrefix, "a00");  // assigned: the first free custom prefix
  EXPECT_NE(payment->field("Name"), nullptr);
  EXPECT_EQ(payment->field("Invoice__c")->relationshipName, "Invoice__r");
}

TEST(SchemaTest, CustomObjectsTakeDmlAndQueries) {
  Org org;
  org.loadSchemaJson(kInvoiceSchema);
  auto acc = org.applyDml("insert", "Account",
                          {InputRecord{{{"Name", "Acme"}, {"External_Id__c", "ACME"}}}}, "");
  ASSERT_TRUE(acc[0].success);
  auto inv = org.applyDml(
      "insert", "Invoice__c",
      {InputRecord{
          {{"Name", "INV-1"}, {"Amount__c", "12.5"}, {"Account__r.External_Id__c", "acme"}}}},
      "");
  ASSERT_TRUE(inv[0].success) << inv[0].errors[0].message;
  EXPECT_EQ(inv[0].id.substr(0, 3), "a05");
  const QueryOutput q = org.query(
      "SELECT Name, Amount__c, Account__r.Name FROM Invoice__c WHERE Amount__c > 10", false);
  ASSERT_EQ(q.rows.size(), 1u);
  EXPECT_EQ(q.rows[0][0], "INV-1");
  EXPECT_EQ(q.rows[0][1], "12.5");
  EXPECT_EQ(q.rows[0][2], "Acme");
}

TEST(SchemaTest, ExtendAddsFieldsAndKeepsRecords) {
  Org org;
  auto r = org.applyDml("insert", "Contact", {InputRecord{{{"LastName", "Kept"}}}}, "");
  ASSERT_TRUE(r[0].success);
  org.loadSchemaJson(R"({"objects": [{"name": "Contact", "extend": true,
      "fields": [{"name": "Shoe_Size__c", "type": "double"}]}]})");
  EXPECT_EQ(org.count("Contact"), 1u);
  auto u = org.applyDml("update", "Contact",
                        {InputRecord{{{"Id", r[0].id}, {"Shoe_Size__c", "42"}}}}, "");
  ASSERT_TRUE(u[0].success);
  const QueryOutput q = org.query("SELECT LastName, Shoe_Size__c FROM Contact", false);
  ASSERT_EQ(q.rows.size(), 1u);
  EXPECT_EQ(q.rows[0][1], "42");
}

TEST(SchemaTest, RejectsBadDocumentsWithoutChangingTheOrg) {
  Org org;
  EXPECT_THROW(org.loadSchemaJson("not json"), std::invalid_argument);
  EXPECT_THROW(org.loadSchemaJson(R"({"objects": [{"name": "X__c", "fields": [
      {"name": "A__c", "type": "blob"}]}]})"),
               std::invalid_argument);
  EXPECT_THROW(org.loadSchemaJson(R"({"objects": [{"name": "X__c", "keyPrefix": "003"}]})"),
               std::invalid_argument);
  EXPECT_THROW(org.loadSchemaJson(R"({"objects": [{"name": "X__c", "fields": [
      {"name": "R__c", "type": "reference", "referenceTo": "Nope__c"}]}]})"),
               std::invalid_argument);
  EXPECT_THROW(org.loadSchemaJson(R"({"objects": [{"name": "Y__c", "extend": true}]})"),
               std::invalid_argument);
  EXPECT_EQ(org.object("X__c"), nullptr);
}

TEST(SchemaTest, ShippedExampleLoads) {
  Org org;
  // An absolute path from the build (__FILE__ may be relative, e.g. under ccache).
  org.loadSchemaFile(std::string(SFDC_BULK_EMULATOR_SCHEMAS_DIR) + "/example.json");
  EXPECT_NE(org.object("Invoice__c"), nullptr);
  EXPECT_THROW(org.loadSchemaFile("/nonexistent/schema.json"), std::invalid_argument);
}

}  // namespace
}  // namespace sfdc::emulator
