"""explore/minimal: shortest counterexamples with the fewest goroutine switches."""

from __future__ import annotations

from pathlib import Path

import pytest

from gocheck.explore.engine import SafetyProperty, explore
from gocheck.explore.minimal import Layers, fewest_switches, same_layer, switches
from gocheck.model.state import S_FATAL
from gocheck.model.system import Step
from gocheck.report.runs import counterexample_runs
from gocheck.verify import verify

EXAMPLES = Path(__file__).parent.parent.parent / "spec" / "examples"


class Interleave:
    """Two goroutines of two steps each; successors alternate which G comes first, so the
    BFS tree's path to (2, 2) switches three times where one switch suffices."""

    def initial_state(self) -> tuple[int, int]:
        return (0, 0)

    def successors(self, s: tuple[int, int]) -> list[tuple[Step, tuple[int, int]]]:
        moves = []
        for g in ((0, 1) if sum(s) % 2 == 0 else (1, 0)):
            if s[g] < 2:
                nxt = (s[0] + 1, s[1]) if g == 0 else (s[0], s[1] + 1)
                moves.append((Step(f"M{g}", "tick", g=g), nxt))
        return moves


def test_switches_counts_changes_of_goroutine_and_skips_steps_without_one() -> None:
    steps = [Step("M0", "a", g=0), Step("sysmon", "b"), Step("M0", "c", g=0),
             Step("M1", "d", g=1), Step("M0", "e", g=0)]
    assert switches(steps) == 2
    assert switches([]) == 0


def test_post_pass_finds_fewer_switches_than_the_bfs_tree() -> None:
    result = explore(Interleave(), [SafetyProperty("done", lambda s: s == (2, 2))])
    cx = result.properties[0].counterexample
    assert cx is not None and switches(cx.steps) == 3
    path = fewest_switches(result.graph, [cx.states[-1]])
    assert len(path.steps) == len(cx.steps) and switches(path.steps) == 1
    assert [result.graph.decode(s) for s in path.states][-1] == (2, 2)


def test_layers_are_contiguous_id_ranges_in_depth_order() -> None:
    graph = explore(Interleave()).graph
    layers = Layers(graph)
    assert [list(layers[k]) for k in range(5)] == [[0], [1, 2], [3, 4, 5], [6, 7], [8]]
    assert same_layer(layers, 3, lambda s: s == (0, 2)) == [3, 5]


def test_no_target_is_an_error() -> None:
    with pytest.raises(ValueError):
        fewest_switches(explore(Interleave()).graph, [])


def test_readable_safety_run_is_as_short_replays_and_ends_in_a_bad_state() -> None:
    v = verify(str(EXAMPLES / "mutex_misuse.gos"), properties=("no_fatal",))
    cx = v.result.properties[0].counterexample
    run = counterexample_runs(v)[0]
    assert len(run.steps) == len(cx.steps)
    assert switches(run.steps) <= switches(cx.steps)
    assert run.states[-1][S_FATAL]  # the run ends in the fatal error
    assert tuple(v.states_of(run.steps)) == run.states


def test_readable_lasso_keeps_its_cycle_and_entry() -> None:
    v = verify(str(EXAMPLES / "preempt_spin.gos"), properties=("terminates",))
    cx = v.result.properties[0].counterexample
    (run,) = counterexample_runs(v)
    assert run.loop_start == cx.loop_start
    assert run.steps[run.loop_start:] == cx.steps[cx.loop_start:]
    assert run.ids[run.loop_start] == cx.states[cx.loop_start]
    assert run.ids[-1] == run.ids[run.loop_start]  # the cycle closes on its entry
