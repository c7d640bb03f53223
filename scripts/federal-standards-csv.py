#!/usr/bin/env python3
"""Write aligner's own standards CSVs of two U.S. federal frameworks from their text.

    python3 scripts/federal-standards-csv.py ../shared/standards/federal data/standards

reads
  FEDERAL/elof-headstart/elof/*/record.yaml   Head Start Early Learning Outcomes Framework (2015)
  FEDERAL/ccrs-adult-ed/ccrs.yml               College and Career Readiness Standards for Adult
                                               Education (2013), partial transcription
and writes, in aligner's documented standards CSV format (README, "Standards formats";
columns code, text, grades, subject, parent, kind, notes):
  OUT/elof.csv
  OUT/ccrs-adult-ed.csv

Only the frameworks' words are taken from the inputs (goal, indicator and statement texts, domain
and sub-domain names, age periods, levels): the text of both frameworks is a U.S. government work
in the public domain. The YAML files themselves are third-party transcriptions (the ELOF one is
claimed CC BY-NC by its transcriber) and are not shipped. The arrangement of the CSVs -- the
hierarchy, the kinds, the codes given to sub-domains, indicators and level statements -- is
aligner's own. The output is deterministic: the same inputs give the same bytes.

ELOF (framework `elof`):
  domain      IT-C, P-MATH ...   the goal codes' prefix, text the domain name   kind domain
  sub-domain  P-MATH.CC ...      prefix + initials of the sub-domain's name     kind cluster
  goal        P-MATH 1 ...       as ELOF writes it, text the goal               kind standard
  indicator   P-MATH 1.1 ...     goal code + its position under the goal; the   kind component
                                 age period as its note ("Age period: 36 to 48 Months")
  grades: IT (infant/toddler, birth to 36 months) for IT- goals, PK (preschool, 36 to 60 months)
  for P- goals.

CCRS (framework `ccrs-adult-ed`), levels A-E as its grades:
  CCR.MP, CCR.R, CCR.W           mathematical practices, reading, writing       kind domain
  CCR.MP.1 .. CCR.MP.8           a practice, its description as the note        kind practice
  CCR.R.1 .. CCR.W.9             a CCR anchor, text the anchor statement        kind cluster
  CCR.R.1.A                      the anchor's statement at level A (when a      kind standard
                                 level has several: CCR.R.1.D.1, CCR.R.1.D.2 ...)
  CCR.W.1.B.a                    a lettered part of a level statement           kind component
  The CCSS standard a statement cites ("(RI/RL.2.1)") is moved from its text to its note
  ("CCSS RI/RL.2.1"); the report's notes on an anchor ("This standard does not begin until
  grade 4 ...") are the anchor's note.

Needs PyYAML (pip install pyyaml).
"""

import csv
import io
import pathlib
import re
import sys

import yaml

COLUMNS = ["code", "text", "grades", "subject", "parent", "kind", "notes"]
SMALL_WORDS = {"and", "of", "with", "the", "to", "in", "for"}
# A CCSS citation as the CCRS report prints it: (RI/RL.2.1), (RH.6- 8.1), (W/WHST.9-10.1).
CITATION = re.compile(r"\s*\(((?:[A-Z]{1,5}/)*[A-Z]{1,5}\.\s?[0-9K][0-9\- ]*\.\s?[0-9]+[a-z]?)\)\s*$")


INNER_CITATION = re.compile(r"\s*\(((?:[A-Z]{1,5}/)*[A-Z]{1,5}\.\s?[0-9K][0-9\- ]*\.\s?[0-9]+[a-z]?)\)\s*")


def clean(s):
    return re.sub(r"\s+", " ", s or "").strip()


def initials(name):
    words = re.findall(r"[A-Za-z]+", name.split("(")[0])
    return "".join(w[0].upper() for w in words if w.lower() not in SMALL_WORDS)


