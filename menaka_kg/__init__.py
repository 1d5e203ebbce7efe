"""menaka-kg: a temporal knowledge graph of the Ménaka offensive (Mali, 2022-2023)."""

from menaka_kg.graph import load_graph

__all__ = ["load_graph"]
__version__ = "0.1.0"
