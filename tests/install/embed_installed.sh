#!/usr/bin/env bash
# ctest's `embed_installed`: install the build into a fresh prefix with
# `cmake --install`, build examples/embed there as an outside project
# (find_package(entente CONFIG) only; no path into the source or build tree),
# and run it on the baseline.
#   tests/install/embed_installed.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build="$1" source="$2" work="$3"
rm -rf "$work" && mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log"
for f in bin/entente lib/libentente.a include/entente/entente.hpp \
         lib/cmake/entente/ententeConfig.cmake share/entente/scenarios/baseline.toml \
         share/doc/entente/README.md; do
  [ -e "$work/prefix/$f" ] || { echo "embed_installed: $f was not installed" >&2; exit 1; }
done
cp -r "$source/examples/embed" "$work/embed-src"
cmake -S "$work/embed-src" -B "$work/embed-build" -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_BUILD_TYPE=Release >"$work/configure.log"
cmake --build "$work/embed-build" >"$work/build.log"
out="$("$work/embed-build/embed" "$work/prefix/share/entente/scenarios/baseline.toml" 'affinity(ARM,RUS)' 10)"
echo "$out"
[[ "$out" =~ ^affinity\(ARM,RUS\)\ at\ step\ 36\ over\ 10\ runs:\ mean\ -?[0-9.]+,\ 5-95%\ \[-?[0-9.]+,\ -?[0-9.]+\]$ ]] ||
  { echo "embed_installed: unexpected output" >&2; exit 1; }
# Bad input reaches the embedding program as an exception with the place.
if err="$("$work/embed-build/embed" "$work/nonexistent.toml" 2>&1)"; then
  echo "embed_installed: a missing scenario was accepted" >&2; exit 1
fi
[[ "$err" == *"nonexistent.toml"* ]] || { echo "embed_installed: unexpected error: $err" >&2; exit 1; }
# The installed CLI runs the installed scenarios.
"$work/prefix/bin/entente" run "$work/prefix/share/entente/scenarios/baseline.toml" --runs 3 -q \
  -o "$work/out" >/dev/null
[ -f "$work/out/manifest.json" ] || { echo "embed_installed: the installed CLI wrote nothing" >&2; exit 1; }
echo "embed_installed: ok"
