"""Canonical labels for blank nodes, in time polynomial in the graph (rdflib's and RDFC-1.0's
canonicalizations are exponential in the worst case: ten identical blank structures took rdflib 88 s).

The blank nodes are split into connected components (blank nodes linked by a triple); each component is
labelled on its own, so its labels depend on it alone and a diff of two exports shows only what changed.
Within a component, colour refinement (1-dimensional Weisfeiler-Leman) gives each blank node a colour from
its triples, then from its neighbours' colours, until the colours stop splitting; the components of real
data (a shape's property, an event with its place, an RDF list) come out with a colour per node. Nodes left
sharing a colour are told apart by individualization: one of them gets a colour of its own and refinement
runs again, trying each member of the first shared colour and keeping the least form, as nauty does but
without its automorphism pruning; the search stops after LEAVES complete labellings or WORK nodes coloured. Every node of a tree
that shares a colour is interchangeable with the others (colour refinement finds the automorphism classes
of trees), so there the first labelling is already the least and the labels are canonical; only graphs
that refinement cannot split (regular structures of blank nodes, which data hardly has) may get labels
that depend on the parser's, still within the bound. Identical components get the same form and are
numbered, which is canonical because they are interchangeable.
"""

import hashlib

import pyoxigraph as ox

# the search's bound, per component that refinement leaves ambiguous: complete labellings tried, and nodes
# coloured (the first labelling is always completed)
LEAVES = 64
WORK = 200_000


def _ranks(signatures: dict) -> dict:
    """Each key's rank among the distinct signatures, in sorted order."""
    order = {signature: rank for rank, signature in enumerate(sorted(set(signatures.values())))}
    return {key: order[signature] for key, signature in signatures.items()}


class _Component:
    """A connected set of blank nodes (numbers) and the triples that hold them, as text."""

    def __init__(self):
        self.nodes = []
        self.triples = []  # (subject, predicate, object): a node number or a term's N-Triples text
        self.links = {}  # node -> [(direction, predicate, node number or term text)]
        self.work = 0  # nodes coloured so far, for the search's bound

    def refine(self, colours: dict) -> dict:
        """The colours split by the neighbours' colours until they split no more, renumbered canonically."""
        count = len(set(colours.values()))
        while True:
            self.work += len(self.nodes)
            colours = _ranks({node: (colours[node], tuple(sorted(
                (direction, predicate, 0, colours[other], "") if isinstance(other, int) else (direction, predicate, 1, 0, other)
                for direction, predicate, other in self.links[node]))) for node in self.nodes})
            split = len(set(colours.values()))
            if split == count or split == len(self.nodes):
                return colours
            count = split

    def form(self, colours: dict) -> str:
        """The component's triples, sorted, with each blank node written as its colour."""
        def text(term):
            return f"_:c{colours[term]}" if isinstance(term, int) else term
        return "\n".join(sorted(f"{text(s)} {p} {text(o)} ." for s, p, o in self.triples))

    def canonical(self) -> tuple[str, dict]:
        """(the least form found, the colours that give it): a distinct colour per node."""
        if len(self.nodes) == 1:
            colours = {self.nodes[0]: 0}
            return self.form(colours), colours
        leaves = []
        branches = [iter([self.refine(dict.fromkeys(self.nodes, 0))])]  # depth first, without recursion
        while branches and not (leaves and (len(leaves) >= LEAVES or self.work > WORK)):
            colours = next(branches[-1], None)
            if colours is None:
                branches.pop()
            elif len(set(colours.values())) == len(self.nodes):
                leaves.append((self.form(colours), colours))
            else:
                branches.append(self._individualized(colours))
        return min(leaves, key=lambda leaf: leaf[0])

    def _individualized(self, colours: dict):
        """The refined colours with each member of the first shared colour given a colour of its own."""
        cells = {}
        for node in self.nodes:
            cells.setdefault(colours[node], []).append(node)
        cell = min(colour for colour, members in cells.items() if len(members) > 1)
        for member in cells[cell]:
            yield self.refine(_ranks({node: (colours[node], node == member) for node in self.nodes}))


def _components(triples) -> tuple[list[_Component], dict[int, str]]:
    """The blank nodes of the triples, in connected components, each with its triples."""
    numbers, parent = {}, []

    def number(term):
        if term.value not in numbers:
            numbers[term.value] = len(parent)
            parent.append(len(parent))
        return numbers[term.value]

    def root(node):
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    encoded = []
    for triple in triples:
        s = number(triple.subject) if isinstance(triple.subject, ox.BlankNode) else str(triple.subject)
        o = number(triple.object) if isinstance(triple.object, ox.BlankNode) else str(triple.object)
        if isinstance(s, int) and isinstance(o, int):
            parent[root(s)] = root(o)
        encoded.append((s, str(triple.predicate), o))
    components = {}
    for node in range(len(parent)):
        component = components.setdefault(root(node), _Component())
        component.nodes.append(node)
        component.links[node] = []
    for s, p, o in encoded:
        component = components[root(s if isinstance(s, int) else o)]
        component.triples.append((s, p, o))
        if isinstance(s, int):
            component.links[s].append((0, p, o))
        if isinstance(o, int):
            component.links[o].append((1, p, s))
    return list(components.values()), {number: value for value, number in numbers.items()}


def canonical_labels(triples, prefix: str) -> dict[str, str]:
    """A label for each blank node of `triples` (each having one), by its value: `prefix-DIGEST-N`, where
    DIGEST is that of its component's canonical form and N its colour there."""
    components, values = _components(triples)
    forms = sorted(((component.canonical(), component) for component in components), key=lambda item: item[0][0])
    labels, seen = {}, {}
    for (form, colours), component in forms:
        digest = hashlib.blake2b(form.encode(), digest_size=8).hexdigest()
        copy = seen[digest] = seen.get(digest, -1) + 1  # identical components, or (hardly ever) equal digests
        name = digest if copy == 0 else f"{digest}x{copy}"
        for node in component.nodes:
            labels[values[node]] = f"{prefix}-{name}-{colours[node]}"
    return labels
