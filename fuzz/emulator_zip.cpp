// Binary attachment zips, as the emulator reads them: read within the limits, or rejected
// with ZipError; and a zip AttachmentZip builds from the input reads back to the same
// files, in order.

#include <sfdc/bulk/attachment_zip.hpp>
#include <sfdc/bulk/error.hpp>
#include <string>

#include "fuzz_support.hpp"
#include "zip_archive.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fuzz = sfdc::bulk::fuzz;
  using sfdc::emulator::server::readZip;
  using sfdc::emulator::server::ZipError;
  const std::string_view bytes = fuzz::asText(data, size);
  const sfdc::emulator::server::ZipLimits limits{8, 1 << 16};
  try {
    std::size_t files = 0;
    std::size_t total = 0;
    for (const auto& entry : readZip(bytes, limits)) {
      if (entry.directory) continue;
      ++files;
      total += entry.data.size();
    }
    if (files > limits.maxFiles || total > limits.maxTotalBytes) fuzz::fail("limits not kept");
  } catch (const ZipError&) {
  }

  // Round trip: the input cut at '\n' into request.txt and up to 8 files.
  sfdc::bulk::AttachmentZip zip;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (parts.size() < 9) {
    const std::size_t end = bytes.find('\n', start);
    parts.emplace_back(bytes.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  zip.setRequest(parts[0]);
  for (std::size_t i = 1; i < parts.size(); ++i) zip.addFile("d/f" + std::to_string(i), parts[i]);
  const auto entries = readZip(zip.build(), {9, 1 << 20});  // request.txt counts here
  if (entries.size() != parts.size()) fuzz::fail("entry count differs");
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string name = i == 0 ? "request.txt" : "d/f" + std::to_string(i);
    if (entries[i].name != name || entries[i].data != parts[i]) fuzz::fail("entry differs");
  }
  return 0;
}
