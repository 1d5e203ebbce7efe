"""Where the bundled data files are: inside the installed wheel, or at the top of a source checkout."""

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_root() -> Path:
    """The folder holding `ontology/`, `data/ttl/` and `shapes/`."""
    bundled = _PACKAGE_DIR / "_data"
    return bundled if bundled.is_dir() else _PACKAGE_DIR.parent


def ontology_files() -> list[Path]:
    return sorted((data_root() / "ontology").glob("*.ttl"))


def data_files() -> list[Path]:
    return sorted((data_root() / "data" / "ttl").glob("*.ttl"))


def jsonld_context() -> Path:
    """The JSON-LD context of our exports: our prefixes."""
    return data_root() / "ontology" / "context.jsonld"


def shape_files() -> list[Path]:
    return sorted((data_root() / "shapes").glob("*.ttl"))


def part_files(include) -> list[Path]:
    """The files of the bundled parts named in `include`: ontology, data, shapes."""
    parts = {"ontology": ontology_files, "data": data_files, "shapes": shape_files}
    unknown = [part for part in include if part not in parts]
    if unknown:
        raise ValueError(f"cannot include {', '.join(unknown)}: choose among ontology, data, shapes")
    return [path for part in include for path in parts[part]()]


def queries_dir() -> Path:
    return data_root() / "queries"


def internal_query(name: str) -> str:
    return (queries_dir() / "internal" / f"{name}.rq").read_text(encoding="utf-8")


def report_template() -> Path:
    return data_root() / "data" / "templates" / "new-report.ttl"
