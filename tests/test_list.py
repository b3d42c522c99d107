"""`bmnav list`: filters, formats and a corpus with a bad file."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from bmnav.storage.corpus import load_corpus
from tests.conftest import ROOT


def make_corpus(tmp_path: Path) -> Path:
    """A corpus folder with two good cases and one file with an error."""
    data = tmp_path / "corpus"
    (data / "usecases").mkdir(parents=True)
    for cid in ("haier-cosmoplat", "baowu-digital-virtual-factory"):
        shutil.copy(ROOT / "data" / "usecases" / f"{cid}.yaml", data / "usecases")
    (data / "usecases" / "broken.yaml").write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    return data


def test_list_text(run_cli) -> None:
    r = run_cli("list", "--origin", "report")
    assert r.exit_code == 0, r
    assert "10 cases" in r.stdout
    assert "tuv-sud-data-trust-center" in r.stdout


def test_list_json_keys(run_cli) -> None:
    r = run_cli("list", "--format", "json")
    assert r.exit_code == 0, r
    rows = json.loads(r.stdout)
    assert len(rows) == len(load_corpus())
    assert set(rows[0]) == {
        "id",
        "name",
        "company",
        "country",
        "company_size",
        "industry",
        "year",
        "cluster",
        "also",
        "origin",
        "roles",
        "flows",
        "path",
    }
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)


def test_list_filters(run_cli) -> None:
    r = run_cli("list", "--cluster", "data-trustee", "--origin", "report", "--format", "json")
    ids = {row["id"] for row in json.loads(r.stdout)}
    assert ids == {
        "airbus-skywise",
        "munich-re-accident-data-trustee",
        "telekom-data-intelligence-hub",
        "tuv-sud-data-trust-center",
    }
    # a cluster named by its name, and matching `also`
    r = run_cli("list", "--cluster", "Marketplace", "--format", "json")
    ids = {row["id"] for row in json.loads(r.stdout)}
    assert "3yourmind-marketplace" in ids
    assert all(row["cluster"] == "marketplace" or "marketplace" in row["also"] for row in json.loads(r.stdout))
    r = run_cli("list", "--country", "cn", "--format", "json")
    rows = json.loads(r.stdout)
    assert rows and {row["country"] for row in rows} == {"CN"}
    r = run_cli("list", "--size", "sme", "--format", "json")
    rows = json.loads(r.stdout)
    assert rows and {row["company_size"] for row in rows} == {"sme"}
    r = run_cli(
        "list",
        "--size",
        "large",
        "--country",
        "DE",
        "--cluster",
        "data-trustee",
        "--origin",
        "report",
        "--format",
        "json",
    )
    assert r.exit_code == 0, r
    rows = json.loads(r.stdout)
    assert {row["id"] for row in rows} == {
        "munich-re-accident-data-trustee",
        "telekom-data-intelligence-hub",
        "tuv-sud-data-trust-center",
    }


def test_list_no_match_text(run_cli) -> None:
    r = run_cli("list", "--country", "ZZ")
    assert r.exit_code == 0, r
    assert "No case matches." in r.stdout


def test_list_csv(run_cli) -> None:
    r = run_cli("list", "--format", "csv", "--cluster", "as-a-service", "--origin", "report")
    assert r.exit_code == 0, r
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["id"] for row in rows] == ["bosch-equipment-as-a-service", "tire-as-a-service"]
    assert list(rows[0]) == [
        *("id", "name", "company", "country", "company_size", "industry", "year", "cluster", "also", "origin")
    ]
    assert {row["origin"] for row in rows} == {"report"}


def test_list_bad_options(run_cli) -> None:
    r = run_cli("list", "--cluster", "nope")
    assert r.exit_code == 1, r
    assert "unknown cluster" in r.stderr
    r = run_cli("list", "--size", "huge")
    assert r.exit_code == 2, r


def test_list_corpus_with_invalid_file(run_cli, tmp_path: Path) -> None:
    data = make_corpus(tmp_path)
    r = run_cli("list", "--format", "json", "--data", str(data))
    assert r.exit_code == 1, r
    assert {row["id"] for row in json.loads(r.stdout)} == {"haier-cosmoplat", "baowu-digital-virtual-factory"}
    assert "broken.yaml" in r.stderr and "error" in r.stderr
    # BMNAV_DATA works as --data
    r = run_cli("list", "--format", "json", env={"BMNAV_DATA": str(data)})
    assert r.exit_code == 1, r
    assert len(json.loads(r.stdout)) == 2


def test_list_80_columns_breaks_no_id(run_cli) -> None:
    """Issue 16: at 80 columns the table broke ids mid-word ("mass-customis/ation");
    below 100 columns each case is a block, and every id, cluster and word stays whole."""
    r = run_cli("list", env={"COLUMNS": "80"})
    assert r.exit_code == 0, r
    lines = r.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    corpus = load_corpus(None)
    stripped = {line.strip() for line in lines}
    for case in corpus.cases.values():
        assert case.id in stripped, case.id  # the id alone on its line, whole
        assert any(f"cluster: {case.cluster}" in line for line in lines), case.id
