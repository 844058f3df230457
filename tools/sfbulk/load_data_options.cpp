#include "load_data_options.hpp"

#include <CLI/CLI.hpp>
#include <memory>
#include <sfdc/bulk/error.hpp>

#include "cli_common.hpp"
#include "input_mapping.hpp"
#include "load_inputs.hpp"

namespace sfbulk {

namespace {

using namespace sfdc::bulk;

std::string upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

}  // namespace

char DataOptions::delimiter() const {
  return delimiterChar(parseColumnDelimiter(upper(columnDelimiter)));
}

bool DataOptions::rewritesRows() const {
  return !mapping.empty() || upper(encoding) != "UTF-8" || !timezone.empty() || dayFirst ||
         insertNulls || delimiter() != ',';
}

std::optional<LineEnding> DataOptions::lineEndingOption() const {
  if (lineEnding.empty()) return std::nullopt;
  return parseLineEnding(upper(lineEnding));
}

void addDataOptions(CLI::App& cmd, DataOptions& options) {
  cmd.add_option("--mapping", options.mapping,
                 "Data Loader field mapping file (.sdl): CsvColumn=SalesforceField lines "
                 "(several fields: Column=Field1, Field2; a constant: \"value\"=Field); "
                 "columns it does not name are not sent")
      ->type_name("FILE");
  cmd.add_option("--encoding", options.encoding,
                 "Character encoding of the CSV input, converted to UTF-8: UTF-8 or a "
                 "single-byte encoding such as ISO-8859-1 or Windows-1252")
      ->type_name("NAME")
      ->capture_default_str();
  cmd.add_option("--timezone", options.timezone,
                 "Time zone of date/time values given without one (an IANA name such as "
                 "Europe/Paris, or an offset such as +02:00); they are sent in UTC")
      ->type_name("ZONE");
  cmd.add_flag("--day-first", options.dayFirst,
               "Read slashed dates day first, d/M/yyyy (Data Loader's European date "
               "format); default month first, M/d/yyyy");
  cmd.add_flag("--insert-nulls", options.insertNulls,
               "An empty cell sets the field to null instead of leaving it unchanged");
  cmd.add_option("--column-delimiter", options.columnDelimiter,
                 "Field delimiter of the CSV input (the rows are sent with commas)")
      ->transform(CLI::IsMember({"comma", "tab", "semicolon", "pipe", "caret", "backquote"},
                                CLI::ignore_case))
      ->capture_default_str();
  cmd.add_option("--line-ending", options.lineEnding,
                 "Line end of the CSV rows sent (--api 2: the jobs' lineEnding); default: "
                 "each row's own with --api 1, LF with --api 2. The input may use either")
      ->transform(CLI::IsMember({"LF", "CRLF"}, CLI::ignore_case));
}

void checkDataOptions(const DataOptions& options, const std::string& inputKind, bool journaled,
                      bool grouped) {
  const bool given = options.rewritesRows() || !options.lineEnding.empty();
  if (!given) return;
  if (inputKind != "csv") {
    throw UsageError(
        "--mapping, --encoding, --timezone, --day-first, --insert-nulls, --column-delimiter "
        "and --line-ending apply to CSV input; a JSON input gives field names and values "
        "itself");
  }
  if (journaled) {
    throw UsageError(
        "--journal and --resume cannot be combined yet with --mapping, --encoding, "
        "--timezone, --day-first, --insert-nulls, --column-delimiter or --line-ending (a "
        "journaled load resumes from the input's own bytes)");
  }
  if (grouped && options.rewritesRows()) {
    throw UsageError(
        "--group-by cannot be combined yet with --mapping, --encoding, --timezone, "
        "--day-first, --insert-nulls or --column-delimiter");
  }
}

RecordSource openCsvInput(const std::string& path, const DataOptions& options) {
  std::optional<SdlMapping> mapping;
  if (!options.mapping.empty()) {
    checkReadable(options.mapping);
    mapping = readSdlMapping(options.mapping);
  }
  InputConversion conversion;
  conversion.mapping = std::move(mapping);
  if (upper(options.encoding) != "UTF-8") {
    conversion.decoder = std::make_shared<const TextDecoder>(options.encoding);
  }
  if (!options.timezone.empty() || options.dayFirst) {
    const TimeZone zone = options.timezone.empty() ? TimeZone() : TimeZone::named(options.timezone);
    conversion.dates.emplace(zone, options.dayFirst);
  }
  conversion.insertNulls = options.insertNulls;
  RecordSource source = openInput(path, "csv", options.delimiter());
  if (conversion.changesRows()) {
    source = RecordSource(std::make_shared<ConvertingCsvReader>(
        std::move(source), std::move(conversion), path == "-" ? std::string("stdin") : path));
  }
  (void)source.reader().csvHeader();
  return source;
}

}  // namespace sfbulk
