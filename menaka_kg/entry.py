"""The `menaka-kg` command's entry point.

The commonest call, `menaka-kg query NAME -p KEY=VALUE… [-f FORMAT]` on the bundled graph, is answered
without importing click, which would take longer than the query itself (docs/performance.md, cold
start). Anything else, and any call that fails, goes to the click CLI (menaka_kg.cli), so the output and
the errors are the CLI's own.
"""

import os
import sys


def split_param(text: str) -> tuple[str, str] | None:
    """KEY=VALUE as (KEY, VALUE); None when it is not of that form."""
    key, sep, value = text.partition("=")
    return (key.strip(), value) if sep and key.strip() else None


def quick_query(args: list[str]) -> str | None:
    """The output of `query NAME [-p KEY=VALUE]… [-f FORMAT] [--timeout SECONDS] [--store DIR]` on the
    bundled graph or a store (also MENAKA_KG_STORE), or None when the call needs the click CLI (other
    options, --help, an endpoint, or an error to report)."""
    if len(args) < 2 or args[0] != "query" or args[1].startswith("-") or os.environ.get("MENAKA_KG_ENDPOINT"):
        return None
    from menaka_kg.results import FORMATS, terminal_width
    params, fmt, timeout, rest = {}, "table", None, []
    for arg in args[2:]:  # click's joined forms (-pKEY=VALUE, --param=KEY=VALUE) as two arguments
        if arg.startswith("-p") and len(arg) > 2 and not arg.startswith("--"):
            rest += ["-p", arg[2:]]
        elif arg.startswith(("--param=", "--store=", "--format=", "--timeout=")):
            rest += arg.split("=", 1)
        elif arg != "--wide":
            rest.append(arg)
    store = os.environ.get("MENAKA_KG_STORE")
    while rest:
        if len(rest) < 2:
            return None
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag in ("-p", "--param") and (pair := split_param(value)) and pair[0] not in params:
            params[pair[0]] = pair[1]
        elif flag in ("-f", "--format") and value in FORMATS:
            fmt = value
        elif flag == "--timeout" and timeout is None:
            timeout = value
        elif flag == "--store":
            store = value
        else:
            return None
    from menaka_kg.errors import QueryTimeout
    try:
        from menaka_kg.api import load, open_store
        kg = open_store(store) if store else load()
        kg.timeout = timeout
        output = kg.query(args[1], **params).format(fmt, None if "--wide" in args else terminal_width())
        if store and (note := kg.database.note()):
            sys.stderr.write(note + "\n")
        return output
    except QueryTimeout:  # running it again would wait as long again
        raise
    except Exception:  # the click CLI runs the call again and reports the error its own way
        return None


def main():
    from menaka_kg.errors import QueryTimeout
    try:
        output = quick_query(sys.argv[1:])
    except QueryTimeout as error:  # said as the click CLI says an error
        sys.stderr.write(f"Error: {error}\n")
        sys.exit(1)
    if output is None:
        from menaka_kg.cli import main as cli_main
        return cli_main()
    try:
        sys.stdout.write(output)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (e.g. `head`) closed the pipe: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
