#!/usr/bin/env python3
"""Generate cysearch's built-in actor and malware tables from community vocabularies.

usage: common/data/generate_tables.py GAZETTEER_DIR [OUTPUT.c]

GAZETTEER_DIR holds threat-actors.json and malware-families.json, the compact
files described in its README (derived from MISP galaxy clusters and MITRE
ATT&CK; see common/data/NOTICE for their sources, commits and licences).
OUTPUT.c (default: common/data/generated_tables.c beside this script) is
rewritten with C arrays that common/src/gazetteer.c links in, so that no data
is parsed when a program starts.

Only facts are kept: names, aliases, ATT&CK ids and attributed countries.
Descriptions and other prose are not read.  The project's hand-written tables
(common/data/*.tsv) win every conflict:
  - a record one of whose names is a hand-written entity's name of the same
    type extends that entity with its other names (an "extension");
  - a name that is a hand-written name of another entity, of any type, is
    dropped ("BlackMatter" stays its own family, not an alias of DarkSide);
  - a name shared by more than one record (the `ambiguous_aliases` list of
    threat-actors.json, and names shared by several malware records) is
    never guessed: when all its records become one entity here it is that
    entity's; otherwise each entity gets it marked '%', and the extractor
    takes it only where the text names one of them otherwise ("APT24" with
    "BlackTech" in the same field), never alone;
  - a one-word name needs context words nearby ('?') unless its shape is
    distinctive (see marked()); short all-capital names match in capitals
    only ('='); names of fewer than three letters or digits, and lower-case
    one-word names, are dropped;
  - ATT&CK tools that are not also malware (ping, net, ipconfig ...) are left
    out; the abused tools news names are in the hand-written malware.tsv.

Standard library only.  Run it again after refreshing GAZETTEER_DIR from a
newer MISP galaxy / ATT&CK release (see docs/entities.md).
"""
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
HAND_TABLES = {
    "country": "countries.tsv",
    "agency": "agencies.tsv",
    "actor": "actors.tsv",
    "malware": "malware.tsv",
    "vendor": "vendors.tsv",
}
# Platforms, languages and programs that some malware records use as a name
# or alias ("Python", "Android"): in news they name the software itself.
NOT_NAMES = {
    "android", "apache", "bitcoin", "chrome", "discord", "docker", "drupal",
    "ethereum", "excel", "exchange", "firefox", "golang", "java",
    "javascript", "joomla", "kubernetes", "linux", "macos", "monero",
    "nginx", "office", "outlook", "perl", "php", "powershell", "python",
    "ruby", "rust", "sharepoint", "signal", "skype", "slack", "teams",
    "telegram", "tor", "whatsapp", "windows", "word", "wordpress", "zoom",
    # generic words some records use as a family name
    "trojan", "virus", "worm", "backdoor", "ransomware", "malware", "one",
}
SOURCE_NAMES = {
    "misp-threat-actor": "misp-galaxy",
    "misp-microsoft-activity-group": "misp-galaxy",
    "misp-malpedia": "misp-galaxy",
    "misp-ransomware": "misp-galaxy",
    "mitre-attack": "mitre-attack",
}


def norm(name):
    """NFKD, lower case, letters and digits only: "APT 28" == "apt-28"."""
    s = unicodedata.normalize("NFKD", name).lower()
    return "".join(c for c in s if c.isalnum() and ord(c) < 128)


def usable(name):
    # "Group 3", "Team 5": vendors' numbered clusters read as ordinary text.
    if re.fullmatch(r"(?i)(group|team|unit|cluster)[ -]?\d+", name):
        return False
    return (2 <= len(name) <= 120 and not any(c in name for c in "|\t\r\n\"()")
            and name[0] not in "=?#" and len(norm(name)) >= 3
            and norm(name) not in NOT_NAMES
            and not norm(name).isdigit())


