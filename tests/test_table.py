"""The default table fits the terminal: long names shortened with an ellipsis, the least useful columns left
out and named; --wide and piped output give every column in full."""

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest
from click.testing import CliRunner

import menaka_kg
from menaka_kg.cli import cli
from menaka_kg.results import display_width

COMMAND = os.path.join(os.path.dirname(sys.executable), "menaka-kg")
ARGS = ["query", "controller-at", "-p", "place=Andéramboukane", "-p", "date=2022-06"]


@pytest.fixture(scope="module")
def answer():
    return menaka_kg.load().query("controller-at", place="Andéramboukane", date="2022-06")


@pytest.mark.parametrize("width", [80, 120, 60])
def test_the_table_fits_the_width_and_says_what_it_left_out(answer, width):
    lines = answer.to_table(width).splitlines()
    assert all(display_width(line) <= width for line in lines), lines  # the note under it too
    assert lines[0].split()[:2] == ["controller", "certainty"]
    rows, note = lines[2:7], " ".join(line.strip() for line in lines[7:])
    assert note.startswith("(5 rows; left out: ") and "assertion" in note and "--wide" in note
    assert any("…" in line for line in rows) or width >= 120


def test_a_wide_enough_width_keeps_every_column_in_full(answer):
    full = answer.to_table()
    assert answer.to_table(max(len(line) for line in full.splitlines()) + 5) == full


def test_piped_output_and_wide_keep_the_full_table(answer):
    full = answer.to_table()
    assert max(len(line) for line in full.splitlines()) > 250
    assert CliRunner().invoke(cli, ARGS).output == full
    assert CliRunner().invoke(cli, ARGS + ["--wide"]).output == full
    assert subprocess.run([COMMAND, *ARGS], capture_output=True, text=True).stdout == full


def in_a_terminal(args, columns: int) -> str:
    """What `menaka-kg ARGS` prints in a pseudo-terminal `columns` wide."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    process = subprocess.Popen([COMMAND, *args], stdout=follower, stderr=follower, stdin=follower, env=environment)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(leader)
    return output.decode("utf-8").replace("\r\n", "\n")


@pytest.mark.parametrize("args", [ARGS, ARGS + ["-f", "table"], ARGS + ["--data", "/dev/null"]])
def test_query_in_a_terminal_fits_it(answer, args):
    """The quick path (menaka_kg.entry) and the click CLI (--data takes it there) alike."""
    shown = in_a_terminal(args, 100)
    assert shown == answer.to_table(100)
    assert all(display_width(line) <= 100 for line in shown.splitlines())
    assert in_a_terminal(args + ["--wide"], 100) == answer.to_table()


def test_display_width_counts_wide_and_combining_characters():
    assert display_width("Ménaka") == 6
    assert display_width("Me\u0301naka") == 6  # e + combining acute
    assert display_width("地图") == 4
