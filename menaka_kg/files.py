"""Writing files so that nothing is lost: never over an input, never over an existing file unless asked,
never half-written, and no litter left beside the target.

`check_outputs` is the one rule every command that writes applies before it starts (docs/safety.md):
an output that is one of the inputs (the same file, also through a symbolic or hard link: the same
device and inode) is refused, and so is an existing output unless `force`.
`atomic_output` writes through a temporary file beside the target, named after this process
(`.NAME.PID-HOST.RANDOM.tmp`), renamed into place at the end and deleted on an error, Ctrl-C or SIGTERM
(the CLI turns SIGTERM into an exception); what a `kill -9` left is deleted by the next write to the
same target, once its process is gone.
"""

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from menaka_kg.errors import OutputError

_HOST = os.uname().nodename.replace(".", "_")


def _identity(path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def check_outputs(outputs, inputs=(), force: bool = False) -> None:
    """Refuse to write any of `outputs` that is one of `inputs` (the same file, through any link), or
    that exists already unless `force`. "-" (standard output) is always allowed."""
    read = {}
    for path in inputs:
        if str(path) != "-" and (identity := _identity(path)):
            read.setdefault(identity, path)
    existing = []
    for path in outputs:
        if str(path) == "-" or (identity := _identity(path)) is None:
            continue
        if identity in read:
            source = read[identity]
            what = "an input" if os.path.abspath(source) == os.path.abspath(path) else f"the same file as the input {source}"
            raise OutputError(f"cannot write {path}: it is {what}; write the output elsewhere")
        if os.path.isdir(path):
            raise OutputError(f"cannot write {path}: it is a folder")
        existing.append(path)
    if existing and not force:
        if len(existing) == 1:
            raise OutputError(f"{existing[0]} exists; use --force to overwrite")
        raise OutputError(f"{existing[0]} and {len(existing) - 1} more of the outputs exist; use --force to overwrite them")


def _mode_for(path: Path) -> int:
    """The permissions the written file gets: the old file's, else what the umask gives a new file
    (mkstemp would leave it readable by its owner only)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, under another user
        return True
    return True


def _litter_pid(name: str, prefix: str) -> int | None:
    """The process id in the name of one of our temporary files for the target (`prefix`), else None."""
    if not (name.startswith(prefix) and name.endswith(".tmp")):
        return None
    pid, _, rest = name[len(prefix):].partition("-")
    return int(pid) if pid.isdigit() and rest.startswith(f"{_HOST}.") else None


def remove_litter(path: Path) -> None:
    """Delete the temporary files that writers of `path` on this host left when they were killed."""
    prefix = f".{path.name}."
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        pid = _litter_pid(entry.name, prefix)
        if pid is not None and pid != os.getpid() and not _alive(pid):
            try:
                os.remove(entry.path)
            except OSError:
                pass


@contextmanager
def atomic_output(path, binary: bool = False):
    """A file to write `path` through: a temporary file in the same folder, renamed into place when the
    block ends without error and deleted when it raises. Text is UTF-8 with Unix line ends."""
    path = Path(path)
    remove_litter(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-{_HOST}.", suffix=".tmp",
                                         dir=path.parent or ".")
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
