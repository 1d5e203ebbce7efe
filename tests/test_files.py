"""Writing files atomically: a failure leaves the old file whole and no temporary file behind; the new
file gets ordinary permissions."""

import os
import stat

import pytest

from menaka_kg.files import atomic_output, write_atomically


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
