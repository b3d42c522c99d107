"""`bmnav graph` and bmnav.render.exports: deterministic DOT, Mermaid, GraphML and JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest

from bmnav.checking.problems import BmnavError
from bmnav.render.exports import FORMATS, export, export_graph, sorted_graph
from bmnav.storage.corpus import load_case, load_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "networks"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_deterministic(run_cli, fmt: str) -> None:
    first = run_cli("graph", "haier-cosmoplat", "--format", fmt)
    second = run_cli("graph", "haier-cosmoplat", "--format", fmt)
    assert first.exit_code == 0, first
    assert first.stdout == second.stdout
    assert first.stdout.endswith("\n")


def test_output_independent_of_file_order() -> None:
    corpus = load_corpus()
    case = corpus.get("tire-as-a-service")
    shuffled = type(case)(
        {
            **case.data,
            "network": {
                **case.data["network"],
                "roles": list(reversed(case.data["network"]["roles"])),
            },
        }
    )
    for fmt in FORMATS:
        assert export_graph(case, fmt) == export_graph(shuffled, fmt)


def test_graphml_parses_back(run_cli) -> None:
    r = run_cli("graph", "tire-as-a-service", "--format", "graphml")
    assert r.exit_code == 0, r
    g = nx.read_graphml(io.BytesIO(r.stdout.encode()), force_multigraph=True)
    case = load_corpus().get("tire-as-a-service")
    assert set(g.nodes) == {r.id for r in case.roles}
    assert g.number_of_edges() == len(case.flows)
    assert g.nodes["service-provider"]["focal"] is True
    assert g.nodes["fleet-operator"]["count"] == 500
    assert {d["kind"] for _, _, d in g.edges(data=True)} == {f.kind for f in case.flows}


def test_json_node_link(run_cli) -> None:
    r = run_cli("graph", str(FIXTURES / "known-network.yaml"), "--format", "json")
    assert r.exit_code == 0, r
    data = json.loads(r.stdout)
    assert set(data) >= {"directed", "multigraph", "graph", "nodes", "edges"}
    assert data["directed"] is True and data["multigraph"] is True
    assert [n["id"] for n in data["nodes"]] == sorted(n["id"] for n in data["nodes"])
    g = nx.node_link_graph(data, edges="edges")
    assert g.number_of_edges() == 9
    amounts = {(u, v): d.get("amount") for u, v, d in g.edges(data=True) if d["kind"] == "money"}
    assert amounts[("buyers", "platform")] == 1000


def test_dot_and_mermaid_content() -> None:
    case = load_case(FIXTURES / "known-network.yaml", load_corpus().vocab)
    dot = export_graph(case, "dot")
    assert dot.startswith('digraph "known-network" {')
    assert '"makers" -> "platform" [label="goods: Parts"' in dot
    assert '"buyers" -> "platform" [label="money: Price (1,000)"' in dot
    assert dot.rstrip().endswith("}")
    mermaid = export_graph(case, "mermaid")
    assert "flowchart LR" in mermaid
    assert '-.->|"money: Price (1,000)"|' in mermaid
    assert "class " in mermaid and "focal" in mermaid


def test_dot_escapes_quotes() -> None:
    from bmnav.domain.model import Case

    case = Case(
        {
            "id": "q",
            "network": {
                "focal": "a",
                "roles": [{"id": "a", "name": 'The "A"'}, {"id": "b"}],
                "flows": [{"from": "a", "to": "b", "kind": "data", "what": 'say "hi"\nnow'}],
            },
        }
    )
    dot = export_graph(case, "dot")
    assert 'label="The \\"A\\""' in dot and 'data: say \\"hi\\"\\nnow' in dot
    assert "#quot;" in export_graph(case, "mermaid")


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(BmnavError, match="unknown graph format"):
        export(sorted_graph(load_corpus().get("airbus-skywise")), "png")


def test_output_file_written_refused_forced(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "net.dot"
    r = run_cli("graph", "airbus-skywise", "--output", str(target))
    assert r.exit_code == 0, r
    assert r.stdout == ""
    written = target.read_text()
    assert written.startswith('digraph "airbus-skywise"')
    r = run_cli("graph", "airbus-skywise", "--format", "mermaid", "--output", str(target))
    assert r.exit_code == 1, r
    assert "already exists" in r.stderr
    assert target.read_text() == written
    r = run_cli("graph", "airbus-skywise", "--format", "mermaid", "--output", str(target), "--force")
    assert r.exit_code == 0, r
    assert target.read_text().splitlines()[1] == "flowchart LR"
    r = run_cli("graph", "airbus-skywise", "--output", str(tmp_path / "missing" / "x.dot"))
    assert r.exit_code == 1, r
    assert "does not exist" in r.stderr


def test_bad_inputs(run_cli) -> None:
    r = run_cli("graph", "airbus-skywse")
    assert r.exit_code == 1, r
    assert 'did you mean "airbus-skywise"' in r.stderr
    r = run_cli("graph", str(FIXTURES / "dangling-reference.yaml"), "--format", "json")
    assert r.exit_code == 1, r
    assert "flow-endpoint-missing" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("graph", "airbus-skywise", "--format", "png")
    assert r.exit_code == 2, r
