#pragma once

#include <cstddef>
#include <sfdc/bulk/export.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk {

/// Most files in one binary attachment zip, request.txt included (folders do not count).
inline constexpr std::size_t kMaxZipFiles = 1'000;
/// Most bytes of all files of one binary attachment zip once unzipped.
inline constexpr std::size_t kMaxZipUnzippedBytes = 20 * 1024 * 1024;

/**
 * The body of one batch of a binary attachment job (ContentType::ZIP_CSV, ZIP_XML or
 * ZIP_JSON): a zip whose root holds `request.txt`, the records in the job's inner format,
 * and the files the records' binary fields name as `#path`.
 *
 * ~~~{.cpp}
 * sfdc::bulk::AttachmentZip zip;
 * zip.setRequest("Name,ParentId,Body\nlogo.gif,001...,#logo.gif\n");
 * zip.addFileFrom("logo.gif", "/data/logo.gif");
 * auto job = client.createJob(sfdc::bulk::Operation::Insert, "Attachment",
 *                             sfdc::bulk::ContentType::ZIP_CSV);
 * client.addBatch(job, zip.build());
 * ~~~
 *
 * A zip upload is never gzip-compressed (the service takes the zip as it is), and the
 * batch limits still apply to the zipped bytes: 10,000,000 per batch.
 */
class SFDC_BULK_EXPORT AttachmentZip {
 public:
  /// The records (CSV, XML or JSON text, as the job's content type says).
  void setRequest(std::string records);
  /// Adds `bytes` as the file `path`: relative to the zip's root, with a slash between
  /// folders, no empty, dot or dot-dot parts, not `request.txt`, and not added before.
  /// Throws InvalidArgument naming the path.
  void addFile(const std::string& path, std::string bytes);
  /// Adds the contents of the file `diskPath` as `path` (rules as addFile). Throws
  /// InvalidArgument when the file cannot be read.
  void addFileFrom(const std::string& path, const std::string& diskPath);

  /// Files added so far (request.txt not counted).
  std::size_t fileCount() const noexcept { return files_.size(); }
  /// Bytes of the files added so far, unzipped.
  std::size_t unzippedBytes() const noexcept { return unzippedBytes_; }

  /// The zip, files deflated. Throws InvalidArgument when no request was set or a limit
  /// (kMaxZipFiles, kMaxZipUnzippedBytes, kMaxBatchBytes zipped) is exceeded.
  std::string build() const;

 private:
  struct File {
    std::string path;
    std::string bytes;
  };
  std::string request_;
  bool haveRequest_ = false;
  std::vector<File> files_;
  std::size_t unzippedBytes_ = 0;
};

}  // namespace sfdc::bulk
