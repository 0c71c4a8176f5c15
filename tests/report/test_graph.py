"""`gocheck graph`: DOT, GraphML and JSON of the explored graph, counterexamples marked."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from gocheck.cli import main

EXAMPLES = Path(__file__).parent.parent.parent / "spec" / "examples"
SLEEP = str(EXAMPLES / "sleep_not_join.gos")


def graph(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["graph", *args])
    return result.exit_code, result.stdout, result.stderr


def test_dot_marks_the_counterexample_path() -> None:
    code, out, _ = graph(str(EXAMPLES / "early_exit.gos"))
    assert code == 0
    assert out.startswith('digraph "') and out.endswith("}\n")
    assert '0 -> 1 [label="M0@P0 go worker", color="#b42318", penwidth=2];' in out
    assert '1 [label="1: P0:sched[G1] ended"' in out


def test_graphml_reads_back_with_the_path_marked(tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    code, _, err = graph(SLEEP, "--format", "graphml", "-o", str(out))
    assert code == 0 and "wrote" in err
    g = nx.read_graphml(out)
    marked = [n for n, a in g.nodes(data=True) if a["counterexample"] == "fork_join"]
    assert len(marked) == 4 and g.nodes["0"]["initial"]
    assert sum(1 for *_e, a in g.edges(data=True) if a["counterexample"]) == 3


def test_json_is_node_link_data() -> None:
    code, out, _ = graph(SLEEP, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    g = nx.node_link_graph(doc, edges="edges")
    assert len(g) == len(doc["nodes"]) and g.number_of_edges() == len(doc["edges"])
    assert {"actor", "action", "g", "counterexample"} <= set(doc["edges"][0])


def test_output_is_deterministic() -> None:
    assert graph(SLEEP, "--format", "json")[1] == graph(SLEEP, "--format", "json")[1]


def test_too_big_is_refused_with_exit_2() -> None:
    code, out, err = graph(SLEEP, "--max-nodes", "100")
    assert code == 2 and out == ""
    assert "more than 100 states" in err and "--max-nodes" in err and "Traceback" not in err


@pytest.mark.parametrize("args", [["nope.gos"], [SLEEP, "--format", "svg"],
                                  [SLEEP, "--property", "nope"]])
def test_bad_input_is_exit_2(args: list[str]) -> None:
    code, _, err = graph(*args)
    assert code == 2 and "Traceback" not in err
