"""A fingerprint of the source documents' word runs, so that a test can tell whether the graph's own text
copies the sources without the documents themselves, which are not part of the project.

The fingerprint, tests/source-shingles.txt, holds one short hash per run of eight consecutive words (a
shingle) of each document, after the words are lower-cased and split as `words` does; a text copies the
sources where one of its own shingles hashes to a line of the file. It is made once, from the two
documents the graph is read from (data/ttl/sources.ttl names them: the English Wikipedia article
"Ménaka offensive" and the MEMRI JTTM report of 8 December 2023), and kept in the repository. Re-make it
when a source document changes, giving the plain-text copies of the documents:

    python -m tests.source_fingerprint WIKIPEDIA.txt MEMRI.txt > tests/source-shingles.txt
"""

import hashlib
import re
import sys
import unicodedata
from pathlib import Path

RUN = 8
FINGERPRINT = Path(__file__).with_name("source-shingles.txt")


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, as the fingerprint counts them."""
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


def shingle_hashes(text: str) -> set[str]:
    """The hash of every run of RUN consecutive words of the text."""
    ws = words(text)
    return {hashlib.blake2b(" ".join(ws[i:i + RUN]).encode(), digest_size=8).hexdigest()
            for i in range(len(ws) - RUN + 1)}


def load_fingerprint(path: Path = FINGERPRINT) -> set[str]:
    """The hashes of the sources' shingles, from the fingerprint file (lines starting with # are comments)."""
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def fingerprint(paths: list[str]) -> str:
    """The fingerprint file's text for these documents: a header, then the sorted hashes."""
    hashes = set()
    for path in paths:
        hashes |= shingle_hashes(Path(path).read_text(encoding="utf-8"))
    header = [f"# Hashes (BLAKE2b, 8 bytes) of every run of {RUN} words of the source documents, one per line.",
              "# Made by tests/source_fingerprint.py (its docstring says how to re-make it) from the plain-text",
              "# copies of: Wikipedia, \"Ménaka offensive\" (https://en.wikipedia.org/wiki/M%C3%A9naka_offensive);",
              "# MEMRI JTTM, 8 December 2023, on al-Naba' issue 420",
              "# (https://www.memri.org/jttm/islamic-state-isis-weekly-publishes-exclusive-report-alleging-dozens-casualties-among-malian).",
              "# The documents' text itself is not kept in the project."]
    return "\n".join(header + sorted(hashes)) + "\n"


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m tests.source_fingerprint DOCUMENT.txt... > tests/source-shingles.txt")
    sys.stdout.write(fingerprint(sys.argv[1:]))
