"""Progress for the commands that take seconds (build, load, validate, synthetic), on a terminal only.

Nothing is drawn for the first second, so quick runs stay quiet, and nothing at all when stderr is
not a terminal (a pipe, a log, CI): output that is read by programs never carries progress. The
display is transient: once the work ends, only the commands' own lines remain.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn

SHOW_AFTER = 1.0  # seconds of work before anything is drawn


class Working:
    """One piece of work in progress: `advance` when its size is known, `note` for a line of output."""

    def __init__(self, description: str, total: int | None):
        self.console = Console(stderr=True)
        columns = [SpinnerColumn(), TextColumn("{task.description}")]
        if total is not None:
            columns += [BarColumn(), TaskProgressColumn()]
        self.progress = Progress(*columns, TimeElapsedColumn(), console=self.console, transient=True,
                                 redirect_stdout=False, redirect_stderr=False)
        self.task = self.progress.add_task(description, total=total)
        self.shown = False
        self._lock = threading.Lock()

    def show(self) -> None:
        with self._lock:
            if not self.shown and self.console.is_terminal:
                self.progress.start()
                self.shown = True

    def hide(self) -> None:
        with self._lock:
            if self.shown:
                self.progress.stop()
                self.shown = False

    def advance(self, amount: int = 1) -> None:
        self.progress.advance(self.task, amount)

    def describe(self, description: str) -> None:
        self.progress.update(self.task, description=description)

    def note(self, line: str, err: bool = False) -> None:
        """A line of the command's output (on stdout, or stderr with `err`), printed above the
        display while it is drawn."""
        if self.shown and (err or sys.stdout.isatty()):
            self.progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(line, err=err)


@contextlib.contextmanager
def working(description: str, total: int | None = None) -> Iterator[Working]:
    """Progress shown on stderr after a second of work, when stderr is a terminal; a bar when the
    total is known, else a spinner with the time spent."""
    work = Working(description, total)
    timer = threading.Timer(SHOW_AFTER, work.show)
    timer.daemon = True
    timer.start()
    try:
        yield work
    finally:
        timer.cancel()
        work.hide()
