"""Worker processes for large simulations: each builds, breaks, judges and serialises whole chunks.

A worker is ``python -m simulations.worker``, talking to the parent over its standard input and a copy of its
standard output (pickled messages; anything a library prints goes to standard error). Unlike a multiprocessing
pool started with ``spawn``, it never re-imports the caller's ``__main__``, so ``simulate`` works from any script;
unlike ``fork``, it never copies a parent whose Polars thread pool may hold a lock.

Each worker keeps two chunks in hand; the parent computes a chunk itself whenever the next one to write is not back
yet, and writes in chunk order, so the output does not depend on which process ran what.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import numpy as np
import polars as pl
import pyarrow as pa

from simulations.organisations import Period

#: Chunks this process may compute ahead of the one it must hand back next (each is held until written).
LOCAL_AHEAD = 2
_CLOSE = object()  # tells a sender thread to close the worker's input


def to_ipc(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    write_ipc(table, sink)
    return sink.getvalue()


def from_ipc(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(data).read_all()


def write_ipc(table: pa.Table, sink: BinaryIO) -> None:
    """One Arrow IPC stream, written straight into ``sink`` (a chunk's tables are tens of megabytes: no copy in
    between)."""
    with pa.ipc.new_stream(sink, table.schema) as stream:
        stream.write_table(table)


def read_ipc(source: BinaryIO) -> pa.Table:
    """One Arrow IPC stream from ``source``; the stream's end marker stops the reading, so several streams (and
    pickled messages) can follow each other in one pipe."""
    return pa.ipc.open_stream(source).read_all()


class Pool:
    """``n`` worker processes computing chunks of one simulation."""

    def __init__(self, n: int) -> None:
        """Start the processes (their imports take a second, spent while the caller plans the world)."""
        env = dict(os.environ, POLARS_MAX_THREADS="1")  # one thread each: the workers already fill the cores
        self.procs = [
            subprocess.Popen(
                [sys.executable, "-m", "simulations.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
            )
            for _ in range(n)
        ]
        # Messages go out through a thread per worker: a write blocks while the worker is still importing or busy,
        # and this process has chunks of its own to compute meanwhile.
        self.outboxes: list[queue.SimpleQueue[Any]] = [queue.SimpleQueue() for _ in range(n)]
        self.senders = [threading.Thread(target=self._sender, args=(i,), daemon=True) for i in range(n)]
        for thread in self.senders:
            thread.start()

    def setup(self, plan: pl.DataFrame, period: Period, seed: int, rate: float, names: np.ndarray) -> None:
        """What every chunk is made from."""
        setup = {"plan": to_ipc(plan.to_arrow()), "period": period, "seed": seed, "rate": rate, "names": list(names)}
        for index in range(len(self.procs)):
            self.outboxes[index].put(setup)

    def _sender(self, index: int) -> None:
        stdin = self.procs[index].stdin
        assert stdin is not None
        while (message := self.outboxes[index].get()) is not _CLOSE:
            try:
                pickle.dump(message, stdin, protocol=pickle.HIGHEST_PROTOCOL)
                stdin.flush()
            except BrokenPipeError:  # the worker died: its reader reports it
                return
        with contextlib.suppress(BrokenPipeError):
            stdin.close()

    def _receive(self, proc: subprocess.Popen[bytes]) -> Any:
        assert proc.stdout is not None
        try:
            reply = pickle.load(proc.stdout)
        except EOFError:
            code = proc.wait()
            raise RuntimeError(
                f"模拟工作进程异常退出（{code}） / a simulation worker exited with status {code}"
            ) from None
        if isinstance(reply, BaseException):
            raise reply
        # A chunk: the names of its tables, then each table and the truth as Arrow streams.
        tables = {name: read_ipc(proc.stdout) for name in reply}
        return tables, read_ipc(proc.stdout)

    def _reader(self, index: int) -> None:
        """Read one worker's replies as they come (a thread per worker), so that a worker never waits on a full
        pipe while this process is busy with a chunk of its own."""
        while True:
            try:
                reply = self._receive(self.procs[index])
            except BaseException as exc:  # handed to the consuming thread, which raises it
                self.inboxes[index].put(exc)
                return
            self.inboxes[index].put(reply)

    def run(
        self, n_chunks: int, local: Callable[[int], tuple[dict[str, pa.Table], pl.DataFrame]]
    ) -> Iterator[tuple[dict[str, pa.Table], pl.DataFrame]]:
        """Every chunk's tables and truth, in chunk order.

        Each worker has up to two chunks in hand; whenever the next chunk to hand back is not ready yet, this
        process computes the next unassigned chunk itself (at most :data:`LOCAL_AHEAD` kept waiting), so every
        core stays busy whatever the share of writing. Which process computed a chunk changes nothing in it: each
        chunk's generator is seeded by its index.
        """
        n = len(self.procs)
        self.inboxes = [queue.SimpleQueue() for _ in range(n)]
        for index in range(n):
            threading.Thread(target=self._reader, args=(index,), daemon=True).start()
        in_hand: list[deque[int]] = [deque() for _ in range(n)]
        owner: dict[int, int] = {}
        done: dict[int, tuple[dict[str, pa.Table], pl.DataFrame]] = {}
        assigned = 0
        for chunk in range(n_chunks):
            while chunk not in done:
                for index in range(n):
                    while len(in_hand[index]) < 2 and assigned < n_chunks:
                        self.outboxes[index].put(assigned)
                        in_hand[index].append(assigned)
                        owner[assigned] = index
                        assigned += 1
                index = owner[chunk]
                if self.inboxes[index].empty() and assigned < n_chunks and len(done) < LOCAL_AHEAD:
                    done[assigned] = local(assigned)
                    assigned += 1
                    continue
                reply = self.inboxes[index].get()
                if isinstance(reply, BaseException):
                    raise reply
                assert in_hand[index].popleft() == chunk  # a worker answers in the order it was asked
                tables, truth = reply
                frame = pl.from_arrow(truth)
                assert isinstance(frame, pl.DataFrame)
                done[chunk] = (tables, frame)
                del reply, tables, truth, frame  # a chunk held by a stray name would outlive its writing
            yield done.pop(chunk)

    def close(self) -> None:
        for outbox in self.outboxes:
            outbox.put(None)  # the worker's signal to stop
            outbox.put(_CLOSE)
        for thread in self.senders:
            thread.join(timeout=30)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _serve(inbox: BinaryIO, outbox: BinaryIO) -> None:
    from simulations.simulator import simulate_chunk
    from simulations.truth import load_rulebooks

    setup = pickle.load(inbox)
    if setup is None:  # closed before any work (the caller failed while planning)
        return
    plan = pl.from_arrow(from_ipc(setup["plan"]))
    names = np.array(setup["names"], dtype=object)
    books = load_rulebooks()
    while (chunk := pickle.load(inbox)) is not None:
        try:
            tables, truth = simulate_chunk(plan, setup["period"], setup["seed"], chunk, setup["rate"], names, books)  # type: ignore[arg-type]
        except Exception as exc:  # handed to the parent, which raises it
            pickle.dump(exc, outbox, protocol=pickle.HIGHEST_PROTOCOL)
            outbox.flush()
            continue
        # Streamed into the pipe table by table: serialising a chunk into one message first held two more copies.
        pickle.dump(list(tables), outbox, protocol=pickle.HIGHEST_PROTOCOL)
        for table in tables.values():
            write_ipc(table, outbox)
        write_ipc(truth.to_arrow(), outbox)
        outbox.flush()
        del tables, truth


if __name__ == "__main__":
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt the protocol
    _serve(sys.stdin.buffer, protocol_out)
