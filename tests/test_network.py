"""The value network graph (bmnav.domain.network.build_graph) and safe file writing (bmnav.storage.files)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bmnav.checking.problems import BmnavError
from bmnav.domain.network import build_graph
from bmnav.storage.corpus import load_corpus
from bmnav.storage.files import check_writable, write_atomic


def test_build_graph_nodes_and_edges() -> None:
    case = load_corpus().get("bosch-equipment-as-a-service")
    g = build_graph(case)
    assert g.is_directed() and g.is_multigraph()
    assert set(g.nodes) == {r.id for r in case.roles}
    assert g.number_of_edges() == len(case.flows)
    node = g.nodes["service-provider"]
    assert node["external"] is False and node["focal"] is True and node["type"] == "service-provider"
    assert g.nodes["producer"]["count"] == 50
    kinds = sorted(d["kind"] for _, _, d in g.edges(data=True))
    assert kinds == sorted(f.kind for f in case.flows)
    assert g.graph["currency"] == "EUR"


def test_commands_do_not_import_networkx() -> None:
    code = (
        "import sys, bmnav.cli, bmnav.cli.position_cmd, bmnav.cli.show_cmd, bmnav.cli.graph_cmd, "
        "bmnav.cli.list_cmd; assert 'networkx' not in sys.modules, 'networkx imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_write_atomic_writes_and_refuses(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    assert write_atomic(target, "one\n") == target
    assert target.read_text() == "one\n"
    with pytest.raises(BmnavError, match="already exists; use --force"):
        write_atomic(target, "two\n")
    assert target.read_text() == "one\n"
    write_atomic(target, b"two\n", force=True)
    assert target.read_bytes() == b"two\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no temp file left


def test_write_atomic_permissions_follow_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "p.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "p.txt").stat().st_mode & 0o777 == 0o644


def test_write_atomic_missing_folder_and_folder_target(tmp_path: Path) -> None:
    with pytest.raises(BmnavError, match="does not exist"):
        write_atomic(tmp_path / "no" / "x.txt", "x")
    with pytest.raises(BmnavError, match="is a folder"):
        write_atomic(tmp_path, "x", force=True)
    with pytest.raises(BmnavError, match="does not exist"):
        check_writable(tmp_path / "no" / "x.txt")


def test_write_atomic_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_atomic("plain.txt", "x")
    assert (tmp_path / "plain.txt").read_text() == "x"
