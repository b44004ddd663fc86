#!/bin/sh
# libcysearch exports its public API and nothing else: every symbol the
# shared library defines for others (nm -D --defined-only) is named cys_*,
# and the exported functions are exactly those declared CYS_API in the
# public headers.  Usage: exported_symbols.sh LIBCYSEARCH.so INCLUDE_DIR
set -u
lib=$1 inc=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$lib" | awk '{print $NF}' | sort -u >"$tmp/exported" ||
  { echo "FAIL: nm -D cannot read $lib"; exit 1; }
cat "$inc"/cysearch/*.h | tr '\n' ' ' | grep -o 'CYS_API [^;(]*(' |
  sed -n 's/.*[ *]\(cys_[a-z0-9_]*\)($/\1/p' | sort -u >"$tmp/declared"

status=0
total=$(wc -l <"$tmp/exported")
grep -v '^cys_' "$tmp/exported" >"$tmp/foreign"
foreign=$(wc -l <"$tmp/foreign")
echo "$total exported symbols, $foreign without the cys_ prefix"
if [ "$foreign" -ne 0 ]; then
  echo "FAIL: exported without the cys_ prefix:"; cat "$tmp/foreign"; status=1
fi
if [ "$(wc -l <"$tmp/declared")" -eq 0 ]; then
  echo "FAIL: no CYS_API declaration found in $inc/cysearch"; status=1
fi
# A function declared in a public header without CYS_API would not be
# exported: programs and users could not link it.
grep -n '^[a-z][a-z0-9_ *]*[ *]cys_[a-z0-9_]*(' "$inc"/cysearch/*.h |
  grep -v ':typedef ' >"$tmp/unmarked"
if [ -s "$tmp/unmarked" ]; then
  echo "FAIL: declared in a public header without CYS_API:"
  cat "$tmp/unmarked"; status=1
fi
comm -13 "$tmp/exported" "$tmp/declared" >"$tmp/missing"
if [ -s "$tmp/missing" ]; then
  echo "FAIL: declared CYS_API but not exported:"; cat "$tmp/missing"; status=1
fi
grep '^cys_' "$tmp/exported" | comm -23 - "$tmp/declared" >"$tmp/extra"
if [ -s "$tmp/extra" ]; then
  echo "FAIL: exported but not declared CYS_API in a public header:"
  cat "$tmp/extra"; status=1
fi
exit $status
