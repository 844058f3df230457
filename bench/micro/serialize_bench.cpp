// Batch serialization: records and rows to CSV, JSON and XML bodies, next to memcpy of
// as many bytes as the body has (the machine's ceiling for producing those bytes).

#include <benchmark/benchmark.h>

#include <cstring>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <string>

#include "bodies.hpp"
#include "load/csv_row_json.hpp"

namespace {

using namespace sfdc::bench;
using sfdc::bulk::PayloadSerializer;

void report(benchmark::State& state, std::size_t bytes) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatchRecords));
}

void copyLike(benchmark::State& state, std::size_t bytes) {
  const std::string source(bytes, 'x');
  std::string target(bytes, '\0');
  for (auto _ : state) {
    std::memcpy(&target[0], source.data(), bytes);
    benchmark::DoNotOptimize(target.data());
    benchmark::ClobberMemory();
  }
  report(state, bytes);
}

// Rows of strings to a CSV body: what the loader does for CSV sources it must rewrite.
void BM_CsvWriteRows(benchmark::State& state) {
  const auto& rows = batchRows();
  std::string out;
  for (auto _ : state) {
    out.clear();
    sfdc::bulk::appendCsvRow(out, contactColumns());
    for (const auto& row : rows) sfdc::bulk::appendCsvRow(out, row);
    benchmark::DoNotOptimize(out.data());
  }
  report(state, out.size());
}
BENCHMARK(BM_CsvWriteRows);

// CSV rows to a JSON body without records: what the loader does for a CSV source feeding
// a JSON job (the same bytes as JsonSerializer writes for the rows' records).
void appendRowsAsJsonBody(const sfdc::bulk::detail::load::CsvRowJson& writer, std::string& out) {
  out.push_back('[');
  std::size_t index = 0;
  for (const auto& row : batchRows()) {
    if (index > 0) out.push_back(',');
    writer.append(row, index++, out);
  }
  out.push_back(']');
}

std::size_t rowsAsJsonBodySize() {
  std::string out;
  appendRowsAsJsonBody(sfdc::bulk::detail::load::CsvRowJson(contactColumns()), out);
  return out.size();
}

void BM_CsvRowsToJsonBody(benchmark::State& state) {
  const sfdc::bulk::detail::load::CsvRowJson writer(contactColumns());
  std::string out;
  for (auto _ : state) {
    out.clear();
    appendRowsAsJsonBody(writer, out);
    benchmark::DoNotOptimize(out.data());
  }
  report(state, out.size());
}
BENCHMARK(BM_CsvRowsToJsonBody);

void BM_Memcpy_CsvRowsJsonBody(benchmark::State& state) { copyLike(state, rowsAsJsonBodySize()); }
BENCHMARK(BM_Memcpy_CsvRowsJsonBody);

std::size_t serializedSize(PayloadSerializer& serializer) {
  std::string out;
  serializer.beginBatch(out);
  std::size_t index = 0;
  for (const auto& record : batchRecords()) serializer.appendRecord(record, index++, out);
  serializer.endBatch(out);
  return out.size();
}

void serializeRecords(benchmark::State& state, PayloadSerializer& serializer) {
  const auto& records = batchRecords();
  std::string out;
  for (auto _ : state) {
    out.clear();
    serializer.beginBatch(out);
    std::size_t index = 0;
    for (const auto& record : records) serializer.appendRecord(record, index++, out);
    serializer.endBatch(out);
    benchmark::DoNotOptimize(out.data());
  }
  report(state, out.size());
}

void BM_CsvSerializer(benchmark::State& state) {
  sfdc::bulk::CsvSerializer serializer(contactColumns());
  serializeRecords(state, serializer);
}
BENCHMARK(BM_CsvSerializer);

void BM_JsonSerializer(benchmark::State& state) {
  sfdc::bulk::JsonSerializer serializer;
  serializeRecords(state, serializer);
}
BENCHMARK(BM_JsonSerializer);

void BM_XmlSerializer(benchmark::State& state) {
  sfdc::bulk::XmlSerializer serializer;
  serializeRecords(state, serializer);
}
BENCHMARK(BM_XmlSerializer);

// memcpy of exactly as many bytes as each body above.
void BM_Memcpy_CsvBody(benchmark::State& state) {
  sfdc::bulk::CsvSerializer serializer(contactColumns());
  copyLike(state, serializedSize(serializer));
}
BENCHMARK(BM_Memcpy_CsvBody);

void BM_Memcpy_JsonBody(benchmark::State& state) {
  sfdc::bulk::JsonSerializer serializer;
  copyLike(state, serializedSize(serializer));
}
BENCHMARK(BM_Memcpy_JsonBody);

void BM_Memcpy_XmlBody(benchmark::State& state) {
  sfdc::bulk::XmlSerializer serializer;
  copyLike(state, serializedSize(serializer));
}
BENCHMARK(BM_Memcpy_XmlBody);

}  // namespace
