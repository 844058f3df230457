#pragma once

// Bodies the micro-benchmarks feed to the codecs: one Bulk API batch worth (10,000
// Contacts) in each wire shape, built once per process from the shared generator.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../contact_data.hpp"

namespace sfdc::bench {

inline constexpr std::size_t kBatchRecords = 10000;

/// The rows as strings (what a CSV file source yields).
inline const std::vector<std::vector<std::string>>& batchRows() {
  static const auto rows = [] {
    std::vector<std::vector<std::string>> out(kBatchRecords);
    for (std::size_t i = 0; i < out.size(); ++i) contactRow(i, out[i]);
    return out;
  }();
  return rows;
}

/// The rows as JSON records (what record sources and addRecords take). Empty cells are
/// left out, as a CSV source converting to records does.
inline const std::vector<nlohmann::json>& batchRecords() {
  static const auto records = [] {
    std::vector<nlohmann::json> out;
    out.reserve(kBatchRecords);
    const auto& columns = contactColumns();
    for (const auto& row : batchRows()) {
      nlohmann::json record = nlohmann::json::object();
      for (std::size_t c = 0; c < columns.size(); ++c) {
        if (!row[c].empty()) record[columns[c]] = row[c];
      }
      out.push_back(std::move(record));
    }
    return out;
  }();
  return records;
}

inline std::string fakeId(std::size_t i) {
  std::string id = "003" + std::to_string(1000000000000000ull + i);
  id.resize(18, 'A');
  return id;
}

inline void appendQuoted(std::string& out, const std::string& value) {
  out += '"';
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

inline std::string xmlEscaped(const std::string& value) {
  std::string out;
  for (const char c : value) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out += c;
        break;
    }
  }
  return out;
}

/// A CSV query result file as Salesforce writes it: every value quoted, Id first.
inline const std::string& csvQueryFile() {
  static const std::string body = [] {
    std::string out;
    const auto& columns = contactColumns();
    appendQuoted(out, "Id");
    for (const auto& c : columns) out.append(",").append("\"" + c + "\"");
    out += '\n';
    std::size_t i = 0;
    for (const auto& row : batchRows()) {
      appendQuoted(out, fakeId(i++));
      for (const auto& v : row) {
        out += ',';
        appendQuoted(out, v);
      }
      out += '\n';
    }
    return out;
  }();
  return body;
}

/// A JSON query result file: records with their `attributes`.
inline const std::string& jsonQueryFile() {
  static const std::string body = [] {
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    const auto& columns = contactColumns();
    std::size_t i = 0;
    for (const auto& row : batchRows()) {
      nlohmann::ordered_json record;
      const std::string id = fakeId(i++);
      record["attributes"] = {{"type", "Contact"},
                              {"url", "/services/data/v59.0/sobjects/Contact/" + id}};
      record["Id"] = id;
      for (std::size_t c = 0; c < columns.size(); ++c) {
        if (row[c].empty()) {
          record[columns[c]] = nullptr;
        } else {
          record[columns[c]] = row[c];
        }
      }
      array.push_back(std::move(record));
    }
    return array.dump();
  }();
  return body;
}

/// An XML query result file (partner WSDL style records).
inline const std::string& xmlQueryFile() {
  static const std::string body = [] {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><queryResult "
        "xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">";
    const auto& columns = contactColumns();
    std::size_t i = 0;
    for (const auto& row : batchRows()) {
      const std::string id = fakeId(i++);
      out += "<records xsi:type=\"sObject\"><type>Contact</type><Id>" + id + "</Id>";
      for (std::size_t c = 0; c < columns.size(); ++c) {
        if (row[c].empty()) {
          out += "<" + columns[c] + " xsi:nil=\"true\"/>";
        } else {
          out += "<" + columns[c] + ">" + xmlEscaped(row[c]) + "</" + columns[c] + ">";
        }
      }
      out += "</records>";
    }
    return out + "</queryResult>";
  }();
  return body;
}

/// DML results of a 10,000-record batch, one in 50 failed, in each format.
inline const std::string& csvDmlResults() {
  static const std::string body = [] {
    std::string out = "\"Id\",\"Success\",\"Created\",\"Error\"\n";
    for (std::size_t i = 0; i < kBatchRecords; ++i) {
      if (i % 50 == 49) {
        out +=
            "\"\",\"false\",\"false\",\"REQUIRED_FIELD_MISSING:Required fields are missing: "
            "[LastName]:LastName --\"\n";
      } else {
        out += "\"" + fakeId(i) + "\",\"true\",\"true\",\"\"\n";
      }
    }
    return out;
  }();
  return body;
}

inline const std::string& xmlDmlResults() {
  static const std::string body = [] {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><results "
        "xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">";
    for (std::size_t i = 0; i < kBatchRecords; ++i) {
      if (i % 50 == 49) {
        out +=
            "<result><errors><fields>LastName</fields><message>Required fields are missing: "
            "[LastName]</message><statusCode>REQUIRED_FIELD_MISSING</statusCode></errors>"
            "<success>false</success><created>false</created></result>";
      } else {
        out += "<result><id>" + fakeId(i) +
               "</id><success>true</success><created>true</created>"
               "</result>";
      }
    }
    return out + "</results>";
  }();
  return body;
}

inline const std::string& jsonDmlResults() {
  static const std::string body = [] {
    nlohmann::json array = nlohmann::json::array();
    for (std::size_t i = 0; i < kBatchRecords; ++i) {
      if (i % 50 == 49) {
        array.push_back({{"success", false},
                         {"created", false},
                         {"id", nullptr},
                         {"errors",
                          {{{"fields", {"LastName"}},
                            {"message", "Required fields are missing: [LastName]"},
                            {"statusCode", "REQUIRED_FIELD_MISSING"}}}}});
      } else {
        array.push_back({{"success", true},
                         {"created", true},
                         {"id", fakeId(i)},
                         {"errors", nlohmann::json::array()}});
      }
    }
    return array.dump();
  }();
  return body;
}

}  // namespace sfdc::bench
