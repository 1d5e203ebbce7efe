"""Writing files so that a failure never leaves a half-written file or clobbers the old one."""

import os
import tempfile
from pathlib import Path


def write_atomically(path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, renamed into place at the end."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
