"""A private Virtuoso instance, started from Debian's package for tests and benchmarks.

Never the packaged service: a copy of the stock virtuoso.ini with its database in a directory
of our own, both ports bound to 127.0.0.1, and SPARQL Update granted to the endpoint's user so
that `sparql:URL` stores can load. Usage:

    with LocalVirtuoso(workdir) as virtuoso:
        store = SparqlStore(base, virtuoso.sparql_url)
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support.ports import free_port
from tests.support.processes import stop_process

STOCK_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


class LocalVirtuoso:
    """virtuoso-t in the foreground, on free loopback ports, in `workdir`; stopped on exit."""

    def __init__(self, workdir: Path, buffers: int = 170_000, query_seconds: int = 60, max_rows: int = 1_000_000):
        self.workdir = workdir
        self.isql_port = free_port()
        self.http_port = free_port()
        self.buffers, self.query_seconds, self.max_rows = buffers, query_seconds, max_rows
        self.process: subprocess.Popen[bytes] | None = None
        self.log: Any = None

    @property
    def sparql_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @staticmethod
    def available() -> bool:
        return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None and STOCK_INI.is_file()

    def _write_ini(self) -> Path:
        ini = configparser.RawConfigParser(strict=False, inline_comment_prefixes=(";",))
        ini.optionxform = str  # type: ignore[assignment,method-assign]
        ini.read(STOCK_INI)
        db = self.workdir
        for key, name in (("DatabaseFile", "virtuoso.db"), ("ErrorLogFile", "virtuoso.log"), ("LockFile", "virtuoso.lck"),
                          ("TransactionFile", "virtuoso.trx"), ("xa_persistent_file", "virtuoso.pxa")):
            ini.set("Database", key, str(db / name))
        ini.set("TempDatabase", "DatabaseFile", str(db / "virtuoso-temp.db"))
        ini.set("TempDatabase", "TransactionFile", str(db / "virtuoso-temp.trx"))
        ini.set("Parameters", "ServerPort", f"127.0.0.1:{self.isql_port}")
        ini.set("Parameters", "DirsAllowed", f"., {db}, /usr/share/virtuoso-opensource-7/vad")
        ini.set("Parameters", "NumberOfBuffers", str(self.buffers))
        ini.set("Parameters", "MaxDirtyBuffers", str(self.buffers * 3 // 4))
        ini.set("HTTPServer", "ServerPort", f"127.0.0.1:{self.http_port}")
        ini.set("SPARQL", "ResultSetMaxRows", str(self.max_rows))
        ini.set("SPARQL", "MaxQueryExecutionTime", str(self.query_seconds))
        ini.set("SPARQL", "MaxQueryCostEstimationTime", str(self.query_seconds * 10))
        path = db / "virtuoso.ini"
        with path.open("w") as handle:
            ini.write(handle)
        return path

    def isql(self, statement: str) -> str:
        result = subprocess.run(["isql-vt", f"127.0.0.1:{self.isql_port}", "dba", "dba", f"exec={statement}"],
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0 or "*** Error" in result.stdout:
            raise RuntimeError(f"isql: {statement}: {result.stdout[-500:]} {result.stderr[-500:]}")
        return result.stdout

    def start(self, timeout: float = 120) -> LocalVirtuoso:
        self.workdir.mkdir(parents=True, exist_ok=True)
        ini = self._write_ini()
        self.log = (self.workdir / "stdout.log").open("wb")
        self.process = subprocess.Popen(["virtuoso-t", "+configfile", str(ini), "+foreground"], cwd=self.workdir,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t stopped at start-up: {(self.workdir / 'virtuoso.log').read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(self.sparql_url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            self.stop()
            raise RuntimeError("virtuoso-t did not answer in time")
        self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        return self

    def read_only(self) -> LocalVirtuoso:
        """Take from the SPARQL endpoint's user the rights to write and to sponge (fetch a URL into a
        graph): what the README asks of a server coopgraph serves from. Load the graph first."""
        self.isql('REVOKE SPARQL_UPDATE FROM "SPARQL";')
        self.isql('REVOKE SPARQL_SPONGE FROM "SPARQL";')
        return self

    def bulk_load(self, file: Path, graph: str) -> None:
        """Virtuoso's own bulk loader, for big files: replaces nothing, so load into an empty graph."""
        target = self.workdir / file.name
        if not target.exists():
            try:
                os.link(file, target)
            except OSError:
                shutil.copyfile(file, target)
        self.isql(f"ld_dir('{self.workdir}', '{file.name}', '{graph}'); rdf_loader_run(); checkpoint;")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            stop_process(self.process, 30)
        self.process = None
        if self.log is not None:
            self.log.close()
            self.log = None

    def __enter__(self) -> LocalVirtuoso:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
