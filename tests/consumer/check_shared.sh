#!/usr/bin/env bash
# Checks a shared install: the library has a versioned SONAME and exports the public API,
# and the installed sfbulk links it and runs.
#   check_shared.sh <prefix> <soname>
set -euo pipefail
prefix=$1 soname=$2
lib="$prefix/lib/libsfdc_bulk.so"
readelf -d "$lib" | grep -F "Library soname: [$soname]"
symbols=$(nm -DC --defined-only "$lib")
exported=$(grep -c 'sfdc::' <<<"$symbols" || true)
echo "sfdc:: symbols exported: $exported"
# Every class and free function of the public headers, well over a hundred symbols.
[ "$exported" -ge 100 ] || { echo "too few sfdc:: symbols exported" >&2; exit 1; }
for symbol in 'typeinfo for sfdc::bulk::ApiError' 'sfdc::bulk::Client::load(' \
  'sfdc::bulk::serializeRecords(' 'vtable for sfdc::bulk::CurlTransport'; do
  grep -qF "$symbol" <<<"$symbols" || { echo "not exported: $symbol" >&2; exit 1; }
done
readelf -d "$prefix/bin/sfbulk" | grep -F "Shared library: [$soname]"
"$prefix/bin/sfbulk" --help >/dev/null
echo "shared install OK"
