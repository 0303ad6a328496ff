#!/usr/bin/env bash
# Replaces the vendored ECharts with the given version from the npm registry:
# engine/report/vendor/update-echarts.sh 6.1.0
# Then update the version and checksum in echarts/README.md and docs/report.md.
set -euo pipefail
version="${1:?usage: update-echarts.sh VERSION}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "echarts@$version" >/dev/null && tar xzf "echarts-$version.tgz")
cp "$tmp/package/dist/echarts.min.js" "$tmp/package/LICENSE" "$tmp/package/NOTICE" "$here/echarts/"
cp "$tmp/package/licenses/LICENSE-d3" "$here/echarts/"
sha256sum "$here/echarts/echarts.min.js"
