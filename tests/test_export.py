"""`bmnav export`: the corpus flattened for pandas, R and spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bmnav.domain.flatten import CASE_COLUMNS, FLOW_COLUMNS, ROLE_COLUMNS, case_rows, rows
from bmnav.render.export import to_csv
from bmnav.storage.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "export.md"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_csv_one_row_per_case_in_documented_order(run_cli):
    result = run_cli("export")
    assert result.exit_code == 0, result
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert tuple(table[0]) == CASE_COLUMNS
    ids = [r[0] for r in table[1:]]
    assert ids == sorted(ids)
    assert len(ids) == len(load_corpus())
    row = dict(zip(table[0], table[ids.index("tire-as-a-service") + 1], strict=True))
    assert row["cluster"] == "as-a-service"
    assert row["revenue"] == "pay-per-use"  # lists joined with ;
    assert row["technologies"] == "iiot-platform;cloud;big-data"
    assert row["position_manual"] in ("true", "false")
    assert float(row["openness"]) <= 1
    assert row["path"] == "usecases/tire-as-a-service.yaml"


def test_json_keeps_types(run_cli):
    result = run_cli("export", "--format", "json")
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    assert [tuple(d) for d in data] == [CASE_COLUMNS] * len(data)
    tire = next(d for d in data if d["id"] == "tire-as-a-service")
    assert tire["technologies"] == ["iiot-platform", "cloud", "big-data"]
    assert isinstance(tire["two_sided"], bool)
    assert isinstance(tire["roles"], int)
    assert tire["flows"] == sum(
        tire[f"flows_{k}"] for k in ("goods", "service", "data", "money", "usage_right", "intangible")
    )


def test_jsonl_roles_long_table(run_cli, corpus):
    result = run_cli("export", "--roles", "--format", "jsonl")
    assert result.exit_code == 0, result
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == sum(len(c.roles) for c in corpus)
    assert all(tuple(r) == ROLE_COLUMNS for r in lines)
    focal = [r for r in lines if r["case"] == "tire-as-a-service" and r["focal"]]
    assert len(focal) == 1 and focal[0]["external"] is False


def test_flows_csv(run_cli, corpus):
    result = run_cli("export", "--flows")
    assert result.exit_code == 0, result
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(table[0]) == FLOW_COLUMNS
    assert len(table) == sum(len(c.flows) for c in corpus)
    assert {r["kind"] for r in table} <= {"goods", "service", "data", "money", "usage-right", "intangible"}


def test_roles_and_flows_together_is_a_usage_error(run_cli):
    result = run_cli("export", "--roles", "--flows")
    assert result.exit_code == 2, result
    assert "not both" in result.stderr


def test_cluster_filter(run_cli):
    result = run_cli("export", "--cluster", "data-trustee", "--format", "json")
    assert result.exit_code == 0, result
    assert {d["cluster"] for d in json.loads(result.stdout)} == {"data-trustee"}


def test_output_file_atomic_and_no_overwrite(run_cli, tmp_path):
    target = tmp_path / "cases.csv"
    result = run_cli("export", "-o", str(target))
    assert result.exit_code == 0, result
    assert result.stdout == ""
    assert "wrote 10 case rows" in result.stderr or "case rows to" in result.stderr
    first = target.read_text(encoding="utf-8")
    assert first.startswith("id,name,")
    result = run_cli("export", "--format", "json", "-o", str(target))
    assert result.exit_code == 1, result
    assert "already exists; use --force" in result.stderr
    assert target.read_text(encoding="utf-8") == first
    result = run_cli("export", "--format", "json", "-o", str(target), "--force")
    assert result.exit_code == 0, result
    assert json.loads(target.read_text(encoding="utf-8"))
    result = run_cli("export", "-o", str(tmp_path / "missing" / "x.csv"))
    assert result.exit_code == 1, result
    assert "does not exist" in result.stderr


def test_output_is_deterministic(corpus):
    a = to_csv(case_rows(corpus, corpus), CASE_COLUMNS)
    b = to_csv(case_rows(reversed(list(corpus)), corpus), CASE_COLUMNS)
    assert a == b


def test_corpus_with_a_broken_case_exports_the_rest_and_exits_1(run_cli, tmp_path):
    (tmp_path / "usecases").mkdir()
    src = ROOT / "data" / "usecases" / "tire-as-a-service.yaml"
    (tmp_path / "usecases" / "tire-as-a-service.yaml").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "usecases" / "broken.yaml").write_text("id: broken\nname: [\n", encoding="utf-8")
    result = run_cli("export", "--data", str(tmp_path), "--format", "json")
    assert result.exit_code == 1, result
    assert [d["id"] for d in json.loads(result.stdout)] == ["tire-as-a-service"]
    assert "broken.yaml" in result.stderr


@pytest.mark.parametrize(
    ("table", "columns"), [("cases", CASE_COLUMNS), ("roles", ROLE_COLUMNS), ("flows", FLOW_COLUMNS)]
)
def test_every_column_is_documented(table, columns):
    doc = DOC.read_text(encoding="utf-8")
    section = doc.split(f"<!-- columns:{table} -->", 1)[1].split("<!-- end -->", 1)[0]
    documented = [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
    assert tuple(documented) == columns


def test_rows_rejects_an_unknown_table(corpus):
    with pytest.raises(ValueError):
        list(rows("nodes", corpus, corpus))
