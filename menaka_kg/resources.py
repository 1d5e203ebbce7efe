"""Where the bundled data files are: inside the installed wheel, or at the top of a source checkout.

Paths are built with os.path, so that a stored query from the command line does not import pathlib
(docs/performance.md, cold start); the lists of files for other uses are pathlib Paths.
"""

import os

_PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))


def _data_path(*parts: str) -> str:
    """A path under the folder holding `ontology/`, `data/ttl/`, `shapes/` and `queries/`."""
    bundled = os.path.join(_PACKAGE_DIR, "_data")
    return os.path.join(bundled if os.path.isdir(bundled) else os.path.dirname(_PACKAGE_DIR), *parts)


def turtle_files(*folder: str) -> list[str]:
    """The Turtle files of a folder under the data root, sorted, as path strings."""
    path = _data_path(*folder)
    return sorted(os.path.join(path, name) for name in os.listdir(path) if name.endswith(".ttl"))


def bundled_files() -> list[str]:
    """The ontology and the curated data: the bundled graph's files, as path strings."""
    return turtle_files("ontology") + turtle_files("data", "ttl")


def cache_inputs() -> list[str]:
    """What the cache of the bundled graph is computed from: the bundled files, and the reasoning layer's
    source for the readings derived from them."""
    return bundled_files() + [os.path.join(_PACKAGE_DIR, "reasoning.py")]


def _paths(names):
    from pathlib import Path
    return [Path(name) for name in names]


def ontology_files() -> list:
    return _paths(turtle_files("ontology"))


def data_files() -> list:
    return _paths(turtle_files("data", "ttl"))


def shape_files() -> list:
    return _paths(turtle_files("shapes"))


def part_files(include) -> list:
    """The files of the bundled parts named in `include`: ontology, data, shapes."""
    parts = {"ontology": ontology_files, "data": data_files, "shapes": shape_files}
    unknown = [part for part in include if part not in parts]
    if unknown:
        raise ValueError(f"cannot include {', '.join(unknown)}: choose among ontology, data, shapes")
    return [path for part in include for path in parts[part]()]


def jsonld_context():
    """The JSON-LD context of our exports: our prefixes."""
    return _paths([_data_path("ontology", "context.jsonld")])[0]


def report_template():
    return _paths([_data_path("data", "templates", "new-report.ttl")])[0]


def queries_dir() -> str:
    return _data_path("queries")


def internal_query(name: str) -> str:
    with open(os.path.join(queries_dir(), "internal", f"{name}.rq"), encoding="utf-8") as file:
        return file.read()
