// Parallel page downloads over Bulk API 2.0 (resultPages): the same rows in the same
// order as page after page, several pages in flight at once, private page files that
// are removed, the fallback where resultPages is refused, and cancellation.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "query/bulk2_parallel_pages.hpp"
#include "support/fake_bulk2_query.hpp"

namespace sfdc::bulk::testing {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

Rows query(const std::shared_ptr<FakeBulk2Query>& server, int parallel) {
  Client client{std::make_shared<Bulk2OnlyConnection>(server)};
  QueryOptions options = fastV2Options();
  options.parallelDownloads = parallel;
  QueryStream stream = client.query("SELECT Id, Name FROM Account", options);
  EXPECT_EQ(stream.header(), server->header);
  return readAllRows(stream);
}

struct TempDir {
  fs::path path =
      fs::temp_directory_path() / ("query2-parallel-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  std::size_t files() const {
    std::size_t count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(path))
      count += entry.is_regular_file();
    return count;
  }
};

TEST(Query2Parallel, SameRowsInTheSameOrderAsSequentialForSeveralWidthsAndPageSizes) {
  for (std::size_t pageSize : {1u, 2u, 7u, 50u}) {
    for (std::size_t rowCount : {0u, 1u, 23u}) {
      auto sequential = std::make_shared<FakeBulk2Query>();
      sequential->makeRows(rowCount);
      sequential->rows.push_back({"001quote", "a \"quoted\", multi\nline value"});
      sequential->defaultPageSize = pageSize;
      const Rows expected = query(sequential, 1);
      ASSERT_EQ(expected, sequential->rows);
      for (int parallel : {2, 3, 8}) {
        SCOPED_TRACE("page size " + std::to_string(pageSize) + ", rows " +
                     std::to_string(rowCount) + ", " + std::to_string(parallel) + " at once");
        auto server = std::make_shared<FakeBulk2Query>();
        server->rows = sequential->rows;
        server->defaultPageSize = pageSize;
        server->linksPerSet = 2;  // several resultPages sets
        EXPECT_EQ(query(server, parallel), expected);
        const auto seen = server->seen();
        EXPECT_GE(seen.linkRequests, 1);
        EXPECT_EQ(static_cast<std::size_t>(seen.urlRequests), server->layout(std::nullopt).size());
        EXPECT_EQ(server->activeDownloads(), 0);
      }
    }
  }
}

TEST(Query2Parallel, EmptyPagesAndLaterHeadersInParallel) {
  auto server = std::make_shared<FakeBulk2Query>();
  server->makeRows(6);
  server->pageSizes = {0, 2, 0, 0, 4, 0};
  EXPECT_EQ(query(server, 3), server->rows);
}

TEST(Query2Parallel, SeveralPagesAreDownloadedAtOnce) {
  auto server = std::make_shared<FakeBulk2Query>();
  server->makeRows(40);
  server->defaultPageSize = 5;
  server->readDelay = std::chrono::microseconds(300);
  EXPECT_EQ(query(server, 4), server->rows);
  EXPECT_GE(server->seen().maxConcurrentDownloads, 2);
  EXPECT_LE(server->seen().maxConcurrentDownloads, 4);
}

TEST(Query2Parallel, APageBrokenMidBodyIsResumedInItsWorker) {
  auto server = std::make_shared<FakeBulk2Query>();
  server->makeRows(12);
  server->breakPage[2] = {1, 2};
  server->expirePage[3] = 1;
  EXPECT_EQ(query(server, 3), server->rows);
}

TEST(Query2Parallel, ABodyShorterThanAnnouncedIsRequestedAgain) {
  auto server = std::make_shared<FakeBulk2Query>();
  server->makeRows(12);
  server->truncatePage[2] = {2, 1};
  EXPECT_EQ(query(server, 3), server->rows);
  EXPECT_EQ(server->seen().urlRequests, 5);  // four pages, the third one twice
}

TEST(Query2Parallel, LaterPagesWithoutTheirHeaderLoseNoRow) {
  auto server = std::make_shared<FakeBulk2Query>();
  server->makeRows(11);
  server->headerOnEveryPage = false;
  EXPECT_EQ(query(server, 3), server->rows);
}

