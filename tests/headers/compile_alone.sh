#!/bin/sh
# Every public header must compile on its own (and twice, for its include
# guard) as C11 and as C++, with -pedantic -Werror: a header that leans on
# something its user happened to include first fails here.
# Usage: compile_alone.sh CC CXX INCLUDE_DIR GENERATED_DIR
set -u
cc=$1 cxx=$2 inc=$3 gen=$4
failed=0 passed=0
for h in "$inc"/cysearch/*.h; do
  name=cysearch/$(basename "$h")
  for lang in c c++; do
    if [ "$lang" = c ]; then comp=$cc std=-std=c11; else comp=$cxx std=-std=c++17; fi
    if printf '#include "%s"\n#include "%s"\ntypedef int translation_unit_is_not_empty;\n' "$name" "$name" |
       "$comp" $std -x "$lang" -fsyntax-only -pedantic -Wall -Wextra -Werror \
         -I"$inc" -I"$gen" - 2>&1; then
      passed=$((passed + 1))
    else
      echo "FAIL: $name does not compile alone as $lang"
      failed=$((failed + 1))
    fi
  done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
