"""Docs that are generated stay in step with what they document."""

from pathlib import Path

from menaka_kg.docs import queries_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_queries_doc_is_current():
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == queries_markdown(), \
        "docs/queries.md is stale: run `python -m menaka_kg.docs`"


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("```")
    first_commands = [b for b in blocks[1:4:2]]
    assert "menaka-kg query controller-at" in first_commands[0]
    assert "pytest" in first_commands[1]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = readme.split("```")[3].strip().splitlines()[-1]
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_python_example_runs(capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("```python", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "definite Islamic State in the Greater Sahara 2022-06-02 2022-06-11" in out
    assert "Labbézanga" in out and "True" in out


def test_coverage_doc_is_current():
    import menaka_kg
    from menaka_kg.docs import coverage_markdown
    assert (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8") == coverage_markdown(menaka_kg.load()), \
        "docs/coverage.md is stale: run `python -m menaka_kg.docs`"


def test_readme_shows_the_real_output_of_the_main_job():
    from click.testing import CliRunner
    from menaka_kg.cli import cli
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ menaka-kg query controller-at -p place=Andéramboukane -p date=2022-06\n", 1)[1].split("```", 1)[0]
    result = CliRunner().invoke(cli, ["query", "controller-at", "-p", "place=Andéramboukane", "-p", "date=2022-06"])
    assert result.output == shown