def elof_rows(root):
    goals = []
    for f in sorted((root / "elof").glob("*/record.yaml")):
        goals.append(yaml.safe_load(f.read_text(encoding="utf-8")))

    def order(g):
        prefix, num = g["code"].rsplit(" ", 1)
        band = 0 if prefix.startswith("IT-") else 1
        return (band, DOMAIN_ORDER.index(prefix.split("-", 1)[1]), int(num))

    goals.sort(key=order)
    rows, seen_domain, seen_sub = [], set(), {}
    for g in goals:
        code = clean(g["code"])
        prefix = code.rsplit(" ", 1)[0]
        grade = "IT" if prefix.startswith("IT-") else "PK"
        if prefix not in seen_domain:
            seen_domain.add(prefix)
            rows.append([prefix, clean(g["domain_area"]), grade, "early-learning", "", "domain", ""])
        sub = clean(g["sub_domain"])
        key = (prefix, sub)
        if key not in seen_sub:
            sub_code = f"{prefix}.{initials(sub)}"
            if sub_code in seen_sub.values():
                raise SystemExit(f"two sub-domains of {prefix} give the code {sub_code}")
            seen_sub[key] = sub_code
            rows.append([sub_code, sub, grade, "early-learning", prefix, "cluster", ""])
        rows.append([code, clean(g["title"]), grade, "early-learning", seen_sub[key], "standard", ""])
        for i, ind in enumerate(g.get("indicators") or [], 1):
            rows.append(
                [
                    f"{code}.{i}",
                    clean(ind["text"]),
                    grade,
                    "early-learning",
                    code,
                    "component",
                    f"Age period: {clean(ind['age_period'])}",
                ]
            )
    return rows


# ELOF's own order of its domains.
DOMAIN_ORDER = ["ATL", "SE", "LC", "LIT", "C", "MATH", "SCI", "PMP"]

LEVELS = ["A", "B", "C", "D", "E"]
SECTIONS = [
    ("mathematics", "CCR.MP", "Standards for Mathematical Practice", "math"),
    ("reading", "CCR.R", "Reading", "ela"),
    ("writing", "CCR.W", "Writing", "ela"),
]


def ccrs_rows(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = []
    for key, dom, name, subject in SECTIONS:
        rows.append([dom, name, "A-E", subject, "", "domain", ""])
        for n, item in enumerate(data[key], 1):
            title = clean(item["title"])
            expect = f"MP.{n}" if key == "mathematics" else f"CCR Anchor {n}"
            if title != expect:
                raise SystemExit(f"{key} item {n} is {title!r}, expected {expect!r}")
            levels = item.get("level-specific") or {}
            code = f"{dom}.{n}"
            if key == "mathematics":
                notes = " ".join(clean(t) for t in levels.get("All Levels") or [] if t)
                rows.append([code, clean(item["description"]), "A-E", subject, dom, "practice", notes])
                continue
            note = clean(levels.get("Note") or "")
            rows.append([code, clean(item["description"]), "A-E", subject, dom, "cluster", note])
            for level in LEVELS:
                rows.extend(level_rows(code, level, levels.get(f"Level {level}") or [], subject))
    return rows


def level_rows(anchor, level, items, subject):
    """One level's statements: main statements, their lettered parts, and citation lines that
    name the CCSS standard of the statements before them."""
    mains = []  # [text, citation, [parts]]
    for it in items:
        if it is None:
            continue
        t = clean(it)
        cite = re.fullmatch(r"\((.+)\)", t)
        if cite and CITATION.fullmatch(t):
            for m in mains:
                if not m[1]:
                    m[1] = clean(cite.group(1))
            continue
        part = re.match(r"^([a-z])\.\s+(.*)$", t)
        if part and mains:
            mains[-1][2].append((part.group(1), part.group(2)))
            continue
        # A statement ends with its citation; two statements transcribed as one item
        # ("... (RI.2.5) Use text features ...") are split at the citation between them.
        pieces = INNER_CITATION.split(t)
        for j in range(0, len(pieces), 2):
            text = pieces[j].strip()
            cite = clean(pieces[j + 1]) if j + 1 < len(pieces) else ""
            if text:
                mains.append([text, cite, []])
    rows = []
    for i, (text, cite, parts) in enumerate(mains, 1):
        code = f"{anchor}.{level}" if len(mains) == 1 else f"{anchor}.{level}.{i}"
        rows.append([code, text, level, subject, anchor, "standard", f"CCSS {cite}" if cite else ""])
        for letter, ptext in parts:
            rows.append([f"{code}.{letter}", ptext, level, subject, code, "component", ""])
    return rows


def write(path, rows):
    codes = [r[0] for r in rows]
    dup = {c for c in codes if codes.count(c) > 1}
    if dup:
        raise SystemExit(f"{path}: duplicate codes {sorted(dup)}")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    kinds = {}
    for r in rows:
        kinds[r[5]] = kinds.get(r[5], 0) + 1
    print(f"{path}: {len(rows)} rows, " + ", ".join(f"{k} {n}" for k, n in kinds.items()))


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    write(out / "elof.csv", elof_rows(src / "elof-headstart"))
    write(out / "ccrs-adult-ed.csv", ccrs_rows(src / "ccrs-adult-ed" / "ccrs.yml"))


if __name__ == "__main__":
    main()
