#include "schema.hpp"

namespace sfdc::emulator::detail {
namespace {

FieldDef text(const char* name, int length, FieldType type = FieldType::String) {
  FieldDef f;
  f.name = name;
  f.type = type;
  f.length = length;
  return f;
}

FieldDef required(FieldDef f) {
  f.required = true;
  return f;
}

FieldDef typed(const char* name, FieldType type) {
  FieldDef f;
  f.name = name;
  f.type = type;
  f.length = 0;
  return f;
}

FieldDef reference(const char* name, const char* to, const char* relationship) {
  FieldDef f = typed(name, FieldType::Reference);
  f.length = 18;
  f.referenceTo = to;
  f.relationshipName = relationship;
  return f;
}

FieldDef lockingReference(const char* name, const char* to, const char* relationship) {
  FieldDef f = reference(name, to, relationship);
  f.locksParent = true;
  return f;
}

FieldDef externalIdField(const char* name) {
  FieldDef f = text(name, 255);
  f.externalId = true;
  f.unique = true;
  return f;
}

// The compound Name of person objects: read-only, computed from FirstName and LastName.
FieldDef personName() {
  FieldDef f = text("Name", 121);
  f.updateable = false;
  return f;
}

ObjectDef account() {
  ObjectDef o{"Account", "001", {}};
  o.fields = {required(text("Name", 255)),
              text("Type", 255, FieldType::Picklist),
              reference("ParentId", "Account", "Parent"),
              text("BillingStreet", 255, FieldType::TextArea),
              text("BillingCity", 40),
              text("BillingState", 80),
              text("BillingPostalCode", 20),
              text("BillingCountry", 80),
              text("Phone", 40, FieldType::Phone),
              text("Fax", 40, FieldType::Phone),
              text("Website", 255, FieldType::Url),
              text("Industry", 255, FieldType::Picklist),
              typed("AnnualRevenue", FieldType::Currency),
              typed("NumberOfEmployees", FieldType::Int),
              text("AccountNumber", 40),
              text("Description", 32000, FieldType::TextArea),
              externalIdField("External_Id__c")};
  return o;
}

ObjectDef contact() {
  ObjectDef o{"Contact", "003", {}};
  o.fields = {lockingReference("AccountId", "Account", "Account"),
              required(text("LastName", 80)),
              text("FirstName", 40),
              text("Salutation", 40, FieldType::Picklist),
              personName(),
              text("MailingStreet", 255, FieldType::TextArea),
              text("MailingCity", 40),
              text("MailingState", 80),
              text("MailingPostalCode", 20),
              text("MailingCountry", 80),
              text("Phone", 40, FieldType::Phone),
              text("MobilePhone", 40, FieldType::Phone),
              text("Email", 80, FieldType::Email),
              text("Title", 128),
              text("Department", 80),
              typed("Birthdate", FieldType::Date),
              reference("ReportsToId", "Contact", "ReportsTo"),
              text("LeadSource", 255, FieldType::Picklist),
              typed("HasOptedOutOfEmail", FieldType::Boolean),
              text("Description", 32000, FieldType::TextArea),
              externalIdField("External_Id__c"),
              typed("Legacy_Number__c", FieldType::Double)};
  return o;
}

ObjectDef lead() {
  ObjectDef o{"Lead", "00Q", {}};
  FieldDef converted = typed("IsConverted", FieldType::Boolean);
  converted.updateable = false;  // set by lead conversion, which the emulator lacks
  o.fields = {required(text("LastName", 80)),
              text("FirstName", 40),
              text("Salutation", 40, FieldType::Picklist),
              personName(),
              text("Title", 128),
              required(text("Company", 255)),
              text("Street", 255, FieldType::TextArea),
              text("City", 40),
              text("State", 80),
              text("PostalCode", 20),
              text("Country", 80),
              text("Phone", 40, FieldType::Phone),
              text("Email", 80, FieldType::Email),
              text("Website", 255, FieldType::Url),
              required(text("Status", 255, FieldType::Picklist)),
              text("LeadSource", 255, FieldType::Picklist),
              text("Industry", 255, FieldType::Picklist),
              typed("AnnualRevenue", FieldType::Currency),
              typed("NumberOfEmployees", FieldType::Int),
              text("Description", 32000, FieldType::TextArea),
              converted};
  return o;
}

ObjectDef opportunity() {
  ObjectDef o{"Opportunity", "006", {}};
  o.fields = {lockingReference("AccountId", "Account", "Account"),
              required(text("Name", 120)),
              text("Description", 32000, FieldType::TextArea),
              required(text("StageName", 255, FieldType::Picklist)),
              typed("Amount", FieldType::Currency),
              typed("Probability", FieldType::Double),
              required(typed("CloseDate", FieldType::Date)),
              text("Type", 255, FieldType::Picklist),
              text("LeadSource", 255, FieldType::Picklist),
              text("NextStep", 255)};
  return o;
}

}  // namespace

void addSystemFields(ObjectDef& def) {
  auto has = [&def](const char* name) { return def.field(name) != nullptr; };
  std::vector<FieldDef> head;
  if (!has("Id")) {
    FieldDef id = typed("Id", FieldType::Id);
    id.length = 18;
    id.updateable = false;
    head.push_back(id);
  }
  if (!has("IsDeleted")) {
    FieldDef f = typed("IsDeleted", FieldType::Boolean);
    f.updateable = false;
    head.push_back(f);
  }
  if (!has("Name")) head.push_back(text("Name", 80));
  def.fields.insert(def.fields.begin(), head.begin(), head.end());
  if (!has("OwnerId")) def.fields.push_back(reference("OwnerId", "User", "Owner"));
  for (const char* name : {"CreatedDate", "LastModifiedDate", "SystemModstamp"}) {
    if (has(name)) continue;
    FieldDef f = typed(name, FieldType::DateTime);
    f.updateable = false;
    def.fields.push_back(f);
  }
}

// Files attached to records, loaded by binary attachment batches (ZIP_CSV, ZIP_XML,
// ZIP_JSON jobs). BodyLength is computed from Body.
ObjectDef attachment() {
  ObjectDef o{"Attachment", "00P", {}};
  // Polymorphic: the parent may be a record of any object (its id's prefix says which).
  FieldDef parent = reference("ParentId", "", "Parent");
  FieldDef bodyLength = typed("BodyLength", FieldType::Int);
  bodyLength.updateable = false;
  o.fields = {required(parent),
              required(text("Name", 255)),
              required(typed("Body", FieldType::Base64)),
              bodyLength,
              text("ContentType", 120),
              text("Description", 500, FieldType::TextArea),
              typed("IsPrivate", FieldType::Boolean)};
  return o;
}

std::vector<ObjectDef> standardObjects() {
  std::vector<ObjectDef> out{account(), contact(), lead(), opportunity(), attachment()};
  for (ObjectDef& o : out) addSystemFields(o);
  return out;
}

}  // namespace sfdc::emulator::detail
