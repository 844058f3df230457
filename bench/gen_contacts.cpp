// sfdc-bulk-bench-gen: writes the benchmark's Contact CSV (header + N rows) to a file.
// Deliberately independent of the SDK's CSV writer so that a bug there cannot hide in
// both the input and the checks.
//
// usage: sfdc-bulk-bench-gen OUT.csv ROWS

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "contact_data.hpp"

namespace {

void appendField(std::string& out, const std::string& value) {
  const bool quote = !value.empty() && (value.find_first_of(",\"\r\n") != std::string::npos ||
                                        value.front() == ' ' || value.back() == ' ');
  if (!quote) {
    out += value;
    return;
  }
  out += '"';
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void appendRow(std::string& out, const std::vector<std::string>& row) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out += ',';
    appendField(out, row[i]);
  }
  out += '\n';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s OUT.csv ROWS\n", argv[0]);
    return 2;
  }
  const unsigned long long rows = std::strtoull(argv[2], nullptr, 10);
  std::FILE* out = std::fopen(argv[1], "wb");
  if (out == nullptr) {
    std::perror(argv[1]);
    return 1;
  }
  std::string chunk;
  appendRow(chunk, sfdc::bench::contactColumns());
  std::vector<std::string> row;
  for (unsigned long long i = 0; i < rows; ++i) {
    sfdc::bench::contactRow(i, row);
    appendRow(chunk, row);
    if (chunk.size() > (1u << 20)) {
      std::fwrite(chunk.data(), 1, chunk.size(), out);
      chunk.clear();
    }
  }
  std::fwrite(chunk.data(), 1, chunk.size(), out);
  return std::fclose(out) == 0 ? 0 : 1;
}
