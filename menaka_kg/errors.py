"""The few exceptions the library raises, each message one line a user can act on, and the one place that
shortens the values a message echoes (`shown`) and makes a message one line (`one_line`)."""


class MenakaError(Exception):
    """Base class: something the user asked cannot be done as asked (exit code 1 at the CLI)."""


class UnknownName(MenakaError):
    """A place, actor, event or role name that matches nothing."""


class AmbiguousName(MenakaError):
    """A name that matches several nodes equally well."""


class BadDate(MenakaError):
    """A date parameter that is not a day, month, year or interval."""


class QueryError(MenakaError):
    """An unknown stored query, a missing or unexpected parameter, or SPARQL that does not run."""


class QueryTimeout(QueryError):
    """A query that did not answer within its timeout (--timeout, MENAKA_KG_TIMEOUT, KnowledgeGraph.timeout)."""


class DataError(MenakaError):
    """A data file that cannot be read or parsed."""


class RowError(DataError):
    """A row of an imported table that cannot be mapped: the row number, the column and why."""


class ShapesError(MenakaError):
    """A shapes graph the validator cannot run as written: a construct it cannot check (named in the
    message) or a malformed one. Validation stops rather than pass what it did not check."""


class OutputError(MenakaError):
    """An output file that cannot be written as asked: an unsupported extension or an unwritable path."""


def turtle_syntax_error(name, error: SyntaxError) -> DataError:
    """A parser's SyntaxError as one line naming the file, line and column."""
    return DataError(f"{name}:{error.lineno}:{error.offset}: Turtle syntax error: {error.msg.split(': ', 1)[-1]}")


SHOWN_LENGTH = 80  # the longest value an error message echoes
LINE_LENGTH = 600  # the longest error line


def _printable(text: str) -> str:
    """`text` with each control character (a newline, a tab...) written as its escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def shown(value, limit: int = SHOWN_LENGTH) -> str:
    """A value as an error message echoes it: quoted, on one line and at most about `limit` characters
    long (the middle left out, the length said)."""
    text = _printable(str(value))
    if len(text) <= limit:
        return f"'{text}'"
    return f"'{text[:limit * 2 // 3]}…{text[-(limit // 3):]}' ({len(str(value)):,} characters)"


def one_line(message: str, limit: int = LINE_LENGTH) -> str:
    """An error message as one line of at most `limit` characters: the edge's guard for messages that
    echo something without `shown` (a file's text, a server's answer)."""
    text = _printable(" ".join(line.strip() for line in str(message).splitlines() if line.strip()))
    return text if len(text) <= limit else text[:limit - 1] + "…"