TEST(Query2Parallel, APageThatKeepsFailingFailsTheStreamAtThatPage) {
  auto server = std::make_shared<FakeBulk2Query>();
  server->makeRows(9);
  server->breakPage[1] = {0, 1000};
  Client client{std::make_shared<Bulk2OnlyConnection>(server)};
  QueryOptions options = fastV2Options();
  options.parallelDownloads = 2;
  QueryStream stream = client.query("SELECT Id, Name FROM Account", options);
  Rows rows;
  std::vector<std::string> row;
  EXPECT_THROW(
      {
        while (stream.nextRow(row)) rows.push_back(row);
      },
      TransportError);
  EXPECT_EQ(rows, Rows(server->rows.begin(), server->rows.begin() + 3));
}

TEST(Query2Parallel, RefusedResultPagesFallBackToLocatorsAndSayWhy) {
  for (int status : {404, 400}) {
    auto server = std::make_shared<FakeBulk2Query>();
    server->makeRows(8);
    server->resultPagesStatus = status;
    EXPECT_EQ(query(server, 4), server->rows);
    const auto seen = server->seen();
    EXPECT_EQ(seen.linkRequests, 1);
    EXPECT_EQ(seen.urlRequests, 0);
    EXPECT_EQ(seen.pageRequests.size(), 3u);
    bool logged = false;
    for (const auto& line : seen.logs)
      logged = logged || line.find("resultPages") != std::string::npos;
    EXPECT_TRUE(logged);
  }
}

TEST(Query2Parallel, OtherResultPagesErrorsAreNotHidden) {
  auto server = std::make_shared<FakeBulk2Query>();
  server->makeRows(3);
  server->resultPagesStatus = 403;
  Client client{std::make_shared<Bulk2OnlyConnection>(server)};
  QueryOptions options = fastV2Options();
  options.parallelDownloads = 2;
  EXPECT_THROW(client.query("SELECT Id FROM Account", options), ApiError);
}

TEST(Query2Parallel, PageFilesArePrivateAndRemoved) {
  TempDir spool;
  auto server = std::make_shared<FakeBulk2Query>();
  server->makeRows(20);
  server->defaultPageSize = 4;
  QueryJob job;
  job.id = FakeBulk2Query::kJobId;
  {
    detail::query::ParallelPages pages(server, job, 3, nullptr, spool.path.string());
    pages.start();
    ASSERT_TRUE(pages.nextPage());
    // Wait until the pages ahead are on disk, then look at them.
    for (int i = 0; i < 500 && pages.downloaded() < 4; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ASSERT_GE(pages.downloaded(), 4u);
    EXPECT_LE(pages.downloaded(), 4u);  // the one read plus three ahead, no more
    std::size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(spool.path)) {
      if (!entry.is_regular_file()) continue;
      ++files;
      struct stat info {};
      ASSERT_EQ(::stat(entry.path().c_str(), &info), 0);
      EXPECT_EQ(info.st_mode & 0777, 0600u) << entry.path();
    }
    EXPECT_EQ(files, 4u);
    Rows rows;
    std::vector<std::string> row;
    do {
      while (pages.pageRow(row)) rows.push_back(row);
    } while (pages.nextPage());
    EXPECT_EQ(rows, server->rows);
    EXPECT_EQ(spool.files(), 0u);
  }
  EXPECT_TRUE(fs::is_empty(spool.path));
}

TEST(Query2Parallel, CancellingStopsTheWorkersPromptly) {
  auto server = std::make_shared<FakeBulk2Query>();
  server->makeRows(400);
  server->defaultPageSize = 20;
  server->chunkBytes = 1;
  server->readDelay = std::chrono::microseconds(200);
  Client client{std::make_shared<Bulk2OnlyConnection>(server)};
  QueryOptions options = fastV2Options();
  options.parallelDownloads = 4;
  options.cancel = std::make_shared<CancellationToken>();
  QueryStream stream = client.query("SELECT Id, Name FROM Account", options);
  std::vector<std::string> row;
  ASSERT_TRUE(stream.nextRow(row));
  options.cancel->cancel();
  const auto cancelledAt = std::chrono::steady_clock::now();
  EXPECT_THROW(
      {
        while (stream.nextRow(row)) {
        }
      },
      Error);
  // The workers notice between two reads of a body and let go of their downloads.
  while (server->activeDownloads() > 0 &&
         std::chrono::steady_clock::now() - cancelledAt < std::chrono::seconds(2)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(server->activeDownloads(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - cancelledAt, std::chrono::milliseconds(1900));
  EXPECT_LT(static_cast<std::size_t>(server->seen().urlRequests), 20u);
}

}  // namespace
}  // namespace sfdc::bulk::testing
