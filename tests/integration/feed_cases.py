#!/usr/bin/env python3
"""feed_cases.py — the indexer's feed reader against feedparser's tests.

Usage: feed_cases.py FEED_DUMP FEEDS_DIR

FEEDS_DIR (../shared/feeds) holds feedparser's test documents; each says
on its "Expect:" line, as a Python expression, what feedparser reads
from it.  The cases whose expression looks only at what the indexer
keeps of an item (title, link, id/guid, published/updated, description/
summary, content, author, tags) or of the feed (title, link), and at
bozo (not well-formed XML), are in scope: the expression is evaluated
over what FEED_DUMP (tests/tools/feed_dump.c, the indexer's own reader)
reads, translated as follows:
  - a text field equals an expected string when the two agree once the
    expected one is turned into text (read as HTML, or taken as text:
    feedparser keeps HTML, the indexer keeps text) and white space is
    ignored;
  - the body stands for content, description and summary (the indexer
    keeps one body: content, else the description or summary), so
    description/summary expectations for an item that also has content
    are out of scope;
  - *_parsed compares the date (the indexer keeps the day, in UTC);
  - author compares the name (feedparser adds the e-mail in brackets);
  - tags are the categories, terms only.
Every other case is listed by the key that puts it out of scope, with
counts.  An in-scope case that fails on a deliberate difference is listed
in KNOWN with the reason, and reported apart.  Exit 0 when every other
in-scope case passes, 1 otherwise, 77 (CTest: skipped) when FEEDS_DIR is
absent.
"""
import ast
import collections
import html.parser
import json
import os
import re
import subprocess
import sys

ENTRY_KEYS = {"title", "link", "id", "guid", "published", "updated",
              "published_parsed", "updated_parsed", "description",
              "summary", "content", "value", "author", "tags", "term"}
FEED_KEYS = {"title", "link"}
NAMES = {"feed", "entries", "bozo", "len", "True", "False", "None"}


SKIPPED = ("script", "style", "svg")

# In-scope cases whose expectation the indexer does not meet on purpose.
KNOWN = {
    "item_description_not_a_doctype2.xml":
        "a description that is only '<!DOCTYPE' is read as HTML, as pages "
        "are, and an HTML declaration holds no text",
}


class TextOf(html.parser.HTMLParser):
    """The text of an HTML fragment; scripts, styles and SVG left out
    (as the indexer leaves them out of pages)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in SKIPPED

    def handle_endtag(self, tag):
        self.skip -= tag in SKIPPED and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def squeeze(s):
    return re.sub(r"\s+", "", s)


def html_text(s):
    p = TextOf()
    p.feed(s)
    p.close()
    return "".join(p.parts)


class Text(str):
    """A field the indexer read; equal to feedparser's value when the
    texts agree (see the module's description)."""

    def __eq__(self, other):
        if not isinstance(other, str):
            return False
        mine = squeeze(self)
        return mine in (squeeze(other), squeeze(html_text(other)))

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = str.__hash__


class Author(Text):
    def __eq__(self, other):
        if isinstance(other, str):
            other = re.sub(r"\s*\([^()]*@[^()]*\)\s*$", "", other)
        return Text.__eq__(self, other)

    __hash__ = str.__hash__


class Day:
    """A date the indexer keeps ("YYYY-MM-DD"), against a time tuple."""

    def __init__(self, date):
        self.date = date

    def __eq__(self, other):
        try:
            return self.date == "%04d-%02d-%02d" % tuple(other[:3])
        except (TypeError, ValueError):
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __repr__(self):
        return "Day(%r)" % self.date


class Result(dict):
    """A dict as feedparser's: keys as attributes too, and has_key."""

    def has_key(self, key):
        return key in self

    def __missing__(self, key):
        """A text field that holds no text is one the indexer leaves
        out; it reads as empty."""
        if key in ("title", "description", "summary"):
            return Text("")
        raise KeyError(key)

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


def text(v, kind=Text):
    return None if v is None else kind(v)


def as_feedparser(dump):
    """feedparser's result shape over what feed_dump read."""
    entries, feed = [], Result()
    for item in dump["items"]:
        e = Result()
        for key in ("title", "link"):
            if item[key] is not None:
                e[key] = text(item[key])
        e["id"] = e["guid"] = Text(item["id"])
        if item["date_text"] is not None:
            e["published"] = e["updated"] = Text(item["date_text"])
        if item["date"] is not None:
            e["published_parsed"] = e["updated_parsed"] = Day(item["date"])
        if item["body"] is not None:
            e["description"] = e["summary"] = Text(item["body"])
            e["content"] = [{"value": Text(item["body"])}]
        if item["author"] is not None:
            e["author"] = Author(item["author"])
        if item["categories"] is not None:
            e["tags"] = [{"term": Text(t)}
                         for t in item["categories"].split(", ")]
        entries.append(e)
    if dump["feed_title"] is not None:
        feed["title"] = Text(dump["feed_title"])
    if dump["feed_link"] is not None:
        feed["link"] = Text(dump["feed_link"])
    return {"feed": feed, "entries": entries, "bozo": dump["xml_errors"] > 0,
            "len": len, "True": True, "False": False, "None": None}


def chain(node):
    """The root name and the keys, root first, of e.g. entries[0]['a'].b
    (has_key('k') and get('k') count as the key k)."""
    keys = []
    while True:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.args and isinstance(node.args[0], ast.Constant):
            keys.append(node.args[0].value)
            node = node.func.value
        elif isinstance(node, ast.Subscript):
            inner = node.slice
            if isinstance(inner, ast.Index):  # Python < 3.9
                inner = inner.value
            if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                keys.append(inner.value)
            node = node.value
        elif isinstance(node, ast.Attribute):
            keys.append(node.attr)
            node = node.value
        else:
            break
    root = node.id if isinstance(node, ast.Name) else "?"
    return root, keys[::-1]


def keys_of(tree):
    """(names, [(root, key)]) an expression looks at, each chain's keys
    root first."""
    names, keys = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, (ast.Subscript, ast.Attribute, ast.Call)):
            root, chain_keys = chain(node)
            keys.extend((root, k) for k in chain_keys)
    return names, keys


