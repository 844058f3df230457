#pragma once

// Deterministic Contact rows for the benchmarks: the end-to-end generator and the
// micro-benchmarks share them so that both measure the same shape of data. The values
// are realistic in length and mix, and every 97th row carries something a careless CSV
// implementation gets wrong (quotes, commas, CRLF inside a field, multi-byte UTF-8,
// leading spaces, emoji, empty cells).

#include <cstdint>
#include <string>
#include <vector>

namespace sfdc::bench {

/// The columns of every generated file, in order.
inline const std::vector<std::string>& contactColumns() {
  static const std::vector<std::string> columns = {"FirstName",
                                                   "LastName",
                                                   "Email",
                                                   "Phone",
                                                   "Title",
                                                   "Department",
                                                   "MailingStreet",
                                                   "MailingCity",
                                                   "MailingPostalCode",
                                                   "MailingCountry",
                                                   "Birthdate",
                                                   "HasOptedOutOfEmail",
                                                   "Legacy_Number__c",
                                                   "External_Id__c",
                                                   "Description"};
  return columns;
}

/// splitmix64: tiny, fast and identical on every platform, so a row depends only on
/// its index and the files are reproducible byte for byte.
inline std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// Fills `row` (one string per contactColumns() entry) for data row `index` (0-based).
inline void contactRow(std::uint64_t index, std::vector<std::string>& row) {
  static const char* const kFirst[] = {"Ada",     "Grace",  "Alan",     "Edsger",
                                       "Barbara", "Donald", "Frances",  "Ken",
                                       "Radia",   "Linus",  "Margaret", "Niklaus"};
  static const char* const kLast[] = {"Lovelace", "Hopper",   "Turing",   "Dijkstra",
                                      "Liskov",   "Knuth",    "Allen",    "Thompson",
                                      "Perlman",  "Torvalds", "Hamilton", "Wirth"};
  static const char* const kTitle[] = {"Engineer", "Manager",   "Director", "VP Sales",
                                       "Analyst",  "Architect", "CTO",      "Consultant"};
  static const char* const kDept[] = {"R&D", "Sales", "Marketing", "Finance", "Support", "Legal"};
  static const char* const kCity[] = {"London", "Paris", "Berlin", "Tokyo", "Austin", "Lagos"};
  static const char* const kCountry[] = {"United Kingdom", "France",        "Germany",
                                         "Japan",          "United States", "Nigeria"};
  const std::uint64_t r = mix(index);
  const auto pick = [r](int shift, std::size_t n) { return (r >> shift) % n; };
  const std::string n = std::to_string(index);
  row.resize(contactColumns().size());
  row[0] = kFirst[pick(0, 12)];
  row[1] = std::string(kLast[pick(4, 12)]) + "-" + n;
  row[2] = "contact" + n + "@example.com";
  row[3] = "+44 20 " + std::to_string(1000 + pick(8, 9000)) + " " +
           std::to_string(1000 + pick(20, 9000));
  row[4] = kTitle[pick(32, 8)];
  row[5] = kDept[pick(36, 6)];
  row[6] = std::to_string(1 + pick(40, 400)) + " High Street";
  row[7] = kCity[pick(48, 6)];
  row[8] = "EC" + std::to_string(1 + pick(52, 9)) + "A " + std::to_string(1 + pick(56, 9)) + "BB";
  row[9] = kCountry[pick(48, 6)];
  row[10] = std::to_string(1950 + pick(12, 50)) + "-0" + std::to_string(1 + pick(16, 9)) + "-1" +
            std::to_string(pick(24, 9));
  row[11] = (r & 1) ? "true" : "false";
  row[12] = std::to_string(pick(28, 100000)) + "." + std::to_string(pick(44, 10)) + "5";
  row[13] = "EXT-" + n;
  row[14] = "Met at the conference; follow up about the renewal of account " + n + ".";
  switch (index % 97) {
    case 13:  // quotes and commas in the name
      row[1] = "O'Brien \"The Boss\", Jr. " + n;
      break;
    case 29:  // a street over two lines, CRLF inside a quoted field
      row[6] = "Flat 4\r\n12 Rue de l'Église";
      row[14] = "Line one,\r\nline \"two\"\r\nline three";
      break;
    case 41:  // multi-byte UTF-8 and an emoji
      row[0] = "Zoë";
      row[1] = "東京-" + n + " 🚀";
      row[7] = "São Paulo";
      break;
    case 53:  // leading and trailing spaces, an empty cell (leave unchanged)
      row[4] = "  Head of Ops ";
      row[5].clear();
      break;
    case 67:  // a long description and a lone quote
      row[14] = std::string(600, 'x') + " \" " + std::string(300, 'y');
      break;
    default:
      break;
  }
}

}  // namespace sfdc::bench
