"""Work shared among threads: pyoxigraph lets go of the GIL while it plans and evaluates a query or
bulk-loads a file, so such work runs on several cores at once. `_thread`, as in menaka_kg.timeouts:
importing concurrent.futures would cost an addition to a store about a tenth of its time."""

import _thread
import os


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

    def helper(done):
        try:
            work()
        finally:
            done.release()
    helpers = [_thread.allocate_lock() for _ in range(min(threads, len(items)) - 1)]
    for done in helpers:
        done.acquire()
        _thread.start_new_thread(helper, (done,))
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
        finally:
            done.release()
    _thread.start_new_thread(run, ())
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
