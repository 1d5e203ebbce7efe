"""Writing files so that a failure never leaves a half-written file or clobbers the old one."""

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from menaka_kg.errors import OutputError


def _mode_for(path: Path) -> int:
    """The permissions the written file gets: the old file's, else what the umask gives a new file
    (mkstemp would leave it readable by its owner only)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_output(path, binary: bool = False):
    """A file to write `path` through: a temporary file in the same folder, renamed into place when the
    block ends without error and deleted when it raises. Text is UTF-8 with Unix line ends."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        os.fchmod(handle, _mode_for(path))
        with (os.fdopen(handle, "wb") if binary else os.fdopen(handle, "w", encoding="utf-8", newline="\n")) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(path, content: str | bytes) -> None:
    """Write `content` (text as UTF-8, or bytes) to `path` through a temporary file in the same folder,
    renamed into place at the end."""
    with atomic_output(path, binary=True) as out:
        out.write(content.encode("utf-8") if isinstance(content, str) else content)


def write_output(path, content: str | bytes) -> None:
    """write_atomically, with a failure (no such folder, no permission, a full disk) as an OutputError."""
    try:
        write_atomically(path, content)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
