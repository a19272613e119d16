#!/usr/bin/env bash
# Installs every Debian package Pathway needs to build, run and test. Idempotent: when all
# are present it installs nothing and takes a second. Run as root (or with sudo available).
set -euo pipefail

packages=(
    build-essential cmake pkg-config git
    clang libclang-rt-14-dev clang-format clang-tidy
    libsqlite3-dev sqlite3
    libjansson-dev
    libsodium-dev
    libcmocka-dev
    libpq-dev postgresql postgresql-client
    libmicrohttpd-dev curl wrk
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages present"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "setup: missing packages (${missing[*]}) and not root: run as root" >&2
        exit 1
    fi
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
