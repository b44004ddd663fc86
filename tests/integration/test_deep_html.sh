#!/bin/sh
# test_deep_html.sh — HTML nested past libxml2's 256 levels (issue #16):
# old news pages leave <font> unclosed in every paragraph, and the text
# after the 256th used to be dropped without a word.  It must be found;
# a page that still nests too deep (divs) is indexed up to that point
# with a warning that names the file.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

mkdir "$WORK/pages"
python3 - "$WORK/pages" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/fonts.html", "w") as f:
    f.write("<html><head><title>Old Page</title></head><body><p>start</p>"
            + '<font face="Verdana" size="2">' * 1000
            + "<p>the fontburiedword is here</p></body></html>\n")
with open(d + "/divs.html", "w") as f:
    f.write("<html><head><title>Div Page</title></head><body><p>divshallowword</p>"
            + "<div>" * 1000 + "<p>divburiedword</p></body></html>\n")
PY

run index "$CYSEARCH_INDEX" --db "$WORK/db" "$WORK/pages"
check_status "deep pages are indexed" 0
capture "$WORK/font.json" "$CYSEARCH" --db "$WORK/db" --format json fontburiedword
check_file_contains "the word after 1,000 unclosed <font> is found" \
  "$WORK/font.json" '"total":1,'
capture "$WORK/shallow.json" "$CYSEARCH" --db "$WORK/db" --format json divshallowword
check_file_contains "the text before 1,000 nested <div> is found" \
  "$WORK/shallow.json" '"total":1,'
check_file_contains "a page still cut short is named in a warning" "$WORK/index.err" \
  "cysearch-index: $WORK/pages/divs.html: warning: HTML nested more than 256 elements deep; the text after that point is not indexed"
check_file_not_contains "the font page gets no warning" "$WORK/index.err" "fonts.html"

finish