def out_of_scope(path, expr, raw):
    """Why a case is out of scope ("" when it is in scope)."""
    if os.path.basename(path).startswith("http_"):
        return "HTTP headers (document URL, Content-Location)"
    if "base64" in raw:
        return "base64-encoded content (left out)"
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        return "unreadable expression"
    names, keys = keys_of(tree)
    for name in sorted(names - NAMES):
        return name
    has_content = re.search(r"<(\w+:)?(content|encoded)\b", raw) is not None
    tested = {key for root, key in keys if root == "entries"}
    if tested & {"description", "summary"} and "content" in tested:
        return "description and content both (the indexer keeps one body)"
    for root, key in keys:
        allowed = FEED_KEYS if root == "feed" else ENTRY_KEYS
        if key not in allowed:
            return "%s['%s']" % (root, key)
        if root == "entries" and key in ("description", "summary") and \
                has_content:
            return "summary beside content (the body is the content)"
    return ""


def dump_of(tool, path):
    out = subprocess.run([tool, path], stdout=subprocess.PIPE, check=True)
    lines = [json.loads(l) for l in out.stdout.decode().splitlines() if l]
    report = lines[-1]
    report["items"] = lines[:-1]
    return report


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    tool, root = sys.argv[1], sys.argv[2]
    if not os.path.isdir(root):
        print("feed_cases: %s is absent; skipped" % root)
        sys.exit(77)
    passed, failed, known = [], [], []
    scope = collections.Counter()
    for folder, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            path = os.path.join(folder, name)
            if not name.endswith(".xml"):
                continue
            raw = open(path, encoding="latin-1").read()
            m = re.search(r"^Expect:\s*(.*?)\s*$", raw, re.M)
            if not m:
                scope["no Expect line"] += 1
                continue
            expr = m.group(1)
            why = out_of_scope(path, expr, raw)
            if why:
                scope[why] += 1
                continue
            dump = dump_of(tool, path)
            try:
                ok = bool(eval(expr, {"__builtins__": {}},
                               as_feedparser(dump)))
            except (KeyError, IndexError, TypeError, AttributeError) as e:
                ok, dump["exception"] = False, repr(e)
            if not ok and os.path.basename(path) in KNOWN:
                known.append(path)
            else:
                (passed if ok else failed).append((path, expr, dump))
    for path, expr, dump in failed:
        print("FAIL %s\n  expect: %s\n  read:   %s" %
              (os.path.relpath(path, root), expr,
               json.dumps(dump, ensure_ascii=False)[:600]))
    print("Out of scope, by what they test (%d cases):" % sum(scope.values()))
    for why, n in sorted(scope.items(), key=lambda kv: (-kv[1], kv[0])):
        print("  %4d  %s" % (n, why))
    for path in known:
        print("Known difference: %s: %s" %
              (os.path.relpath(path, root), KNOWN[os.path.basename(path)]))
    total = len(passed) + len(failed) + len(known)
    print("In scope: %d of %d cases pass (%d known differences)" %
          (len(passed), total, len(known)))
    sys.exit(0 if not failed else 1)


if __name__ == "__main__":
    main()
