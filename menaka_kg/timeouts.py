"""Every query is bounded: it answers within its timeout, or the caller gets a QueryTimeout.

The timeout is seconds (fractions allowed): the `--timeout` option, else MENAKA_KG_TIMEOUT, else 30; one
meaning on the embedded store and on an endpoint (the longest wait for one answer). pyoxigraph cannot
cancel a query, but it releases the GIL while it evaluates one, so the query runs in a worker thread and
the caller waits on a lock: the wait ends at the timeout, and Ctrl-C or SIGTERM end it at once. The
worker stops at the next row it reads; an aggregate or a sort computes on in the background until it
is done (the command has exited by then). The worker comes from menaka_kg.threads, which reuses the
threads that are done: starting one for each query cost about 0.3 ms of a 5 ms answer on a big store.
"""

import _thread
import os

from menaka_kg.errors import MenakaError, QueryTimeout, shown
from menaka_kg.threads import in_worker

DEFAULT = 30.0
VARIABLE = "MENAKA_KG_TIMEOUT"


def seconds(value, source: str = "the timeout") -> float:
    """A timeout as a number of seconds above 0, from a number or text; `source` names it in the error."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not 0 < number < float("inf"):
        raise MenakaError(f"{source} must be a number of seconds above 0 (such as 30 or 2.5), not {shown(value)}")
    return min(number, _thread.TIMEOUT_MAX)  # about 292 years: the longest wait a lock or a socket takes


def configured(value=None) -> float:
    """The timeout in force: `value` if given, else MENAKA_KG_TIMEOUT (when set and not empty), else DEFAULT."""
    if value is not None:
        return seconds(value)
    setting = os.environ.get(VARIABLE, "").strip()
    return seconds(setting, VARIABLE) if setting else DEFAULT


class Stop:
    """Set when the caller has stopped waiting, so that the worker leaves off at its next step."""

    __slots__ = ("stopped",)

    def __init__(self):
        self.stopped = False


def bounded(work, timeout: float, what: str = "the query"):
    """`work(stop)` run in a worker thread; its value (or its exception) once it ends within `timeout`
    seconds, else a QueryTimeout (and `stop.stopped` is set for the worker)."""
    done, outcome, stop = _thread.allocate_lock(), [], Stop()
    done.acquire()

    def task():
        try:
            outcome.append((True, work(stop)))
        except BaseException as error:  # handed to the caller, who raises it
            outcome.append((False, error))

    in_worker(task, done)
    try:
        finished = done.acquire(timeout=timeout)
    finally:
        if not outcome:
            stop.stopped = True
    if not finished:
        raise QueryTimeout(f"{what} did not answer within {timeout:g} s (--timeout or {VARIABLE} sets the limit)")
    ok, value = outcome[0]
    if not ok:
        raise value
    return value
