"""Resolving names: an IRI, a prefixed name or any label of a place, actor, event or role.

One matcher serves `menaka-kg resolve`, the stored queries' name parameters and the ACLED import: a name
is compared with every label after `normalize`, preferred labels first, then alternative labels, then the
names ACLED uses for the node (`mk:acledActorName`, data/ttl/acled-names.ttl), then probable labels. A
name that matches nothing as written is tried in ACLED's forms (docs/acled.md, *Matching*): without a
trailing "(period)" or "(country)", and as "ABBREVIATION: full name", where the abbreviation must match
and the full name, if it matches, must match the same node.
"""

import unicodedata
from collections import namedtuple

from menaka_kg.errors import AmbiguousName, UnknownName
from menaka_kg.prefixes import PREFIXES

# label kinds of the names query, in the order they are tried, and how a match by each is reported
_TIERS = (("pref", "preferred label"), ("alt", "alternative label"), ("acled", "ACLED name"),
          ("probable", "probable label"))
_JOINERS = {**dict.fromkeys("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
            **dict.fromkeys("'\u2018\u2019\u02bc\u02bb`\u00b4", "'")}


def normalize(text: str) -> str:
    """Fold case and accents, drop spacing, and drop the hyphens and apostrophes that join two letters or
    digits ("Ti-n-Fadimata", "Jama'at", "Islamic State – Sahel Province"). Every other character counts:
    "-Tamalat" and "Tamalat." are not "Tamalat"."""
    chars = [c for c in unicodedata.normalize("NFKD", text.casefold())
             if not c.isspace() and not unicodedata.combining(c)]
    kept = []
    for i, c in enumerate(chars):
        joiner = _JOINERS.get(c)
        if joiner is None:
            kept.append(c)
        elif not (0 < i < len(chars) - 1 and chars[i - 1].isalnum() and chars[i + 1].isalnum()):
            kept.append(joiner)
    return "".join(kept)


def _is_period(text: str) -> bool:
    """ACLED's period of a state force: "2021-" or "2013-2020"."""
    start, dash, end = (part.strip() for part in text.partition("-"))
    return bool(dash) and len(start) == 4 and start.isdigit() and (not end or (len(end) == 4 and end.isdigit()))


def acled_forms(name: str, countries=frozenset()) -> list[tuple[str, str]]:
    """The shorter forms of an ACLED actor name, as (form, role) pairs: the name without a trailing bracket
    that holds a period or a country (`countries`: normalized names) has role "base"; split at ': ', the
    abbreviation has role "abbreviation" and the full name "full name". (String methods rather than
    regular expressions, so that the query path does not import `re`.)"""
    forms = []
    opening = name.rfind("(")
    if name.endswith(")") and opening > 0:
        inner, base = name[opening + 1:-1], name[:opening].rstrip()
        if base and ")" not in inner and (_is_period(inner) or normalize(inner) in countries):
            name = base
            forms.append((name, "base"))
    abbreviation, colon, full = name.partition(":")
    if colon and 0 < len(abbreviation) <= 20 and not any(c.isspace() for c in abbreviation) \
            and full[:1].isspace() and full.strip():
        forms += [(abbreviation, "abbreviation"), (full.strip(), "full name")]
    return forms


_VARIANTS = None


def label_pattern(name: str) -> str:
    """A regular expression (SPARQL's REGEX, with the "i" flag) that every label with the normalized form
    of `name` matches: each letter or digit of that form, in any case or accented form, with anything but
    ASCII letters and digits around them. It matches more than that; `NameIndex` then decides. (A remote
    endpoint is asked for the labels it matches rather than for every label.)"""
    global _VARIANTS
    if _VARIANTS is None:
        _VARIANTS = {}
        for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
            folded = normalize(chr(code))
            if len(folded) == 1 and folded.isascii():
                _VARIANTS[folded] = _VARIANTS.get(folded, folded) + chr(code)
    gap = "[^A-Za-z0-9]*"
    letters = (f"[{_VARIANTS[c]}]" if c in _VARIANTS else c for c in normalize(name))
    return "^" + gap + gap.join(letters) + gap + "$"


class Resolution(namedtuple("Resolution", "iri kind label matched how")):
    """What a name resolved to (`iri`, its `kind` and preferred `label`) and how: the text `matched`, and
    `how` ("iri", "prefixed name", "preferred label", "alternative label", "ACLED name" or "probable
    label", followed by ", ACLED form" when a shorter form of an ACLED name matched)."""

    __slots__ = ()


class NameIndex:
    """Every label of every place, actor, event and role, by normalized form."""

    def __init__(self, rows):
        """`rows` are (node IRI, kind, label, label kind) tuples, as the internal names query gives; rows of
        kind "country" only say which names are countries (for ACLED's "Civilians (Mali)")."""
        self._entries = {}
        self._labels = {}
        self._kinds = {}
        self._countries = set()
        for iri, kind, label, label_kind in rows:
            if kind == "country":
                self._countries.add(normalize(label))
                continue
            self._entries.setdefault(normalize(label), []).append((label_kind, iri, kind, label))
            if label_kind == "pref":
                self._labels[(iri, kind)] = label
            self._kinds.setdefault(iri, set()).add(kind)
            if kind == "role":
                local = iri.rsplit("#", 1)[-1]
                self._entries.setdefault(normalize(local), []).append(("alt", iri, kind, local))

    def label_of(self, iri: str, kind: str) -> str:
        return self._labels.get((iri, kind), iri)

    def has_label(self, text: str) -> bool:
        """Whether any node has a label that normalizes as `text` does."""
        return normalize(text) in self._entries

    def is_country(self, text: str) -> bool:
        return normalize(text) in self._countries

    def _exists(self, iri: str, kind: str | None) -> str | None:
        kinds = sorted(k for k in self._kinds.get(iri, ()) if kind is None or k == kind)
        return kinds[0] if kinds else None

    def resolve(self, name, kind: str | None = None, accept=None, probable: bool = True) -> Resolution:
        """Resolve `name` to one node of `kind` (any kind if None), or raise with candidates. `accept(iri)`
        narrows the candidates; `probable=False` leaves probable labels out."""
        found = self.find(name, kind, accept, probable)
        if found is None:
            raise UnknownName(f"no {kind or 'place, actor or event'} named '{name.strip()}'{self._suggestion(name, kind)}")
        return found

    def find(self, name, kind: str | None = None, accept=None, probable: bool = True) -> Resolution | None:
        """As `resolve`, but None for a name that matches nothing (no suggestions are looked for)."""
        if not isinstance(name, str) or not name.strip():
            raise UnknownName(f"a name is needed, not {name!r}")
        text = name.strip()
        what = kind or "place, actor or event"
        iri, how = self._as_iri(text)
        if iri is not None:
            found = self._exists(iri, kind)
            if found is None:
                raise UnknownName(f"no {what} with the IRI <{iri}> in the graph")
            return Resolution(iri, found, self.label_of(iri, found), text, how)
        found = self._match(text, kind, accept, probable, what)
        return found if found is not None else self._match_acled_forms(text, kind, accept, probable, what)

    def _match(self, text, kind, accept, probable, what) -> Resolution | None:
        candidates = [e for e in self._entries.get(normalize(text), ())
                      if (kind is None or e[2] == kind) and (accept is None or accept(e[1]))]
        for tier, how in _TIERS:
            if tier == "probable" and not probable:
                break
            nodes = {(iri, k): label for (label_kind, iri, k, label) in candidates if label_kind == tier}
            if len(nodes) == 1:
                (iri, found), label = next(iter(nodes.items()))
                return Resolution(iri, found, self.label_of(iri, found), label, how)
            if len(nodes) > 1:
                listed = "; ".join(f"{self.label_of(i, k)} <{i}>" for (i, k) in sorted(nodes))
                raise AmbiguousName(f"'{text}' names several {what}s: {listed}; give the IRI instead")
        return None

    def _match_acled_forms(self, text, kind, accept, probable, what) -> Resolution | None:
        found = {}
        for form, role in acled_forms(text, self._countries):
            if role == "full name" and not found.get("abbreviation"):
                break  # the abbreviation identifies the actor; a full name alone is not enough
            found[role] = self._match(form, kind, accept, probable, what)
        matches = [r for r in found.values() if r is not None]
        if not matches:
            return None
        if len({(r.iri, r.kind) for r in matches}) > 1:
            listed = "; ".join(f"{r.label} <{r.iri}> ('{r.matched}')" for r in matches)
            raise AmbiguousName(f"'{text}' names several {what}s: {listed}; give the IRI instead")
        first = matches[0]
        return first._replace(how=f"{first.how}, ACLED form")

    def _as_iri(self, text: str) -> tuple[str | None, str]:
        if text.startswith("<") and text.endswith(">"):
            return text[1:-1], "iri"
        if text.startswith(("http://", "https://")):
            return text, "iri"
        prefix, colon, local = text.partition(":")
        if colon and prefix in PREFIXES and " " not in text:
            return PREFIXES[prefix] + local, "prefixed name"
        return None, ""

    def _suggestion(self, text: str, kind: str | None) -> str:
        import difflib

        names = {}
        for key, entries in self._entries.items():
            for label_kind, iri, k, label in entries:
                if kind is None or k == kind:
                    preferred = self.label_of(iri, k)
                    names.setdefault(key, label if label == preferred else f"{label} ({preferred})")
        close = difflib.get_close_matches(normalize(text), list(names), n=5, cutoff=0.6)
        suggestions = sorted(dict.fromkeys(names[c] for c in close))
        return f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
