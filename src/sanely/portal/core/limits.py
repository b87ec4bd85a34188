"""
Run a function in a child process under memory and time limits, so that one job (a hostile
spreadsheet, an analysis that explodes) cannot hold the worker, or the machine, for ever.

The child is forked from a fork server (no copy of the worker's threads or database
connections; the function's module is loaded once in the server, so each job starts in
milliseconds), limits its own address space (RLIMIT_AS) and processor time (RLIMIT_CPU), and
sends back the function's result or the exception it raised, with the child's traceback as a
note. The parent waits at most the wall-clock limit, then kills it.
"""

import multiprocessing
import resource
import signal
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    memory_mb: int
    seconds: int  # both the processor time and the wall-clock time


class LimitExceeded(Exception):
    """The job went over one of its limits and was stopped; the message says which."""


def _child(
    reply: Connection, function: Callable[..., Any], kwargs: dict[str, Any], limits: Limits
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb * MB, limits.memory_mb * MB))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 5))
    try:
        outcome: tuple[str, Any] = ("returned", function(**kwargs))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as error:
        error.add_note(traceback.format_exc())
        outcome = ("raised", error)
    try:
        reply.send(outcome)
    except Exception as error:  # an exception that does not pickle: its text will do
        reply.send(("raised", RuntimeError(f"{type(error).__name__}: {error}")))


def _over_memory(limits: Limits) -> LimitExceeded:
    return LimitExceeded(
        f"The job needed more memory than its limit of {limits.memory_mb} MB and was stopped."
    )


def _over_time(limits: Limits) -> LimitExceeded:
    return LimitExceeded(
        f"The job took longer than its limit of {limits.seconds} seconds and was stopped."
    )


def run_limited(function: Callable[..., Any], limits: Limits, **kwargs: Any) -> Any:
    """
    `function(**kwargs)` in a child process under `limits`: its result, or the exception it
    raised, raised again here; LimitExceeded when it went over a limit. `function` and its
    arguments must pickle (a module-level function).
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([function.__module__])  # once: when the server starts
    receive, reply = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(reply, function, kwargs, limits), daemon=True)
    child.start()
    reply.close()
    try:
        if not receive.poll(limits.seconds):
            raise _over_time(limits)
        kind, value = receive.recv()
    except EOFError:  # it died without a word: killed by a limit, or aborted by a library
        child.join()
        if child.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise _over_time(limits) from None
        raise LimitExceeded(
            "The job stopped abnormally, most likely because it needed more memory than its"
            f" limit of {limits.memory_mb} MB."
        ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if kind == "memory":
        raise _over_memory(limits)
    if kind == "raised":
        raise value
    return value
