"""The processes of the parallel search (parallel.py) and the pipes between them.

A team is the calling process (worker 0, the lead) and n - 1 forked children. Forking, not
spawning: the children inherit the transition system and the predicates (never pickled) and
the lead's hash salt, so `hash(bytes)` names the same owner in every process. Each pair of
workers has one one-way pipe per direction, and each child a duplex control pipe to the lead.

A message too large to wait in a pipe until its reader comes for it (a pipe holds 64 KB, and
a sender blocks until the rest is read) goes through the team's spool instead: a file in a
directory of the team's own, written at once, whose name travels over the pipe (`Spool`).
Writing to it and reading it back costs about what a pipe's two copies cost, and no sender
waits for its reader.

Failure: a child that raises sends its traceback over its control pipe and ends; the lead
raises it as `WorkerError`. Every process closes the pipe ends it does not use, so a peer that
died reads as EOF, never as a hang.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import shutil
import tempfile
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any


class WorkerError(RuntimeError):
    """A worker process failed; the message carries its traceback."""


INLINE = 16 * 1024  # the largest payload a swap sends over a pipe itself (module doc)


class Spool:
    """Files in the team's directory, for messages whose sender must not wait for the
    reader: `put` writes one and returns its name, `take` reads and removes it."""

    def __init__(self, directory: str):
        self.directory = directory
        self.made = itertools.count()

    def put(self, blob: bytes) -> str:
        name = os.path.join(self.directory, f"{os.getpid()}-{next(self.made)}")
        with open(name, "wb") as f:
            f.write(blob)
        return name

    def take(self, name: str) -> bytes:
        with open(name, "rb") as f:
            blob = f.read()
        os.unlink(name)
        return blob


class Links:
    """One process's connections: to the lead (children only) and to every other worker,
    and the team's spool."""

    def __init__(self, me: int, control: Connection | None, readers: list[Connection | None],
                 writers: list[Connection | None], spool: Spool):
        self.me = me
        self.spool = spool
        self.control = control
        self.readers = readers
        self.writers = writers

    def swap(self, payloads: Sequence[bytes]) -> list[bytes]:
        """Send `payloads[o]` to every other worker o and receive theirs (entry `me` of the
        result is `payloads[me]`). A payload beyond INLINE bytes goes through the spool and
        only its name over the pipe, so no message fills a pipe: every worker sends all of
        its messages first, without waiting for a reader, then receives (at most two swaps'
        messages are ever in a pipe), and the big payloads of a pair travel both ways at
        once."""
        n = len(self.readers)
        got = list(payloads)
        for other in range(n):
            writer = self.writers[other]
            if other != self.me:
                assert writer is not None
                blob = payloads[other]
                writer.send_bytes(b"\0" + blob if len(blob) <= INLINE
                                  else b"\1" + self.spool.put(blob).encode())
        for other in range(n):
            reader = self.readers[other]
            if other != self.me:
                assert reader is not None
                message = reader.recv_bytes()
                got[other] = (message[1:] if message[0] == 0
                              else self.spool.take(message[1:].decode()))
        return got


Work = Callable[[Links], None]  # a child's whole life; it talks to the lead via links.control


class Team:
    """The forked workers 1..n-1 and the lead's own links; `close` always reaps them."""

    def __init__(self, n: int, work: Work):
        ctx = multiprocessing.get_context("fork")
        pipes = [[ctx.Pipe(duplex=False) if a != b else None for b in range(n)]
                 for a in range(n)]  # pipes[a][b] = (reader at b, writer at a)
        controls = [ctx.Pipe() if w else None for w in range(n)]
        self.spool = Spool(tempfile.mkdtemp(prefix="gocheck-team-"))

        def links(w: int) -> Links:
            readers = [pipes[a][w][0] if a != w else None for a in range(n)]  # type: ignore
            writers = [pipes[w][b][1] if b != w else None for b in range(n)]  # type: ignore
            c = controls[w]
            return Links(w, c[1] if c else None, readers, writers, self.spool)

        every = [c for row in pipes for p in row if p for c in p]
        every += [c for p in controls if p for c in p]
        self.procs = []
        gc.freeze()  # the children's collections then leave the inherited heap alone
        try:
            for w in range(1, n):
                proc = ctx.Process(target=_run_child, daemon=True, args=(work, links(w), every))
                proc.start()
                self.procs.append(proc)
        finally:
            gc.unfreeze()
        self.links = links(0)
        self.controls = [c[0] for c in controls if c]
        keep = {id(c) for c in [*self.controls, *self.links.readers, *self.links.writers]}
        for c in every:
            if id(c) not in keep:
                c.close()

    def recv(self, w: int) -> Any:
        """A reply of worker w (1..n-1); a worker's failure is raised here."""
        reply = self.controls[w - 1].recv()
        if isinstance(reply, tuple) and reply and reply[0] == "error":
            raise WorkerError(f"worker {w} failed:\n{reply[1]}")
        return reply

    def send(self, w: int, order: Any) -> None:
        self.controls[w - 1].send(order)

    def failure(self) -> WorkerError:
        """Why the exchange broke: the first worker's own report, if it sent one."""
        for w, c in enumerate(self.controls, 1):
            try:
                reply = c.recv() if c.poll(1) else None
            except (EOFError, OSError):
                continue
            if isinstance(reply, tuple) and reply and reply[0] == "error":
                return WorkerError(f"worker {w} failed:\n{reply[1]}")
        return WorkerError("a worker process ended unexpectedly")

    def close(self, finished: bool) -> None:
        """Reap the workers: they exit by themselves after a finished search, and are
        terminated after a failed one (they may be waiting on the lead)."""
        for proc in self.procs:
            proc.join(timeout=5 if finished else 0)
            if proc.is_alive():
                proc.terminate()
                proc.join()
        for c in [*self.controls, *self.links.readers, *self.links.writers]:
            if c is not None:
                c.close()
        shutil.rmtree(self.spool.directory, ignore_errors=True)


def _run_child(work: Work, links: Links, every: list[Connection]) -> None:
    """A child's entry point (after the fork): keep its own connections, then work; a
    failure goes to the lead as ("error", traceback)."""
    own = {id(c) for c in [links.control, *links.readers, *links.writers]}
    for c in every:  # drop the other ends: a dead peer then reads as EOF, not a hang
        if id(c) not in own:
            c.close()
    assert links.control is not None
    try:
        work(links)
    except BaseException:  # reported to the lead, which raises it
        links.control.send(("error", traceback.format_exc()))
