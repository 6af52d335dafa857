"""Files written whole or not at all, with the mode any reader expects: what every output of
coopgraph (dumps, the corpus manifest, a memo, the search index, a report) is written through."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# The process's umask, read once at start-up (reading it means setting it, which is not thread-safe).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def give_usual_mode(path: str | Path) -> None:
    """mkstemp makes a file 0600; an output is for its readers too: give it the mode a new file
    gets in this process (0644 under the usual umask)."""
    os.chmod(path, 0o666 & ~_UMASK)


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        give_usual_mode(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
