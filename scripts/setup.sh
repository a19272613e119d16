#!/usr/bin/env bash
# Installs every Debian package Pathway needs to build, run and test, then the web pages'
# node packages (package-lock.json, with npm ci: the GOV.UK Design System, Dart Sass,
# playwright-core and axe-core for the browser tests, which drive Debian's chromium).
# Idempotent: when all are present it installs nothing and takes a second. Run as root (or with
# sudo available).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(
    build-essential cmake pkg-config git
    clang libclang-rt-14-dev clang-format clang-tidy
    libsqlite3-dev sqlite3
    libjansson-dev
    libsodium-dev
    libcmocka-dev
    libpq-dev postgresql postgresql-client
    libmicrohttpd-dev curl wrk
    graphviz libgraphviz-dev
    chromium fonts-liberation
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

# Node: machines with nodesource's nodejs (which brings its own npm) keep it; Debian's npm
# package conflicts with it, so Debian's nodejs and npm come only when a command is missing.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    for p in nodejs npm; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages present"
else
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
fi

# The node packages, exactly as package-lock.json pins them: again only when the lock file has
# changed since the last install (its hash is kept in node_modules). No install scripts run
# (none of ours needs one), and no optional packages (Dart Sass's file watcher).
# Dart Sass and playwright-core need Node.js 20.19 or later; Debian 12's own nodejs is 18.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    echo "setup: node $(node --version) is older than 20.19, which sass and playwright-core need:" \
        "install Node.js 20.19 or later (e.g. nodesource's nodejs 20), then run this again" >&2
    exit 1
fi
stamp=$root/node_modules/.pathway-lock-sha256
want=$(sha256sum "$root/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "setup: node_modules matches package-lock.json"
else
    echo "setup: npm ci (package-lock.json into node_modules)"
    (cd "$root" && npm ci --ignore-scripts --omit=optional --no-audit --no-fund)
    printf '%s\n' "$want" >"$stamp"
fi
echo "setup: done"
