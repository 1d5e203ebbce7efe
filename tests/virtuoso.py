"""A real OpenLink Virtuoso server for the tests: Debian's virtuoso-opensource (7.2), started on 127.0.0.1
with a database of its own in a temporary folder, as its Debian package and docs/triplestores.md say.

The configuration is Debian's /etc/virtuoso-opensource-7/virtuoso.ini cut down to what a server needs,
with the ports on loopback and the temporary folder in DirsAllowed (for the bulk loader). A new
database has the user dba with the password dba, who may write through the Graph Store endpoint
/sparql-graph-crud-auth (HTTP Digest). ResultSetMaxRows stays at Debian's 10,000.
"""

import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from menaka_kg.server import free_port

USER = PASSWORD = "dba"

INI = """[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {folder}/virtuoso-temp.db
TransactionFile    = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = ., {folder}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
CaseMode           = 2

[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = /var/lib/virtuoso-opensource-7/vsp
ServerThreads      = 10
Charset            = UTF-8

[SPARQL]
ResultSetMaxRows           = 10000
MaxQueryExecutionTime      = 120
MaxQueryCostEstimationTime = 400
"""


def commands() -> tuple[str, str]:
    """The server and its SQL client (virtuoso-t, isql-vt), or an AssertionError naming the package."""
    server, client = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    assert server and client, "Virtuoso is not installed: apt-get install virtuoso-opensource"
    return server, client


def version() -> str:
    server, _ = commands()
    done = subprocess.run([server, "-?"], capture_output=True, text=True)
    text = done.stdout + done.stderr
    line = next((line for line in text.splitlines() if "Version" in line), "")
    return line.split("Version", 1)[1].split("as of")[0].strip() if line else "unknown"


class Virtuoso:
    """A running server: its SPARQL endpoint, Graph Store URL and SQL port."""

    def __init__(self, folder: Path, wait: float = 120):
        server, self.client = commands()
        self.folder = folder
        self.sql_port, http_port = free_port(), free_port()
        (folder / "virtuoso.ini").write_text(INI.format(folder=folder, sql_port=self.sql_port, http_port=http_port))
        self.process = subprocess.Popen([server, "+configfile", str(folder / "virtuoso.ini"), "+foreground"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder)
        base = f"http://127.0.0.1:{http_port}"
        self.endpoint, self.store = f"{base}/sparql", f"{base}/sparql-graph-crud-auth"
        deadline = time.monotonic() + wait
        while True:
            assert self.process.poll() is None, (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
            try:
                with urllib.request.urlopen(f"{self.endpoint}?query=ASK%7B%7D", timeout=2):
                    return
            except OSError:
                assert time.monotonic() < deadline, f"Virtuoso did not answer on {base} within {wait:g} s"
                time.sleep(0.3)

    def isql(self, *statements: str) -> str:
        """Run SQL statements as dba; their output (an AssertionError with it when one fails)."""
        script = "".join(f"{statement};\n" for statement in statements)
        done = subprocess.run([self.client, str(self.sql_port), USER, PASSWORD], input=script, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0 and "*** Error" not in done.stdout, done.stdout + done.stderr
        return done.stdout

    def bulk_load(self, path: Path, graph: str) -> None:
        """Load a file with the bulk loader, as OpenLink documents it (ld_dir, rdf_loader_run, checkpoint)."""
        self.isql(f"ld_dir('{path.parent}', '{path.name}', '{graph}')", "rdf_loader_run()", "checkpoint")
        errors = self.isql(f"SELECT ll_error FROM DB.DBA.load_list WHERE ll_file LIKE '%{path.name}' AND ll_error IS NOT NULL")
        assert "0 Rows" in errors, errors

    def clear(self, graph: str) -> None:
        self.isql(f"SPARQL CLEAR GRAPH <{graph}>")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
