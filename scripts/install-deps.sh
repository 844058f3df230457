#!/usr/bin/env bash
# Installs the Debian packages sfdc-bulk builds and tests with, skipping those present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libpugixml-dev zlib1g-dev libisal-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libcli11-dev libbenchmark-dev doxygen
  clang libclang-rt-14-dev
  nodejs npm
)
if [ "${SFDC_BULK_SKIP_NODE:-0}" = 1 ]; then
  packages=("${packages[@]/nodejs/}")
  packages=("${packages[@]/npm/}")
fi

missing=()
for p in "${packages[@]}"; do
  [ -n "$p" ] || continue
  # node and npm may come from outside Debian (e.g. a preinstalled Node); accept them.
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
