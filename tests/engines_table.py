"""The table of engines in docs/triplestores.md: each row is asserted by the test that ran that engine,
loaded that way, with those commands, and found every question answered as on the embedded store, so
a row is in the docs only while a test that CI runs proves it (a new version or result fails until the
row is updated)."""

from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "triplestores.md"


def row(engine: str, version: str, loaded: str, commands: str, agrees: str) -> str:
    return f"| {engine} | {version} | {loaded} | {commands} | {agrees} |"


def record(engine: str, version: str, loaded: str, commands: str, agrees: str) -> None:
    """Assert that the docs table has this row, as the calling test established it."""
    line = row(engine, version, loaded, commands, agrees)
    assert line in DOCS.read_text(encoding="utf-8").splitlines(), f"docs/triplestores.md lacks the row:\n{line}"
