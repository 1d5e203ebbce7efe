"""Work shared among threads: pyoxigraph lets go of the GIL while it plans and evaluates a query or
bulk-loads a file, so such work runs on several cores at once. A thread that is done waits for the next
piece of work (starting one for each query cost about 0.3 ms of a 5 ms answer on a big store:
docs/performance.md). `_thread` rather than `threading`, which would cost a command's cold start a few
milliseconds, or concurrent.futures, which would cost an addition to a store about a tenth of its time."""

import _thread
import os


class _Worker:
    """A thread that runs one task at a time and then waits for the next."""

    __slots__ = ("_wake", "_task")

    def __init__(self):
        self._wake = _thread.allocate_lock()
        self._wake.acquire()
        self._task = None
        _thread.start_new_thread(self._serve, ())

    def run(self, task, done):
        self._task = (task, done)
        self._wake.release()

    def _serve(self):
        while True:
            self._wake.acquire()
            (task, done), self._task = self._task, None
            task()
            task = None  # it holds its answer, which is not kept while the worker waits
            _IDLE.append(self)  # free again before its caller hears the answer, so the next task takes it
            done.release()


_IDLE: list[_Worker] = []  # workers waiting for a task; one still busy (say after a timeout) is not here
os.register_at_fork(after_in_child=_IDLE.clear)  # a forked copy has none of the parent's threads


def in_worker(task, done) -> None:
    """`task()` (which raises nothing) run in a thread of its own, which then releases `done`."""
    try:
        worker = _IDLE.pop()
    except IndexError:  # none free (the first task, or tasks at once from several threads)
        worker = _Worker()
    worker.run(task, done)


def in_threads(function, items: list, threads: int) -> list:
    """`function(*item)` for each of `items`, in order, computed by `threads` threads (this one among
    them) that each take the next item until none is left. After an error or Ctrl-C no item is begun;
    the error is raised."""
    results, pending, stop = [None] * len(items), iter(range(len(items))), []
    lock = _thread.allocate_lock()

    def work():
        while not stop:
            with lock:
                k = next(pending, None)
            if k is None:
                return
            try:
                results[k] = function(*items[k])
            except BaseException as error:
                stop.append(error)

    helpers = [_thread.allocate_lock() for _ in range(min(threads, len(items)) - 1)]
    for done in helpers:
        done.acquire()
        in_worker(work, done)
    try:
        work()
        for done in helpers:
            done.acquire()
    except BaseException as error:  # Ctrl-C while this thread waits: the others begin nothing more
        stop.append(error)
        raise
    if stop:
        raise stop[0]
    return results


def cores() -> int:
    """The number of cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def beside(background, foreground):
    """`foreground()` in this thread while `background()` runs in another (one of them work that lets go
    of the GIL, such as a bulk load). Returns once both are done, even after Ctrl-C (the other thread's
    work cannot be stopped, and what it writes must not be removed under it); raises the first error,
    this thread's before the other's."""
    errors, done = [], _thread.allocate_lock()
    done.acquire()

    def run():
        try:
            background()
        except BaseException as error:
            errors.append(error)
    in_worker(run, done)
    try:
        foreground()
    except BaseException as error:
        errors.insert(0, error)
    while True:
        try:
            done.acquire()
            break
        except BaseException as error:  # Ctrl-C while waiting: wait on, then raise it
            errors.insert(0, error)
    if errors:
        raise errors[0]
