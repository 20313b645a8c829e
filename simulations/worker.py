"""Worker processes for large simulations: each builds, breaks, judges and serialises whole chunks.

A worker is ``python -m simulations.worker``, talking to the parent over its standard input and a copy of its
standard output (pickled messages; anything a library prints goes to standard error). Unlike a multiprocessing
pool started with ``spawn``, it never re-imports the caller's ``__main__``, so ``simulate`` works from any script;
unlike ``fork``, it never copies a parent whose Polars thread pool may hold a lock.

Chunks are dealt round-robin (the parent takes its share too) and read back in chunk order, so the output does not
depend on which process ran what.
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import numpy as np
import polars as pl
import pyarrow as pa

from simulations.organisations import Period


def to_ipc(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as stream:
        stream.write_table(table)
    return sink.getvalue()


def from_ipc(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(data).read_all()


class Pool:
    """``n`` worker processes computing chunks of one simulation."""

    def __init__(self, n: int, plan: pl.DataFrame, period: Period, seed: int, rate: float, names: np.ndarray) -> None:
        env = dict(os.environ, POLARS_MAX_THREADS="1")  # one thread each: the workers already fill the cores
        plan_ipc = to_ipc(plan.to_arrow())
        setup = {"plan": plan_ipc, "period": period, "seed": seed, "rate": rate, "names": list(names)}
        self.procs = [
            subprocess.Popen(
                [sys.executable, "-m", "simulations.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
            )
            for _ in range(n)
        ]
        for proc in self.procs:
            self._send(proc, setup)

    @staticmethod
    def _send(proc: subprocess.Popen[bytes], message: Any) -> None:
        assert proc.stdin is not None
        pickle.dump(message, proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        proc.stdin.flush()

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
        return reply

    def run(
        self, n_chunks: int, local: Callable[[int], tuple[dict[str, pa.Table], pl.DataFrame]]
    ) -> Iterator[tuple[dict[str, pa.Table], pl.DataFrame]]:
        """Every chunk's tables and truth, in chunk order. The calling process takes every (n+1)-th chunk itself
        (``local``) between writing the others, so n workers and the caller keep n+1 cores busy; at most two
        chunks wait per worker, which keeps memory flat."""
        n = len(self.procs)
        share = n + 1
        sent = 0
        for chunk in range(n_chunks):
            while sent < min(n_chunks, chunk + 2 * share):
                if sent % share != n:
                    self._send(self.procs[sent % share], sent)
                sent += 1
            if chunk % share == n:
                yield local(chunk)
                continue
            tables, truth = self._receive(self.procs[chunk % share])
            frame = pl.from_arrow(from_ipc(truth))
            assert isinstance(frame, pl.DataFrame)
            yield {name: from_ipc(t) for name, t in tables.items()}, frame

    def close(self) -> None:
        for proc in self.procs:
            if proc.stdin is not None and not proc.stdin.closed:
                try:
                    self._send(proc, None)
                    proc.stdin.close()
                except BrokenPipeError:
                    pass
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
    plan = pl.from_arrow(from_ipc(setup["plan"]))
    names = np.array(setup["names"], dtype=object)
    books = load_rulebooks()
    while (chunk := pickle.load(inbox)) is not None:
        try:
            tables, truth = simulate_chunk(plan, setup["period"], setup["seed"], chunk, setup["rate"], names, books)  # type: ignore[arg-type]
            reply: Any = ({name: to_ipc(t) for name, t in tables.items()}, to_ipc(truth.to_arrow()))
        except Exception as exc:  # handed to the parent, which raises it
            reply = exc
        pickle.dump(reply, outbox, protocol=pickle.HIGHEST_PROTOCOL)
        outbox.flush()


if __name__ == "__main__":
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt the protocol
    _serve(sys.stdin.buffer, protocol_out)
