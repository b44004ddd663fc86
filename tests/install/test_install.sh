#!/bin/sh
# Install into a temporary prefix and use the installed copy the way a
# third party would: compile docs/examples/search.c with nothing but the
# flags pkg-config gives for cysearch, index corpus/sample.jsonl with the
# installed cysearch-index, and check that the example finds the hits the
# installed cysearch finds.  Also: each installed header compiles alone
# with those flags (no public header leans on one that is not installed),
# and the internal headers are not installed.
# Environment: CMAKE (cmake), CC, CYSEARCH_BUILD_DIR, CYSEARCH_SOURCE_DIR,
# CYSEARCH_EXAMPLE_FLAGS (the sanitizer flags the build used, if any).
set -u
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "FAIL: $*"; exit 1; }

"$CMAKE" --install "$CYSEARCH_BUILD_DIR" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "cmake --install"; }
pc=$(find "$prefix" -name cysearch.pc -path '*/pkgconfig/*' | head -n 1)
[ -n "$pc" ] || fail "no cysearch.pc installed"
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
cflags=$(pkg-config --cflags cysearch) || fail "pkg-config --cflags cysearch"
libs=$(pkg-config --libs cysearch) || fail "pkg-config --libs cysearch"
libdir=$(pkg-config --variable=libdir cysearch)
echo "pkg-config: $cflags $libs"

for h in db.h query.h store.h schema.h entity_lib.h; do
  [ ! -e "$prefix/include/cysearch/$h" ] || fail "internal header $h installed"
done
# A public header may say that something is internal ("internal
# schema.h"), but must not send its reader to an internal header as if it
# were there to read.
for h in "$prefix"/include/cysearch/*.h; do
  sent=$(sed 's/^ *\* *//' "$h" | tr '\n' ' ' |
    grep -oE '([a-z]+ +)?[(]?(db|query|store|schema|entity_lib)[.]h' |
    grep -v '^internal ') || true
  [ -z "$sent" ] ||
    fail "installed $(basename "$h") refers its reader to an internal header: $sent"
done
n=0
for h in "$prefix"/include/cysearch/*.h; do
  printf '#include <cysearch/%s>\ntypedef int not_empty;\n' "$(basename "$h")" |
    $CC -std=c11 -pedantic -Werror -fsyntax-only -x c $cflags - ||
    fail "installed $(basename "$h") does not compile alone"
  n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no public header installed"
echo "$n installed headers compile alone"

# shellcheck disable=SC2086 # the flags are words
$CC -std=c11 -Wall -Wextra -pedantic -Werror ${CYSEARCH_EXAMPLE_FLAGS:-} $cflags \
  "$CYSEARCH_SOURCE_DIR/docs/examples/search.c" -o "$tmp/search" $libs ||
  fail "the example does not build against the installed library"

"$prefix/bin/cysearch-index" --db "$tmp/index" \
  "$CYSEARCH_SOURCE_DIR/corpus/sample.jsonl" >"$tmp/index.log" 2>&1 ||
  { cat "$tmp/index.log"; fail "the installed cysearch-index"; }
query='china espionage'
LD_LIBRARY_PATH=$libdir "$tmp/search" "$tmp/index" "$query" >"$tmp/example.out" ||
  fail "the example failed"
cat "$tmp/example.out"
"$prefix/bin/cysearch" --db "$tmp/index" --format trec --limit 10 "$query" |
  awk '{print $3}' >"$tmp/expected" || fail "the installed cysearch"
cut -f1 "$tmp/example.out" >"$tmp/got"
[ -s "$tmp/expected" ] || fail "the installed cysearch found nothing"
cmp -s "$tmp/expected" "$tmp/got" || {
  diff "$tmp/expected" "$tmp/got"; fail "the example's hits differ from cysearch's"; }
if cut -f2 "$tmp/example.out" | grep -qx ''; then
  fail "a hit without a title"
fi
echo "ok: $(wc -l <"$tmp/got") hits, as cysearch finds them"
