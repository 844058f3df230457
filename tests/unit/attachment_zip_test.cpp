// AttachmentZip: the rules for paths and the limits of one binary attachment batch. The
// zip itself is read back by the emulator in the integration tests.

#include <gtest/gtest.h>

#include <functional>
#include <sfdc/bulk/attachment_zip.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/limits.hpp>

namespace sfdc::bulk {
namespace {

std::string messageOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(AttachmentZip, PathsAreRelativeFilesAddedOnce) {
  AttachmentZip zip;
  const auto add = [&](const std::string& path) {
    return messageOf([&] { zip.addFile(path, "x"); });
  };
  EXPECT_EQ(add("ok/file.txt"), "(no error)");
  EXPECT_EQ(add("ok/file.txt"), "AttachmentZip: file path 'ok/file.txt' added twice");
  EXPECT_EQ(add(""), "AttachmentZip: file path '' is empty");
  EXPECT_EQ(add("request.txt"),
            "AttachmentZip: file path 'request.txt' is reserved for the records (setRequest)");
  EXPECT_EQ(add("/etc/passwd"),
            "AttachmentZip: file path '/etc/passwd' must be relative to the zip's root");
  EXPECT_EQ(add("dir\\file"),
            "AttachmentZip: file path 'dir\\file' must use '/' to separate folders");
  EXPECT_EQ(add("dir/"), "AttachmentZip: file path 'dir/' names a folder, not a file");
  for (const char* bad : {"../up", "a/../b", "a//b", "./a"}) {
    EXPECT_EQ(add(bad),
              std::string("AttachmentZip: file path '") + bad + "' has an empty, '.' or '..' part");
  }
  EXPECT_EQ(zip.fileCount(), 1u);
  EXPECT_EQ(zip.unzippedBytes(), 1u);
  EXPECT_EQ(messageOf([&] { zip.addFileFrom("b", "/nonexistent/file"); }),
            "AttachmentZip: cannot open '/nonexistent/file' for b");
}

TEST(AttachmentZip, BuildChecksTheRequestAndTheLimits) {
  AttachmentZip none;
  EXPECT_EQ(messageOf([&] { none.build(); }), "AttachmentZip: no request (setRequest) was given");

  AttachmentZip many;
  many.setRequest("Name\n");
  for (std::size_t i = 0; i + 1 < kMaxZipFiles; ++i) many.addFile("f" + std::to_string(i), "x");
  EXPECT_NO_THROW(many.build());
  many.addFile("one-more", "x");
  EXPECT_EQ(messageOf([&] { many.build(); }),
            "AttachmentZip: 1000 files and request.txt, over the limit of 1000 files per batch");

  AttachmentZip big;
  big.setRequest("Name\n");
  big.addFile("a", std::string(kMaxZipUnzippedBytes, 'a'));
  EXPECT_NO_THROW(big.build());  // compresses far below the batch limit
  big.addFile("b", "b");
  EXPECT_EQ(messageOf([&] { big.build(); }),
            "AttachmentZip: the files hold 20971521 bytes unzipped, over the limit of 20971520 "
            "per batch");

  // Incompressible bytes past the batch limit once zipped.
  std::string noise(kMaxBatchBytes + 1, '\0');
  unsigned seed = 3;
  for (char& c : noise) {
    seed = seed * 1103515245u + 12345u;
    c = static_cast<char>(seed >> 24);
  }
  AttachmentZip dense;
  dense.setRequest("Name\n");
  dense.addFile("noise.bin", std::move(noise));
  EXPECT_EQ(messageOf([&] { dense.build(); }),
            "AttachmentZip: the zip is over 10000000 bytes (at noise.bin); split the files "
            "across batches");
}

TEST(AttachmentZip, TheZipListsRequestFirstThenTheFiles) {
  AttachmentZip zip;
  zip.setRequest("Name,Body\na,#a.txt\n");
  zip.addFile("a.txt", "hello");
  const std::string bytes = zip.build();
  ASSERT_GE(bytes.size(), 22u);
  EXPECT_EQ(bytes.substr(0, 4), std::string("PK\x03\x04", 4));
  const std::string end = bytes.substr(bytes.size() - 22);
  EXPECT_EQ(end.substr(0, 4), std::string("PK\x05\x06", 4));
  EXPECT_EQ(static_cast<unsigned char>(end[10]), 2u);  // entries
  EXPECT_LT(bytes.find("request.txt"), bytes.find("a.txt"));
  EXPECT_EQ(zip.build(), bytes);  // reproducible: no timestamps
}

}  // namespace
}  // namespace sfdc::bulk
