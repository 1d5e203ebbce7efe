"""Every query is bounded: --timeout and MENAKA_KG_TIMEOUT mean the same on the embedded store and on an
endpoint, fractions work, bad values are one line, Ctrl-C and SIGTERM stop a running query, and a
request that timed out is never sent again."""

import _thread
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

import menaka_kg
from menaka_kg.cli import cli
from menaka_kg.errors import MenakaError, QueryTimeout
from tests.loopback import Answer, Loopback, results

COMMAND = os.path.join(os.path.dirname(sys.executable), "menaka-kg")
NEVER_ENDS = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 7,900³ rows: days
MANY_ROWS = "SELECT * { ?a ?b ?c . ?d ?e ?f }"  # 62 million rows, read one by one


def run_command(*args, env=None, timeout=60):
    return subprocess.run([COMMAND, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


@pytest.mark.parametrize("how", [["--timeout", "0.5"], []])
def test_a_query_that_never_ends_stops_at_the_timeout(how):
    start = time.monotonic()
    answer = run_command("sparql", NEVER_ENDS, *how, env={"MENAKA_KG_TIMEOUT": "0.5"} if not how else None)
    assert time.monotonic() - start < 20
    assert answer.returncode == 1 and answer.stdout == ""
    assert answer.stderr == "Error: the query did not answer within 0.5 s (--timeout or MENAKA_KG_TIMEOUT sets the limit)\n"


def test_a_stored_query_honours_the_timeout_on_the_quick_path():
    answer = run_command("query", "controller-at", "-p", "place=Tamalat", "-p", "date=2022", "--timeout", "0.000001")
    assert answer.returncode == 1 and "did not answer within 1e-06 s" in answer.stderr


def test_the_python_api_raises_a_query_timeout_and_the_query_stops_reading():
    kg = menaka_kg.load()
    kg.timeout = 0.3
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="within 0.3 s"):
        kg.sparql(MANY_ROWS)
    assert time.monotonic() - start < 2
    busy = time.process_time()
    time.sleep(0.5)
    assert time.process_time() - busy < 0.25  # the worker left off: nothing computes in the background
    kg.timeout = None
    assert kg.sparql("ASK { ?s ?p ?o }") is True


def test_the_timeout_comes_from_the_environment_in_the_python_api(monkeypatch):
    monkeypatch.setenv("MENAKA_KG_TIMEOUT", "0.2")
    with pytest.raises(QueryTimeout):
        menaka_kg.load().sparql(MANY_ROWS)


@pytest.mark.parametrize("value", ["0", "-1", "abc", "nan", "inf", ""])
def test_a_timeout_that_is_no_positive_number_is_one_clear_line(value):
    option = CliRunner().invoke(cli, ["info", "--timeout", value])
    assert option.exit_code == 2 and "--timeout must be a number of seconds above 0" in option.output
    with pytest.raises(MenakaError, match="must be a number of seconds"):
        menaka_kg.load().timeout = value
    variable = CliRunner(env={"MENAKA_KG_TIMEOUT": value}).invoke(cli, ["info"])
    if not value:  # an empty variable is an unset one
        assert variable.exit_code == 0
        return
    assert variable.exit_code == 1 and variable.output.count("\n") == 1
    assert variable.output.startswith("Error: MENAKA_KG_TIMEOUT must be a number of seconds above 0")


def test_abc_in_the_environment_is_one_line_on_the_quick_path_too():
    answer = run_command("query", "controller-at", "-p", "place=Tamalat", "-p", "date=2022",
                         env={"MENAKA_KG_TIMEOUT": "abc"})
    assert answer.returncode == 1
    assert answer.stderr == "Error: MENAKA_KG_TIMEOUT must be a number of seconds above 0 (such as 30 or 2.5), not 'abc'\n"


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_stop_a_running_query(stop):
    process = subprocess.Popen([COMMAND, "sparql", NEVER_ENDS, "--timeout", "600"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # loading is done; the query runs
    process.send_signal(stop)
    start = time.monotonic()
    _, error = process.communicate(timeout=20)
    assert time.monotonic() - start < 5
    assert process.returncode == (1 if stop == signal.SIGINT else 128 + signal.SIGTERM)
    assert "Traceback" not in error


def test_a_remote_timeout_is_one_line_and_never_retried():
    with Loopback(Answer(**{**results().__dict__, "delay": 3})) as server:
        start = time.monotonic()
        result = CliRunner().invoke(cli, ["sparql", "SELECT ?n WHERE { ?s ?p ?n }", "--endpoint", f"{server.url}/query",
                                          "--timeout", "0.4"])
        assert time.monotonic() - start < 2
        assert result.exit_code == 1 and result.output.count("\n") == 1
        assert f"{server.url}/query did not answer within 0.4 s" in result.output
        time.sleep(1.5)  # a retry would come after 1 s
        assert len(server.requests) == 1


def test_a_push_timeout_is_never_retried():
    with Loopback(Answer(201, delay=3)) as server:
        result = CliRunner().invoke(cli, ["push", "--endpoint", f"{server.url}/query", "--include", "ontology",
                                          "--timeout", "0.4"])
        assert result.exit_code == 1 and "did not answer within 0.4 s" in result.output
        time.sleep(1.5)
        assert [request.method for request in server.requests] == ["PUT"]


def test_a_query_runs_in_the_worker_of_the_query_before_unless_that_one_is_still_busy():
    from menaka_kg.timeouts import bounded
    seen = _thread._local()  # each thread's own: a new thread (even under a reused ident) has none set

    def worker(stop):
        before, seen.here = getattr(seen, "here", False), True
        return _thread.get_ident(), before

    (first, _), (second, seen_before) = bounded(worker, 5), bounded(worker, 5)
    assert first == second != _thread.get_ident() and seen_before
    release = _thread.allocate_lock()
    release.acquire()
    with pytest.raises(QueryTimeout):
        bounded(lambda stop: release.acquire(), 0.2)  # its worker is busy after the timeout
    assert bounded(lambda stop: _thread.get_ident(), 5) != first
    release.release()


def test_a_forked_copy_answers_queries_though_it_has_none_of_its_parent_s_workers():
    from menaka_kg.timeouts import bounded
    bounded(lambda stop: None, 5)  # the parent has an idle worker
    child = os.fork()
    if child == 0:
        try:
            os._exit(0 if bounded(lambda stop: 42, 5) == 42 else 1)
        except BaseException:
            os._exit(1)
    deadline = time.monotonic() + 20
    while (done := os.waitpid(child, os.WNOHANG)) == (0, 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    if done == (0, 0):
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    assert done[1] == 0
