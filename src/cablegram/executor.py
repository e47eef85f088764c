"""Where per-document work runs: in this process, in a pool of local worker processes, or on a Dask cluster.

Every stage that works document by document (convert, validate, web pages, PDFs, volumes) describes its work
as a `Task`: a picklable description of the set-up (stylesheets to compile, registers, the edition's
settings) and a function run once per item. An executor maps the task over the items and yields the results
**in the order of the items**, whatever order the workers finish in, so that the outputs are byte-identical
for `--jobs 1`, `--jobs N` and Dask (issue 8). `advance` is called once per finished item: progress bars
count documents, not submissions.

The set-up is expensive (compiling a stylesheet costs 4–40 ms, WeasyPrint's CSS and fonts ~1 s, the RelaxNG
schema more) and is done **once per worker process**, never per document: the local pool passes the task to
each worker's initializer; on Dask the task is scattered once and every worker keeps its set-up in a
module-level cache keyed by `Task.key`. Saxon gains nothing from threads (TOOLCHAIN.md), so the local pool
uses processes (fork: the workers start in milliseconds; TOOLCHAIN.md found fork and spawn both work).

Items and results cross process boundaries by pickling, so tasks carry bytes rather than paths wherever a
remote worker could not read the edition's files: a Dask worker needs only the installed package.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Generic, Protocol, TypeVar

from cablegram.diagnostics import CablegramError, error

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")
ContextT = TypeVar("ContextT")

EXECUTORS = ("local", "dask")


class Task(ABC, Generic[ContextT, ItemT, ResultT]):
    """Work done per item, with a set-up shared by all the items a worker gets.

    Subclasses are plain picklable objects: `setup()` builds the expensive context (compiled stylesheets,
    loaded schemas) inside the worker, `run()` handles one item with it. `key` names the set-up: two tasks
    with the same key share one context in a worker.
    """

    key: str = ""

    @abstractmethod
    def setup(self) -> ContextT: ...

    @abstractmethod
    def run(self, context: ContextT, item: ItemT) -> ResultT: ...


# One context per worker process, for the task it is working on; the previous one is dropped when a worker
# moves on to another stage, so a worker holds at most one stage's set-up (bounded memory, issue 8 item 5).
_CONTEXT: dict[str, Any] = {}


def _context(task: Task[Any, Any, Any]) -> Any:
    key = task.key or f"{type(task).__module__}.{type(task).__qualname__}:{id(task)}"
    if key not in _CONTEXT:
        _CONTEXT.clear()
        _CONTEXT[key] = task.setup()
    return _CONTEXT[key]


def run_one(task: Task[Any, ItemT, ResultT], item: ItemT) -> ResultT:
    """Run one item in this process (used by every executor, so that all take the same code path)."""
    return task.run(_context(task), item)


# -- the local pool: the task goes to each worker once, through the initializer ------------------------

_WORKER_TASK: list[Task[Any, Any, Any]] = []


def _die_with_parent() -> None:
    """A worker of a build that is killed (SIGKILL, issue: nothing lost) must not live on: on Linux the
    kernel kills it when its parent dies; and it gives up the build lock it inherited by forking."""
    import signal

    from cablegram.publish import forget_inherited_locks

    forget_inherited_locks()
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the line above
            os._exit(1)


def _initialize(task: Task[Any, Any, Any]) -> None:
    _die_with_parent()
    _WORKER_TASK[:] = [task]
    _context(task)  # compile now, before the first document arrives


def _run_in_worker(item: Any) -> Any:
    return run_one(_WORKER_TASK[0], item)


def _start_method() -> str:
    """Fork (workers start in milliseconds) unless this process has started Saxon's native runtime: a fork
    of a process running it crashes (seen when a test process had rendered the encoding manual before a
    build); then workers come from a fresh server process instead."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and "saxonche" not in sys.modules:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


class Beside(Generic[ResultT]):
    """One call run in a process of its own while this process goes on with other work (the pages about
    the whole edition beside the deposit). Saxon keeps the GIL while it transforms, so a thread would not
    run beside Python work. `result()` waits for the call's value (or raises its exception); `stop()` ends
    the process unfinished, so that a failed build leaves no process behind."""

    def __init__(self, function: Callable[..., ResultT], *args: Any, **kwargs: Any) -> None:
        context = multiprocessing.get_context(_start_method())
        self._pool = context.Pool(1, initializer=_die_with_parent)
        self._pending = self._pool.apply_async(function, args, kwargs)

    def result(self) -> ResultT:
        try:
            value: ResultT = self._pending.get()
        finally:
            self._pool.close()
            self._pool.join()
        return value

    def stop(self) -> None:
        self._pool.terminate()
        self._pool.join()


class Done(Generic[ResultT]):
    """A call already made in this process, with Beside's interface (`--jobs 1`: no core to spare)."""

    def __init__(self, function: Callable[..., ResultT], *args: Any, **kwargs: Any) -> None:
        self._value = function(*args, **kwargs)

    def result(self) -> ResultT:
        return self._value

    def stop(self) -> None:
        pass


class Executor(Protocol):
    jobs: int

    def map(
        self, task: Task[Any, ItemT, ResultT], items: Sequence[ItemT], *, advance: Callable[[], None]
    ) -> Generator[ResultT, None, None]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """Everything in this process, one item after the other (`--jobs 1`)."""

    jobs = 1

    def map(
        self,
        task: Task[Any, ItemT, ResultT],
        items: Sequence[ItemT],
        *,
        advance: Callable[[], None] = lambda: None,
    ) -> Generator[ResultT, None, None]:
        for item in items:
            result = run_one(task, item)
            advance()
            yield result

    def close(self) -> None:
        _CONTEXT.clear()


