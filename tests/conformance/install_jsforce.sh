#!/bin/sh
# Installs jsforce VERSION into DIR/node_modules unless that exact version is there.
# Usage: install_jsforce.sh NPM DIR VERSION
set -eu
npm=$1 dir=$2 version=$3
if node -e "process.exit(require('$dir/node_modules/jsforce/package.json').version === '$version' ? 0 : 1)" 2>/dev/null; then
  exit 0
fi
exec "$npm" install --no-audit --no-fund --no-package-lock --loglevel=error --prefix "$dir" "jsforce@$version"
