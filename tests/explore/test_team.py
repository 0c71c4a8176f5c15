"""The parallel search's processes: every pair of workers swaps payloads of any size without
deadlock, a failing child is reported with its traceback, and the children are reaped."""

from __future__ import annotations

import os

import pytest

from gocheck.explore.team import Links, Team, WorkerError


def payload(src: int, dst: int, size: int) -> bytes:
    return bytes([src, dst]) * size


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("size", [0, 5, 300_000])  # 600 kB: far beyond a pipe's buffer
def test_every_pair_swaps_in_both_directions(n: int, size: int) -> None:
    def swap_all(links: Links) -> list[bytes]:
        return links.swap([payload(links.me, o, size) for o in range(n)])

    def work(links: Links) -> None:
        assert links.control is not None
        for _ in range(2):  # twice: the second swap starts from a clean state
            got = swap_all(links)
            links.control.send([g == payload(o, links.me, size) for o, g in enumerate(got)])

    team = Team(n, work)
    finished = False
    try:
        for _ in range(2):
            got = swap_all(team.links)
            assert got == [payload(o, 0, size) for o in range(n)]
            assert all(all(team.recv(w)) for w in range(1, n))
        finished = True
    finally:
        team.close(finished)
    assert not any(p.is_alive() for p in team.procs)


def test_a_failing_child_is_reported_with_its_traceback() -> None:
    def work(links: Links) -> None:
        raise RuntimeError(f"child {links.me} broke")

    team = Team(3, work)
    try:
        for w in (1, 2):
            with pytest.raises(WorkerError, match=f"(?s)worker {w} failed:.*child {w} broke"):
                team.recv(w)
    finally:
        team.close(False)
    assert not any(p.is_alive() for p in team.procs)


def test_a_dead_peer_reads_as_end_of_file_not_a_hang() -> None:
    def work(links: Links) -> None:
        if links.me == 2:
            os._exit(0)  # ends without a word
        links.swap([b"x"] * 3)

    team = Team(3, work)
    try:
        with pytest.raises((EOFError, OSError)):
            team.links.swap([b"y"] * 3)
        assert str(team.failure()).startswith("worker")  # worker 1 saw EOF too, and said so
    finally:
        team.close(False)


def test_big_payloads_travel_through_the_spool_which_close_removes() -> None:
    big = payload(1, 0, 100_000)

    def work(links: Links) -> None:
        assert links.control is not None
        links.swap([big, b""])
        links.control.recv()  # the lead has read it
        links.control.send(sorted(os.listdir(links.spool.directory)))

    team = Team(2, work)
    finished = False
    try:
        assert team.links.swap([b"", b"small"]) == [b"", big]
        assert os.listdir(team.spool.directory) == []  # read and removed by the reader
        team.send(1, "listed")
        assert team.recv(1) == []
        finished = True
    finally:
        team.close(finished)
    assert not os.path.exists(team.spool.directory)
