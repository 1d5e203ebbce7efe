"""Apache Jena ARQ from Debian (libapache-jena-java) for the tests: `arq.sparql --data FILE --query Q`.

The Debian package ships the jars without command-line wrappers, so the command is `java -cp … arq.sparql`
with the classpath written out here once: Jena's jars and those of the Debian packages it depends on.
One fix is needed: Debian's jena-core moved the Xerces classes Jena embeds to the package `xerces` but
left their message files under org/apache/jena/ext/xerces/, so the first datatype Jena builds fails
("java.lang.RuntimeException: internal error" in XSSimpleTypeDecl). `classpath()` copies those message
files to where the classes look for them (xerces/impl/msg/…, xerces/impl/xpath/regex/…), in a folder put
first on the classpath.
"""

import shutil
import subprocess
import zipfile
from pathlib import Path

JAVA = Path("/usr/share/java")
# Jena's jars and their Debian dependencies (apt-cache depends libapache-jena-java), by their unversioned names.
JARS = ("jena-arq", "jena-base", "jena-core", "jena-cmds", "jena-iri", "jena-dboe-base", "jena-dboe-index",
        "jena-dboe-storage", "jena-dboe-trans-data", "jena-dboe-transaction", "jena-tdb", "jena-tdb2",
        "jena-rdfconnection", "jena-shacl", "jena-shex", "commons-cli", "commons-codec", "commons-compress",
        "commons-csv", "commons-io", "commons-lang3", "dexx.collection", "gson", "guava", "httpclient", "httpcore",
        "jackson-core", "jackson-databind", "jackson-annotations", "jsonld-java", "jakarta.json-api", "protobuf",
        "slf4j-api", "slf4j-nop", "thrift", "titanium-json-ld", "commons-logging")
_MOVED = "org/apache/jena/ext/"


def classpath(folder: Path) -> str:
    """The classpath of Debian's Jena, with the Xerces message files put back under `folder`; an
    AssertionError naming the package when it is not installed."""
    assert shutil.which("java"), "Java is not installed: apt-get install default-jre-headless"
    missing = [name for name in JARS if not (JAVA / f"{name}.jar").exists()]
    assert not missing, f"Jena is not installed (no {', '.join(missing)}): apt-get install libapache-jena-java"
    with zipfile.ZipFile(JAVA / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(_MOVED + "xerces/") and name.endswith(".properties"):
                target = folder / name[len(_MOVED):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return ":".join([str(folder), *(str(JAVA / f"{name}.jar") for name in JARS)])


def version(path: str) -> str:
    out = subprocess.run(["java", "-cp", path, "arq.sparql", "--version"], capture_output=True, text=True, timeout=120)
    line = next((line for line in out.stdout.splitlines() if "VERSION:" in line), "")
    return line.split("VERSION:", 1)[1].strip() if line else "unknown"


def sparql(path: str, data: Path, query: Path) -> bytes:
    """ARQ's answer to the query file over the data file, as SPARQL JSON results."""
    done = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-cp", path, "arq.sparql", "--data", str(data),
                           "--query", str(query), "--results", "JSON"], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout
