"""Every query is bounded: it answers within its timeout, or the caller gets a QueryTimeout.

The timeout is seconds (fractions allowed): the `--timeout` option, else MENAKA_KG_TIMEOUT, else 30; one
meaning on the embedded store and on an endpoint (the longest wait for one answer). pyoxigraph cannot
cancel a query, but it releases the GIL while it evaluates one, so the query runs in a worker thread and
the caller waits on a lock: the wait ends at the timeout, and Ctrl-C or SIGTERM end it at once. The
worker stops at the next row it reads; an aggregate or a sort computes on in the background until it
is done (the command has exited by then). A worker that is done waits for the next query: starting a
thread for each cost about 0.5 ms of a 5 ms answer on a big store (docs/performance.md). `_thread`
rather than `threading`, which would cost the command's cold start a few milliseconds.
"""

import _thread
import os

from menaka_kg.errors import MenakaError, QueryTimeout, shown

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


class _Worker:
    """A thread that runs one task at a time and then waits for the next."""

    __slots__ = ("_wake", "_task")

    def __init__(self):
        self._wake = _thread.allocate_lock()
        self._wake.acquire()
        self._task = None
        _thread.start_new_thread(self._serve, ())

    def run(self, task, done):
        """Run `task()` (which raises nothing), then release `done`."""
        self._task = (task, done)
        self._wake.release()

    def _serve(self):
        while True:
            self._wake.acquire()
            (task, done), self._task = self._task, None
            task()
            task = None  # it holds its answer, which is not kept while the worker waits
            _IDLE.append(self)  # free again before its caller hears the answer, so the next query takes it
            done.release()


_IDLE: list[_Worker] = []  # workers waiting for a task; one that is still busy after a timeout is not here
os.register_at_fork(after_in_child=_IDLE.clear)  # a forked copy has none of the parent's threads


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

    try:
        worker = _IDLE.pop()
    except IndexError:  # none free (the first query, or queries at once from several threads)
        worker = _Worker()
    worker.run(task, done)
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
