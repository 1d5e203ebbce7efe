"""Resolving names: an IRI, a prefixed name or any label of a place, actor, event or role."""

import unicodedata
from collections import namedtuple

from menaka_kg.errors import AmbiguousName, UnknownName
from menaka_kg.prefixes import PREFIXES

_TIERS = ("pref", "alt", "probable")


def normalize(text: str) -> str:
    """Fold case and accents and drop everything but letters and digits."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed.casefold() if c.isalnum())


class Resolution(namedtuple("Resolution", "iri kind label matched how")):
    """What a name resolved to (`iri`, its `kind` and preferred `label`) and how: the text `matched`, and
    `how` ("iri", "prefixed name", "preferred label", "alternative label" or "probable label")."""

    __slots__ = ()


class NameIndex:
    """Every label of every place, actor, event and role, by normalized form."""

    def __init__(self, rows):
        """`rows` are (node IRI, kind, label, label kind) tuples, as the internal names query gives."""
        self._entries = {}
        self._labels = {}
        self._kinds = {}
        for iri, kind, label, label_kind in rows:
            self._entries.setdefault(normalize(label), []).append((label_kind, iri, kind, label))
            if label_kind == "pref":
                self._labels[(iri, kind)] = label
            self._kinds.setdefault(iri, set()).add(kind)
            if kind == "role":
                local = iri.rsplit("#", 1)[-1]
                self._entries.setdefault(normalize(local), []).append(("alt", iri, kind, local))

    def label_of(self, iri: str, kind: str) -> str:
        return self._labels.get((iri, kind), iri)

    def _exists(self, iri: str, kind: str | None) -> str | None:
        kinds = sorted(k for k in self._kinds.get(iri, ()) if kind is None or k == kind)
        return kinds[0] if kinds else None

    def resolve(self, name: str, kind: str | None = None) -> Resolution:
        """Resolve `name` to one node of `kind` (any kind if None), or raise with candidates."""
        text = name.strip()
        what = kind or "place, actor or event"
        iri, how = self._as_iri(text)
        if iri is not None:
            found = self._exists(iri, kind)
            if found is None:
                raise UnknownName(f"no {what} with the IRI <{iri}> in the graph")
            return Resolution(iri, found, self.label_of(iri, found), text, how)
        candidates = [e for e in self._entries.get(normalize(text), []) if kind is None or e[2] == kind]
        for tier, how in zip(_TIERS, ("preferred label", "alternative label", "probable label")):
            nodes = {(iri, k): label for (label_kind, iri, k, label) in candidates if label_kind == tier}
            if len(nodes) == 1:
                (iri, found), label = next(iter(nodes.items()))
                return Resolution(iri, found, self.label_of(iri, found), label, how)
            if len(nodes) > 1:
                listed = "; ".join(f"{self.label_of(i, k)} <{i}>" for (i, k) in sorted(nodes))
                raise AmbiguousName(f"'{text}' names several {what}s: {listed}; give the IRI instead")
        raise UnknownName(f"no {what} named '{text}'{self._suggestion(text, kind)}")

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
