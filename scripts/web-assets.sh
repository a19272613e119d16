#!/usr/bin/env bash
# Builds the web pages' static assets into OUTDIR, which `pathway serve` serves under /assets/:
#   app.css                  src/web/assets/app.scss compiled by Dart Sass against govuk-frontend
#   app.js                   src/web/assets/app.js (an ES module)
#   govuk-frontend.min.js    GOV.UK Frontend's components (app.js imports it)
#   images/                  GOV.UK Frontend's images (favicon.ico, icons)
# node_modules comes from scripts/setup.sh (npm ci). CMake runs this for every build folder.
#   scripts/web-assets.sh OUTDIR
set -euo pipefail
out=${1:?usage: scripts/web-assets.sh OUTDIR}
root=$(cd "$(dirname "$0")/.." && pwd)
govuk=$root/node_modules/govuk-frontend/dist/govuk
sass=$root/node_modules/sass/sass.js

if [ ! -d "$govuk" ] || [ ! -f "$sass" ]; then
    echo "web-assets: $root/node_modules is missing or incomplete: run scripts/setup.sh" >&2
    exit 1
fi
if ! command -v node >/dev/null 2>&1; then
    echo "web-assets: node is missing: run scripts/setup.sh" >&2
    exit 1
fi

mkdir -p "$out/images"
# Write into a temporary file and move it into place, so a failed compile leaves no app.css
# behind that make would take as up to date. --quiet-deps: govuk-frontend 5 still uses @import
# and Sass's global functions, which Dart Sass warns about hundreds of times; warnings about
# our own stylesheet still show.
tmp=$out/app.css.tmp
trap 'rm -f "$tmp"' EXIT
node "$sass" --load-path="$root/node_modules" --style=compressed --no-source-map --quiet-deps \
    "$root/src/web/assets/app.scss" "$tmp"
cp "$govuk/govuk-frontend.min.js" "$root/src/web/assets/app.js" "$out/"
cp "$govuk"/assets/images/* "$out/images/"
mv "$tmp" "$out/app.css"