def read_hand_tables():
    """{type: [(value, label, country, [names])]} from common/data/*.tsv."""
    tables = {}
    for etype, fname in HAND_TABLES.items():
        rows = []
        with open(os.path.join(HERE, fname), encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                cols = line.split("\t")
                names = [cols[0], cols[1]]
                if len(cols) > 3 and cols[3]:
                    names += [a.lstrip("=?") for a in cols[3].split("|")]
                rows.append((cols[0], cols[1], cols[2], names))
        tables[etype] = rows
    return tables


def marked(name, common_words):
    """The alias as the tables write it, with its markers, or None to drop it.

    Names from these files are not reviewed by us, so a one-word name is
    trusted alone only when its shape is distinctive: digits, an inner
    capital ("MirrorBlast") or all capitals ("SUNBURST", matched in
    capitals, any case but lower).  A plain capitalised word ("Shifu", "Explorer",
    "James") needs context words nearby; a lower-case one is dropped.
    """
    common = name in common_words or name.lower() in common_words
    if " " in name.strip() or "-" in name or any(c.isdigit() for c in name):
        return ("?" if common else "") + name
    letters = "".join(c for c in name if c.isalpha())
    if not letters or letters.islower():
        return None
    if letters.isupper():
        # "MINEBRIDGE" is written "MineBridge" elsewhere: any case but
        # lower (the extractor's rule for unreviewed names).
        return ("?=" + name) if common or len(letters) <= 4 else name
    if any(c.isupper() for c in letters[1:]) and not common:
        return name
    return "?" + name


def distinct_spellings(spellings):
    """One name's spellings, as the tables write them.

    When one spelling needs context ("?Squirrelwaffle") and another has a
    distinctive shape ("SquirrelWaffle"), the distinctive one is kept too,
    matched with exactly its case and first; otherwise the first spelling
    stands for all (the matcher ignores case).
    """
    ambiguous = [m for m in spellings if m.startswith("?")]
    sure = [m for m in spellings if not m.startswith("?")]
    if ambiguous and sure:
        return ["=" + m.lstrip("=") for m in sure] + ambiguous[:1]
    return spellings[:1]


def sources_of(record):
    out = []
    for s in record.get("sources", []):
        s = SOURCE_NAMES.get(s, s)
        if s not in out:
            out.append(s)
    return ",".join(sorted(out))


def build(etype, records, hand, shared):
    """Entities and extensions of one type.

    records: (name, [aliases], country or None, source, {common words}).
    hand: the hand tables; shared: normalised names of several records.
    """
    own = {}    # norm -> hand value of this type
    other = set()  # norm of hand names of other types
    for t, rows in hand.items():
        for value, _label, _country, names in rows:
            for n in names:
                if t == etype:
                    own.setdefault(norm(n), value)
                else:
                    other.add(norm(n))
    entities, extensions = {}, {}
    taken = {}  # norm of a generated value -> that value
    choices = {}  # norm of a shared name -> [(destination, marked name)]
    for name, aliases, country, source, common in records:
        name = " ".join(name.split())
        aliases = [" ".join(a.split()) for a in aliases]
        names = [name] + [a for a in aliases if a != name]
        hits = [own[norm(n)] for n in names if norm(n) in own]
        target = own.get(norm(name))
        if target is None and len(set(hits)) == 1:
            target = hits[0]
        groups = {}  # norm -> the marked spellings of that name
        of_several = {}  # the same, for names shared with other records
        for n in names:
            k = norm(n)
            if not usable(n) or k in own or k in other:
                continue
            m = marked(n, common)
            into = of_several if k in shared else groups
            if m is not None and m not in into.setdefault(k, []):
                into[k].append(m)
        kept = []
        for spellings in groups.values():
            kept += distinct_spellings(spellings)
        destination = None if target is None else ("hand", target)
        if destination is None and kept and \
                norm(kept[0].lstrip("=?")) not in taken:
            destination = ("new", kept[0].lstrip("=?"))
        for k, spellings in of_several.items():
            # A record that becomes no entity still counts as another
            # group ("UNC3524" is not APT29 because one record says so).
            place = destination or ("none", len(choices.get(k, [])))
            choices.setdefault(k, []).append(
                (place, distinct_spellings(spellings)))
        if target is not None:
            ext = extensions.setdefault(target, ([], set()))
            for a in kept:
                if norm(a.lstrip("=?")) not in {norm(x.lstrip("=?"))
                                                  for x in ext[0]}:
                    ext[0].append(a)
            ext[1].update(source.split(","))
            continue
        if not kept:
            continue
        value = kept[0].lstrip("=?")
        if norm(value) in taken:
            continue
        taken[norm(value)] = value
        # The value is matched as a name too; a marker on it must be kept.
        column = [a for a in kept if a.lstrip("=?") != value or a[0] in "=?"]
        entities[value] = (value, country, source, column)
    add_choices(choices, entities, extensions)
    return entities, extensions


def add_choices(choices, entities, extensions):
    """Names shared by several records: the one entity they all became, or
    '%' on each of the entities (the text must name one otherwise)."""
    for k in sorted(choices):
        places = {}
        for destination, spellings in choices[k]:
            places.setdefault(destination, spellings)
        one = len(places) == 1
        for destination, spellings in places.items():
            if destination[0] == "none":
                continue
            names = spellings if one else ["%" + m for m in spellings]
            if destination[0] == "new":
                column = entities[destination[1]][3]
            else:
                column = extensions.setdefault(destination[1],
                                               ([], set()))[0]
            for m in names:
                if norm(m.lstrip("%=?")) not in {norm(x.lstrip("%=?"))
                                                 for x in column}:
                    column.append(m)


def actor_records(data):
    for a in data["actors"]:
        aliases = list(a.get("aliases", [])) + list(a.get("mitre_ids", []))
        yield (a["name"], aliases, a.get("country"),
               sources_of(a), set(a.get("common_word_names", [])))


def malware_records(data):
    for m in data["families"]:
        if "tool" in m["kinds"] and "malware" not in m["kinds"] and \
                "ransomware" not in m["kinds"]:
            continue
        aliases = list(m.get("aliases", []))
        if m.get("mitre_id"):
            aliases.append(m["mitre_id"])
        yield (m["name"], aliases, None, sources_of(m),
               set(m.get("common_word_names", [])))


def shared_names(records, listed=()):
    count = {}
    for name, aliases, _c, _s, _w in records:
        for k in {norm(n) for n in [name] + aliases}:
            count[k] = count.get(k, 0) + 1
    out = {k for k, n in count.items() if n > 1}
    out.update(norm(n) for n in listed)
    return out


def c_string(s):
    out = []
    for ch in s:
        if ch == "\0":
            out.append("\\0")
        elif ch in '"\\':
            out.append("\\" + ch)
        elif 32 <= ord(ch) < 127:
            out.append(ch)
        else:
            out.extend("\\%03o" % b for b in ch.encode("utf-8"))
    # Octal escapes take at most three digits, so a digit after one is safe.
    return '"' + "".join(out) + '"'


def fix_ids(aliases):
    """ATT&CK ids (G0032, S0154) match only in capitals."""
    out = []
    for a in aliases:
        bare = a.lstrip("%=?")
        if bare[:1] in "GS" and bare[1:].isdigit():
            a = ("%" if a.startswith("%") else "") + "=" + bare
        out.append(a)
    return out


class Strings:
    """One NUL-separated block of every string, for offsets: a table of
    pointers would cost the dynamic loader a relocation per pointer at every
    program start."""

    def __init__(self):
        self.offsets, self.pieces, self.size = {}, [], 0
        self.at("")

    def at(self, text):
        if text not in self.offsets:
            self.offsets[text] = self.size
            self.pieces.append(text)
            self.size += len(text.encode("utf-8")) + 1
        return self.offsets[text]

    def emit(self, out):
        out.append("const char cys_generated_strings[] =")
        for p in self.pieces:
            out.append("    %s" % c_string(p + "\0"))
        out[-1] += ";"
        out.append("")


def emit(out, strings, etype, entities, extensions, hand):
    labels = {v: (l, c) for v, l, c, _n in hand[etype]}
    out.append("const generated_entity cys_generated_%s[] = {" % etype)
    for value in sorted(entities, key=lambda v: v.encode("utf-8")):
        v, country, source, aliases = entities[value]
        column = "|".join(fix_ids(aliases))
        out.append("    {%d, %d, %d, %d}," % (
            strings.at(v), strings.at(country or ""), strings.at(source),
            strings.at(column)))
    out.append("};")
    out.append("const size_t cys_generated_%s_count = %d;\n" %
               (etype, len(entities)))
    out.append("const generated_extension cys_generated_%s_extensions[] = {"
               % etype)
    n = 0
    for value in sorted(extensions, key=lambda v: v.encode("utf-8")):
        aliases, sources = extensions[value]
        if value not in labels or not aliases:
            continue
        n += 1
        out.append("    {%d, %d, %d}," % (
            strings.at(value),
            strings.at(",".join(["cysearch"] + sorted(sources))),
            strings.at("|".join(fix_ids(aliases)))))
    out.append("};")
    out.append("const size_t cys_generated_%s_extensions_count = %d;\n" %
               (etype, n))
    return len(entities), n


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__.strip().splitlines()[2])
    src = argv[1]
    output = argv[2] if len(argv) == 3 else os.path.join(
        HERE, "generated_tables.c")
    with open(os.path.join(src, "threat-actors.json"), encoding="utf-8") as f:
        actors = json.load(f)
    with open(os.path.join(src, "malware-families.json"),
              encoding="utf-8") as f:
        malware = json.load(f)
    hand = read_hand_tables()
    out = ["/* Generated by common/data/generate_tables.py: do not edit.",
           " * Facts (names, aliases, ATT&CK ids, attributed countries) from:"]
    for meta in (actors["_meta"], malware["_meta"]):
        for s in meta["sources"]:
            out.append(" *   %s at commit %s (%s): %s" % (
                s["repo"], s["commit"],
                ", ".join(x.replace("*", "<name>") for x in s["paths"]),
                s["license"].split(";")[0].split(" (")[0]))
    out += [" * The notices these licences ask for are in common/data/NOTICE.",
            " */",
            '#include "gazetteer_generated.h"', ""]
    arecs = list(actor_records(actors))
    a_shared = shared_names(arecs, actors.get("ambiguous_aliases", {}))
    mrecs = list(malware_records(malware))
    m_shared = shared_names(mrecs)
    counts, strings, tables = {}, Strings(), []
    for etype, recs, shared in (("actor", arecs, a_shared),
                                ("malware", mrecs, m_shared)):
        ents, exts = build(etype, recs, hand, shared)
        counts[etype] = emit(tables, strings, etype, ents, exts, hand)
    strings.emit(out)
    out += tables
    with open(output, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    for etype, (n, e) in counts.items():
        print("%s: %d new entities, %d hand-written ones extended" %
              (etype, n, e), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
