// Parsing: CSV rows (the loader's input path and CSV query files), query result files in
// every format, and DML result bodies, next to memcpy of the same bytes.

#include <benchmark/benchmark.h>

#include <cstring>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/query_result.hpp>
#include <string>

#include "bodies.hpp"
#include "codec/wire_codec.hpp"

namespace {

using namespace sfdc::bench;
using sfdc::bulk::ContentType;

void report(benchmark::State& state, std::size_t bytes, std::size_t records) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records));
}

void copyLike(benchmark::State& state, const std::string& source) {
  std::string target(source.size(), '\0');
  for (auto _ : state) {
    std::memcpy(&target[0], source.data(), source.size());
    benchmark::DoNotOptimize(target.data());
    benchmark::ClobberMemory();
  }
  report(state, source.size(), kBatchRecords);
}

// A byte source over a string, handing out 64 KiB at a time like a network download.
sfdc::bulk::ByteReader chunked(const std::string& body) {
  std::size_t offset = 0;
  return [&body, offset](char* buffer, std::size_t size) mutable -> std::size_t {
    const std::size_t n = std::min({size, body.size() - offset, std::size_t{1} << 16});
    std::memcpy(buffer, body.data() + offset, n);
    offset += n;
    return n;
  };
}

void BM_CsvReaderFields(benchmark::State& state) {
  const std::string& body = csvQueryFile();
  std::vector<std::string> row;
  std::size_t rows = 0;
  for (auto _ : state) {
    sfdc::bulk::CsvReader reader(chunked(body));
    rows = 0;
    while (reader.next(row)) ++rows;
    benchmark::DoNotOptimize(row.data());
  }
  report(state, body.size(), rows);
}
BENCHMARK(BM_CsvReaderFields);

// The CSV load path: each row's raw bytes appended to a batch body unchanged.
void BM_CsvReaderRawRows(benchmark::State& state) {
  const std::string& body = csvQueryFile();
  std::vector<std::string> row;
  std::string batch;
  for (auto _ : state) {
    sfdc::bulk::CsvReader reader(chunked(body));
    batch.clear();
    while (reader.next(row)) batch.append(reader.rawRow());
    benchmark::DoNotOptimize(batch.data());
  }
  report(state, body.size(), kBatchRecords + 1);
}
BENCHMARK(BM_CsvReaderRawRows);

void BM_QueryResultCsvRows(benchmark::State& state) {
  const std::string& body = csvQueryFile();
  std::vector<std::string> row;
  for (auto _ : state) {
    sfdc::bulk::QueryResultReader reader(ContentType::CSV, chunked(body));
    while (reader.nextRow(row)) {
    }
    benchmark::DoNotOptimize(row.data());
  }
  report(state, body.size(), kBatchRecords);
}
BENCHMARK(BM_QueryResultCsvRows);

void readRecords(benchmark::State& state, ContentType type, const std::string& body) {
  nlohmann::json record;
  std::size_t records = 0;
  for (auto _ : state) {
    sfdc::bulk::QueryResultReader reader(type, chunked(body));
    records = 0;
    while (reader.nextRecord(record)) ++records;
    benchmark::DoNotOptimize(record);
  }
  report(state, body.size(), records);
}

void BM_QueryResultCsvRecords(benchmark::State& state) {
  readRecords(state, ContentType::CSV, csvQueryFile());
}
BENCHMARK(BM_QueryResultCsvRecords);

void BM_QueryResultJsonRecords(benchmark::State& state) {
  readRecords(state, ContentType::JSON, jsonQueryFile());
}
BENCHMARK(BM_QueryResultJsonRecords);

void BM_QueryResultXmlRecords(benchmark::State& state) {
  readRecords(state, ContentType::XML, xmlQueryFile());
}
BENCHMARK(BM_QueryResultXmlRecords);

void parseDml(benchmark::State& state, const std::string& body) {
  std::size_t records = 0;
  for (auto _ : state) {
    const auto results = sfdc::bulk::detail::parseDmlResults(body);
    records = results.size();
    benchmark::DoNotOptimize(results.data());
  }
  report(state, body.size(), records);
}

void BM_DmlResultsCsv(benchmark::State& state) { parseDml(state, csvDmlResults()); }
BENCHMARK(BM_DmlResultsCsv);
void BM_DmlResultsXml(benchmark::State& state) { parseDml(state, xmlDmlResults()); }
BENCHMARK(BM_DmlResultsXml);
void BM_DmlResultsJson(benchmark::State& state) { parseDml(state, jsonDmlResults()); }
BENCHMARK(BM_DmlResultsJson);

void BM_Memcpy_CsvQueryFile(benchmark::State& state) { copyLike(state, csvQueryFile()); }
BENCHMARK(BM_Memcpy_CsvQueryFile);
void BM_Memcpy_JsonQueryFile(benchmark::State& state) { copyLike(state, jsonQueryFile()); }
BENCHMARK(BM_Memcpy_JsonQueryFile);
void BM_Memcpy_XmlQueryFile(benchmark::State& state) { copyLike(state, xmlQueryFile()); }
BENCHMARK(BM_Memcpy_XmlQueryFile);
void BM_Memcpy_CsvDmlResults(benchmark::State& state) { copyLike(state, csvDmlResults()); }
BENCHMARK(BM_Memcpy_CsvDmlResults);

// The machine's memory bandwidth: a copy far larger than the caches (the bodies above fit
// in L2/L3, so their memcpy rows show the cached ceiling).
void BM_Memcpy_256MiB(benchmark::State& state) {
  const std::string source(std::size_t{256} << 20, 'x');
  copyLike(state, source);
  state.SetItemsProcessed(0);
}
BENCHMARK(BM_Memcpy_256MiB)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
