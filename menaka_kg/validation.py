"""Validating graphs against the SHACL shapes, with results a program (or the CLI) can read."""

from dataclasses import dataclass

from rdflib import Graph
from rdflib.term import Node

from menaka_kg import resources
from menaka_kg.graph import parse_files
from menaka_kg.namespaces import SH


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: what is wrong with which node."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str
    component: str
    source_shape: Node


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    results: list[ValidationResult]
    report_graph: Graph


def load_shapes() -> Graph:
    return parse_files(resources.shape_files())


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def validate(data_graph: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate `data_graph` (which should include the ontology) without changing it."""
    from pyshacl import validate as pyshacl_validate

    conforms, report_graph, _ = pyshacl_validate(
        data_graph, shacl_graph=shapes if shapes is not None else load_shapes(),
        inference="none", inplace=False, allow_warnings=False,
    )
    results = []
    for result in report_graph.objects(None, SH.result):
        value = report_graph.value(result, SH.value)
        results.append(ValidationResult(
            focus=report_graph.value(result, SH.focusNode),
            path=report_graph.value(result, SH.resultPath),
            value=value,
            message=str(report_graph.value(result, SH.resultMessage) or ""),
            severity=_local(report_graph.value(result, SH.resultSeverity)),
            component=_local(report_graph.value(result, SH.sourceConstraintComponent)),
            source_shape=report_graph.value(result, SH.sourceShape),
        ))
    results.sort(key=lambda r: (str(r.focus), str(r.path), r.component, str(r.value)))
    return ValidationReport(conforms=conforms, results=results, report_graph=report_graph)
