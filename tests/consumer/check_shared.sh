#!/usr/bin/env bash
# Checks a shared install: the library has a versioned SONAME and exports the public API,
# and the installed sfbulk links it and runs.
#   check_shared.sh <prefix> <soname>
set -euo pipefail
prefix=$1 soname=$2
lib="$prefix/lib/libsfdc_bulk.so"
readelf -d "$lib" | grep -F "Library soname: [$soname]"
exported=$(nm -DC --defined-only "$lib" | grep -c 'sfdc::' || true)
echo "sfdc:: symbols exported: $exported"
# Every class and free function of the public headers, well over a hundred symbols.
[ "$exported" -ge 100 ] || { echo "too few sfdc:: symbols exported" >&2; exit 1; }
for symbol in 'typeinfo for sfdc::bulk::ApiError' 'sfdc::bulk::Client::load(' \
  'sfdc::bulk::serializeRecords(' 'vtable for sfdc::bulk::CurlTransport'; do
  nm -DC --defined-only "$lib" | grep -qF "$symbol" || { echo "not exported: $symbol" >&2; exit 1; }
done
readelf -d "$prefix/bin/sfbulk" | grep -F "Shared library: [$soname]"
"$prefix/bin/sfbulk" --help >/dev/null
echo "shared install OK"
