#!/usr/bin/env bash
# Builds main.cpp with a plain compiler command line from `pkg-config --cflags --libs
# sfdc_bulk` against an install prefix, and runs it.
#   pkg_config.sh <prefix> <c++ compiler> <static|shared> <main.cpp> <work dir>
set -euo pipefail
prefix=$1 cxx=$2 linkage=$3 main=$4 work=$5
mkdir -p "$work"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
pkg-config --validate sfdc_bulk
libs=$(pkg-config --libs sfdc_bulk)
echo "pkg-config --libs sfdc_bulk: $libs"
if [ "$linkage" = static ]; then
  # A static library's dependencies must be on the link line.
  for lib in -lcurl -lpugixml -lz; do
    case " $libs " in *" $lib "*) ;; *) echo "missing $lib for a static install" >&2; exit 1 ;; esac
  done
fi
# shellcheck disable=SC2046 # the flags are meant to be split
"$cxx" -std=c++17 "$main" $(pkg-config --cflags --libs sfdc_bulk) -o "$work/consumer"
LD_LIBRARY_PATH="$prefix/lib" "$work/consumer"
