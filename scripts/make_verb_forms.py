"""Writes app/resources/verb_forms.tsv.xz: every English word lemminflect knows as a verb form, with its tags.

The labeller's grammatical form (app/analysis/grammar.py) needs only "which verb forms can this word
be". lemminflect answers that, but holds 50 MB of tables in memory once asked; the answers for all its
words fit in a 200 KB file. Run after upgrading lemminflect (a development dependency):

    .venv/bin/python scripts/make_verb_forms.py
"""

from __future__ import annotations

import csv
import gzip
import lzma
from importlib.resources import files
from pathlib import Path

from lemminflect import getAllInflections, getAllLemmas

OUT = Path(__file__).resolve().parent.parent / "app" / "resources" / "verb_forms.tsv.xz"


def forms(word: str) -> list[str]:
    tags: set[str] = set()
    for lemma in getAllLemmas(word).get("VERB", ()):
        for tag, spelled in getAllInflections(lemma, "VERB").items():
            if word in spelled:
                tags.add(tag)
    return sorted(tags)


def main() -> None:
    table = files("lemminflect") / "resources" / "lemma_lu.csv.gz"
    with gzip.open(str(table), "rt", encoding="utf-8") as f:
        words = sorted({row[0].lower() for row in csv.reader(f) if row})
    lines = []
    for w in words:
        tags = forms(w)
        if tags:
            lines.append(f"{w}\t{','.join(tags)}")
    OUT.write_bytes(lzma.compress(("\n".join(lines) + "\n").encode("utf-8"), preset=9))
    print(f"{len(lines)} verb forms of {len(words)} words -> {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
