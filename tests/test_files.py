"""Writing files: never over an input, never over an existing file without --force (every command that
writes), atomically (a failure leaves the old file whole and no temporary file behind), with ordinary
permissions, and no litter after SIGTERM or kill -9."""

import os
import shutil
import signal
import stat
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from menaka_kg import resources
from menaka_kg.cli import cli
from menaka_kg.files import atomic_output, write_atomically
from tests.conftest import FIXTURES


def test_a_failure_while_writing_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as out:
            out.write("half of the new")
            raise RuntimeError("the disk is full")
    assert target.read_text(encoding="utf-8") == "old" and os.listdir(tmp_path) == ["graph.ttl"]


def test_text_and_bytes_are_written_whole(tmp_path):
    write_atomically(tmp_path / "a.txt", "Ménaka\n")
    write_atomically(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.txt").read_bytes() == "Ménaka\n".encode() and (tmp_path / "b.bin").read_bytes() == b"\x00\x01"


def test_a_new_file_gets_the_umask_permissions_and_an_old_file_keeps_its_own(tmp_path):
    previous = os.umask(0o022)
    try:
        write_atomically(tmp_path / "new.ttl", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.ttl").stat().st_mode) == 0o644
    old = tmp_path / "old.ttl"
    old.write_text("x", encoding="utf-8")
    old.chmod(0o640)
    write_atomically(old, "y")
    assert stat.S_IMODE(old.stat().st_mode) == 0o640


# --- the rule for outputs: never an input, never an existing file without --force ------------------

MINIMAL = FIXTURES / "minimal.ttl"
ACLED = FIXTURES / "acled" / "menaka-2024.csv"
COMMAND = os.path.join(os.path.dirname(sys.executable), "menaka-kg")


def writes(output, data):
    """Each command that writes, reading `data` (Turtle, or the CSV for the import) and writing `output`."""
    return {
        "import acled": ["import", "acled", str(data), "-o", str(output)],
        "export": ["export", "--data", str(data), "-o", str(output)],
        "map": ["map", "--date", "2022-06", "--data", str(data), "-o", str(output)],
        "timeline": ["timeline", "Tamalat", "--data", str(data), "-o", str(output)],
    }


def input_file(tmp_path, command, name):
    """A copy of the fixture the command reads, under `name` (an output's extension, a Turtle text)."""
    path = tmp_path / name
    shutil.copy(ACLED if command == "import acled" else MINIMAL, path)
    return path


@pytest.mark.parametrize("link", ["same path", "symbolic link", "hard link"])
@pytest.mark.parametrize("command, name", [("import acled", "same.csv"), ("export", "x.ttl"), ("map", "d.html"),
                                           ("timeline", "d.svg")])
def test_an_output_that_is_an_input_is_refused(tmp_path, command, name, link):
    source = input_file(tmp_path, command, name)
    before = source.read_bytes()
    output = source
    if link != "same path":
        output = tmp_path / f"link-{name}"
        (output.symlink_to if link == "symbolic link" else output.hardlink_to)(source)
    for force in ([], ["--force"]):
        result = CliRunner().invoke(cli, writes(output, source)[command] + force)
        assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
        expected = "an input" if link == "same path" else f"the same file as the input {source}"
        assert f"cannot write {output}: it is {expected}; write the output elsewhere" in result.output
    assert source.read_bytes() == before and output.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({source.name, output.name})


def test_an_output_that_is_a_bundled_file_is_refused(tmp_path):
    link = tmp_path / "graph.ttl"
    link.symlink_to(resources.data_files()[0])
    result = CliRunner().invoke(cli, ["export", "-o", str(link), "--force"])
    assert result.exit_code == 1 and "it is the same file as the input" in result.output and link.is_symlink()


@pytest.mark.parametrize("command", ["import acled", "export", "map", "timeline"])
def test_an_existing_output_is_kept_unless_forced(tmp_path, command):
    source = input_file(tmp_path, command, "in.csv" if command == "import acled" else "in.ttl")
    output = tmp_path / {"import acled": "out.ttl", "export": "out.ttl", "map": "out.geojson", "timeline": "out.svg"}[command]
    output.write_text("mine\n", encoding="utf-8")
    refused = CliRunner().invoke(cli, writes(output, source)[command])
    assert refused.exit_code == 1 and f"{output} exists; use --force to overwrite" in refused.output
    assert output.read_text(encoding="utf-8") == "mine\n"
    forced = CliRunner().invoke(cli, writes(output, source)[command] + ["--force"])
    assert forced.exit_code == 0, forced.output
    assert output.read_text(encoding="utf-8") != "mine\n"


def test_new_report_and_map_series_follow_the_same_rule(tmp_path):
    report = tmp_path / "report.ttl"
    report.write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["new-report", "-o", str(report)])
    assert result.exit_code == 1 and "exists; use --force to overwrite" in result.output
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "map-2022-04.html").write_text("mine\n", encoding="utf-8")
    series = ["map", "--every", "month", "--from", "2022-03", "--to", "2022-05", "-o", str(maps)]
    result = CliRunner().invoke(cli, series)
    assert result.exit_code == 1 and f"{maps / 'map-2022-04.html'} exists; use --force" in result.output
    assert sorted(p.name for p in maps.iterdir()) == ["map-2022-04.html"]


def test_import_acled_to_standard_output_is_refused_not_a_file_named_dash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["import", "acled", str(ACLED), "-o", "-"])
    assert result.exit_code == 2 and "give its name, not -" in result.output
    assert list(tmp_path.iterdir()) == []


# --- no litter after a kill -----------------------------------------------------------------------------

def start_import_from_a_pipe(tmp_path, output):
    """`import acled` reading a named pipe: it has written its temporary file once the rows are flowing."""
    pipe = tmp_path / "export.csv"
    os.mkfifo(pipe)
    process = subprocess.Popen([COMMAND, "import", "acled", str(pipe), "-o", str(output), "--force"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30

    def waiting(what):
        assert time.monotonic() < deadline and process.poll() is None, (what, process.communicate())
        time.sleep(0.05)
        return True
    while waiting("the import to open the pipe"):
        try:  # without O_NONBLOCK, opening a pipe nobody reads would wait for ever
            feed = os.fdopen(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK), "w", encoding="utf-8")
            break
        except OSError:
            pass
    os.set_blocking(feed.fileno(), True)
    feed.write(ACLED.read_text(encoding="utf-8"))
    feed.flush()
    while not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")] and waiting("its temporary file"):
        pass
    return process, feed


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_during_import_acled_leaves_no_temporary_file(tmp_path, stop):
    output = tmp_path / "out.ttl"
    output.write_text("the previous import\n", encoding="utf-8")
    process, feed = start_import_from_a_pipe(tmp_path, output)
    process.send_signal(stop)
    process.communicate(timeout=30)
    feed.close()
    assert process.returncode != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", "out.ttl"]
    assert output.read_text(encoding="utf-8") == "the previous import\n"


def test_the_next_write_removes_what_a_kill_9_left(tmp_path):
    output = tmp_path / "out.ttl"
    process, feed = start_import_from_a_pipe(tmp_path, output)
    process.kill()
    process.wait()
    feed.close()
    litter = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(litter) == 1
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:  # the temporary file of a writer that still runs is left alone
        working = tmp_path / f".out.ttl.{alive.pid}-{os.uname().nodename.replace('.', '_')}.abc123.tmp"
        working.write_text("half")
        write_atomically(output, "new")
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["export.csv", "out.ttl", working.name])
    finally:
        alive.kill()
        alive.wait()
