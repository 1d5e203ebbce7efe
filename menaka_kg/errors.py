"""The few exceptions the library raises; each message is one line a user can act on."""


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