def _in_order(
    submit: Callable[[ItemT], Any],
    items: Sequence[ItemT],
    window: int,
    done_of: Callable[[Any], Any],
    advance: Callable[[], None],
    wait_any: Callable[[set[Any]], set[Any]],
) -> Iterator[Any]:
    """Keep at most `window` items in flight; yield results in item order, advance as each one finishes.

    Bounded in flight and bounded waiting (a result is held only until the ones before it are in), so memory
    does not grow with the number of documents.
    """
    pending: dict[int, Any] = {}
    finished: dict[int, Any] = {}
    index_of: dict[Any, int] = {}
    upcoming = iter(enumerate(items))
    following = 0
    exhausted = False
    while True:
        while not exhausted and len(pending) + len(finished) < window:
            try:
                index, item = next(upcoming)
            except StopIteration:
                exhausted = True
                break
            future = submit(item)
            pending[index] = future
            index_of[future] = index
        if following in finished:
            yield finished.pop(following)
            following += 1
            continue
        if not pending:
            return
        for future in wait_any(set(pending.values())):
            index = index_of.pop(future)
            del pending[index]
            finished[index] = done_of(future)  # raises the worker's exception here, in the main process
            advance()


class ProcessExecutor:
    """A pool of `jobs` worker processes on this machine; a new pool per stage, set up once per worker."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)

    def map(
        self,
        task: Task[Any, ItemT, ResultT],
        items: Sequence[ItemT],
        *,
        advance: Callable[[], None] = lambda: None,
    ) -> Generator[ResultT, None, None]:
        if len(items) <= 1:  # not worth a pool: the same code path, in this process
            yield from SerialExecutor().map(task, items, advance=advance)
            return
        workers = min(self.jobs, len(items))
        context = multiprocessing.get_context(_start_method())
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_initialize, initargs=(task,))
        try:
            yield from _in_order(
                lambda item: pool.submit(_run_in_worker, item),
                items,
                window=workers * 4,
                done_of=lambda future: future.result(),
                advance=advance,
                wait_any=lambda futures: wait(futures, return_when=FIRST_COMPLETED).done,
            )
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        _CONTEXT.clear()


class DaskExecutor:
    """The same tasks on a Dask distributed cluster (`--executor dask --scheduler tcp://HOST:PORT`).

    The workers need only the cablegram package installed: every item carries the bytes it needs, the task
    (with the registers, settings and stylesheet set-up description) is scattered to all workers once, and
    each worker compiles it once (the module-level context cache). Results come back in item order.
    """

    def __init__(self, scheduler: str, *, client: Any = None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise CablegramError(
                error(
                    "--executor",
                    1,
                    1,
                    "the Dask executor needs the dask extra: pip install 'cablegram[dask]'",
                    "executor",
                )
            ) from None
        self._own = client is None
        try:
            self._client = client if client is not None else Client(scheduler, timeout="20s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise CablegramError(
                error("--scheduler", 1, 1, f"cannot reach the Dask scheduler {scheduler}: {exc}", "executor")
            ) from None
        workers = self._client.scheduler_info().get("workers", {})
        self.jobs = max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def map(
        self,
        task: Task[Any, ItemT, ResultT],
        items: Sequence[ItemT],
        *,
        advance: Callable[[], None] = lambda: None,
    ) -> Generator[ResultT, None, None]:
        from distributed import wait as dask_wait

        if not items:
            return
        shared = self._client.scatter(task, broadcast=True, hash=False)

        def wait_any(futures: set[Any]) -> set[Any]:
            done: set[Any] = dask_wait(  # type: ignore[no-untyped-call]
                list(futures), return_when="FIRST_COMPLETED"
            ).done
            return done

        # pure=False: two equal items (the same document twice) are still two runs, reported twice.
        yield from _in_order(
            lambda item: self._client.submit(run_one, shared, item, pure=False),
            items,
            window=self.jobs * 4,
            done_of=lambda future: future.result(),
            advance=advance,
            wait_any=wait_any,
        )

    def close(self) -> None:
        if self._own:
            with contextlib.suppress(Exception):
                self._client.close()


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def make_executor(jobs: int | None = None, executor: str = "local", scheduler: str | None = None) -> Executor:
    """`--jobs N` (default: every core), `--executor local|dask`, `--scheduler tcp://HOST:PORT`."""
    if executor == "dask":
        if not scheduler:
            raise CablegramError(
                error("--scheduler", 1, 1, "--executor dask needs --scheduler tcp://HOST:PORT", "executor")
            )
        return DaskExecutor(scheduler)
    count = default_jobs() if jobs is None else jobs
    return SerialExecutor() if count <= 1 else ProcessExecutor(count)


class Lazy(Sequence[ItemT]):
    """Items made when an executor takes them (reading a file's bytes, say), so that a stage over 10,000
    documents does not hold them all in memory at once."""

    def __init__(self, count: int, make: Callable[[int], ItemT]) -> None:
        self._count = count
        self._make = make

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> ItemT:  # type: ignore[override]
        if not 0 <= index < self._count:
            raise IndexError(index)
        return self._make(index)

    def __iter__(self) -> Iterator[ItemT]:
        return (self._make(index) for index in range(self._count))
