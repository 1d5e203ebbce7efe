"""Work shared among threads: pyoxigraph lets go of the GIL while it plans and evaluates a query or
bulk-loads a file, so such work runs on several cores at once. `_thread`, as in menaka_kg.timeouts:
importing concurrent.futures would cost an addition to a store about a tenth of its time."""

import _thread
import os


def in_threads(function, items: list, threads: int) -> list:
    """`function(*item)` for each of `items`, in order, computed by `threads` threads (this one among
    them) that each take the next item until none is left. After an error or Ctrl-C no item is begun,
    the items already begun are waited for, and the error is raised."""
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
