"""One stable colour per actor, the same in every picture (timeline, map, docs images)."""

import hashlib

from menaka_kg.prefixes import PREFIXES

ACTOR = PREFIXES["actor"]

# The actors that hold places in data/ttl/control.ttl, and their allies and patrons, from the
# colour-blind-safe palettes of Okabe & Ito (2008) and Paul Tol (muted), each used once.
# Enemies get far-apart hues; allies of one camp share a family but stay distinct.
ACTOR_COLOURS = {
    # jihadist groups
    "isgs": "#d55e00",  # vermillion: Islamic State in the Greater Sahara
    "islamic-state": "#882255",  # wine: the central Islamic State
    "jnim": "#cc79a7",  # reddish purple: JNIM (al-Qaeda)
    # signatory armed groups (blues)
    "msa": "#0072b2",  # blue: Movement for the Salvation of Azawad
    "gatia": "#56b4e9",  # sky blue: GATIA (Imghad Tuareg Self-Defense Group and Allies)
    "cma": "#332288",  # indigo: Coordination of Azawad Movements
    "plateforme": "#44aa99",  # teal: the Platform coalition
    # states and their partners
    "fama": "#009e73",  # bluish green: Malian Armed Forces
    "wagner": "#000000",  # black: Wagner Group
    "niger-armed-forces": "#999933",  # olive: Niger's armed forces
    "barkhane": "#e69f00",  # orange: Operation Barkhane
    "takuba": "#ddcc77",  # sand: Task Force Takuba
    "takuba-czech-contingent": "#aa4499",  # purple: Takuba's Czech contingent
}

# Any other actor (an added report, imported ACLED actors): a colour chosen by a hash of its IRI, from
# colours not in the table above, so that an unlisted actor never passes for a listed one.
FALLBACK_COLOURS = ["#88ccee", "#117733", "#661100", "#6699cc", "#aa4466", "#888888", "#997700", "#5e3c99"]

# Opacity of a control assertion by its certainty (docs/time.md).
CERTAINTY_ALPHA = {"definite": 1.0, "presumed": 0.55, "possible": 0.3}


def actor_colour(iri: str) -> str:
    """The '#rrggbb' colour of the actor `iri`, whatever other actors are drawn beside it."""
    local_name = iri[len(ACTOR):] if iri.startswith(ACTOR) else None
    if local_name in ACTOR_COLOURS:
        return ACTOR_COLOURS[local_name]
    digest = hashlib.sha256(iri.encode("utf-8")).digest()
    return FALLBACK_COLOURS[int.from_bytes(digest[:4], "big") % len(FALLBACK_COLOURS)]
