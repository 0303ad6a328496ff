#!/usr/bin/env bash
# ctest's `report_browser*` and `room_browser`: the end-to-end tests of
# `entente report` and `entente serve` in Debian's headless Chromium
# (report.test.mjs for runs, or the script named first: compare.test.mjs,
# sweep.test.mjs, room.test.mjs). Installs the pinned
# playwright-core (package-lock.json) into tests/browser/node_modules when it
# is missing; scripts/install-deps does the same ahead of time.
#   tests/browser/run.sh [SCRIPT.mjs] ENTENTE_BINARY SOURCE_DIR OUT_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "report_browser: $tool is missing: run scripts/install-deps" >&2; exit 1; }
done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] ||
  { echo "report_browser: ${CHROMIUM:-/usr/bin/chromium} is missing: run scripts/install-deps" >&2; exit 1; }
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
script=report.test.mjs
if [[ "${1:-}" == *.mjs ]]; then script="$1"; shift; fi
exec node "$here/$script" "$@"
