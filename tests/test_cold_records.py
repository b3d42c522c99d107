"""Issue 17: a cold run reads each case once, in the worker that checks it (checked by counting, never by timing).

When the cache holds nothing for the files, `load_corpus(data, records=...)`
has the pool that reads and checks them also compute what the command needs
of each case (its list row, position, comparison record, stage row, export
rows or classification summary); only those records, the problems and each
case as JSON text for the cases store come back. This process neither parses
a case file nor holds the parsed cases, and what the command shows is what
`load_corpus(cache=False)` gives. The figures are in docs/benchmarks.md
("10,000 cases"), from `benchmarks/scale.py`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bmnav.checking import parallel
from bmnav.classifying.classifier import SUMMARY_RECORDS, corpus_summaries
from bmnav.classifying.classify_eval import evaluate
from bmnav.domain import cards, comparison, evolution, flatten, positions
from bmnav.domain.model import Case, Flow, Role
from bmnav.storage import corpus_index
from bmnav.storage.corpus import Corpus, LazyCases, load_corpus

ROOT = Path(__file__).resolve().parents[1]
TIRE = "tire-as-a-service"

#: Every kind of record a command asks for, as its CLI asks.
ALL_RECORDS = {
    **cards.LIST_RECORDS,
    **positions.POSITION_RECORDS,
    **comparison.COMPARE_RECORDS,
    **evolution.OVERVIEW_RECORDS,
    **flatten.export_records("cases"),
    **flatten.export_records("roles"),
    **flatten.export_records("flows"),
    **SUMMARY_RECORDS,
}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the bundled cases, one of them broken and one a copy under another name."""
    root = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "usecases", root / "usecases")
    cases = root / "usecases"
    broken = cases / "airbus-skywise.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("kind: ", "kind: nonsense-", 1), encoding="utf-8")
    shutil.copy(cases / f"{TIRE}.yaml", cases / "zz-copy.yaml")
    return root


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process pool for the bundled corpus's few dozen files (it starts at 400)."""
    if not parallel.can_fork():
        pytest.fail("these tests need fork")
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)


def _results(corpus: Corpus) -> dict[str, Any]:
    """What list, position, compare, maturity, export and evaluate compute (as their JSON shows it)."""
    ids = [r["id"] for r in cards.list_rows(corpus)]
    return {
        "list": cards.list_rows(corpus, cluster="marketplace"),
        "position": [p.as_dict() for p in positions.positions_of(corpus, ids)],
        "compare": comparison.compare(corpus).as_dict(),
        "maturity": evolution.overview(corpus).as_dict(),
        **{t: flatten.table_rows(corpus, t, origin="report") for t in flatten.TABLES},
        "summaries": corpus_summaries(corpus),
        "evaluate": evaluate(corpus, folds=3).as_dict(),
        "problems": [p.as_dict() for p in corpus.problems],
    }


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Wrap `module.name` to note the process id of every call (a worker's calls stay in the worker)."""
    calls: list[int] = []
    real: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(os.getpid())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_cold_run_gives_what_the_files_give(data: Path, cache_dir: Path, pool: None) -> None:
    expected = _results(load_corpus(data, cache=False))
    assert expected["problems"]  # the broken file and the copy are reported
    cold = load_corpus(data, records=ALL_RECORDS)
    assert not cold.from_cache and isinstance(cold.cases, LazyCases)
    assert _results(cold) == expected
    assert not cold.cases.loaded  # every record came from the workers
    plain = load_corpus(data, cache=False)
    assert {i: (c.path, c.data) for i, c in cold.cases.items()} == {i: (c.path, c.data) for i, c in plain.cases.items()}
    assert list(cold.cases) == list(plain.cases)


def test_a_cold_run_parses_no_case_in_this_process(
    data: Path, cache_dir: Path, pool: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bmnav.checking import validation

    parsed = _counting(monkeypatch, validation, "check_file")
    placed = _counting(monkeypatch, positions, "_position")
    rows = _counting(monkeypatch, flatten, "case_row")
    cold = load_corpus(data, records=ALL_RECORDS)
    _results(cold)
    assert os.getpid() not in parsed  # the workers read and checked every file
    assert os.getpid() not in placed  # and placed every case
    assert os.getpid() not in rows  # and wrote every export row
    assert not cold.cases.loaded


def test_without_records_the_cases_come_from_the_store_the_workers_filled(
    data: Path, cache_dir: Path, pool: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bmnav.checking import validation

    parsed = _counting(monkeypatch, validation, "check_file")
    cold = load_corpus(data)
    assert not cold.cases.loaded
    tire = cold.get(TIRE)  # read back from the cases store, not from its file
    assert os.getpid() not in parsed
    assert tire.data == load_corpus(data, cache=False).get(TIRE).data
    assert len(list(cache_dir.glob("cases-*.cache"))) == 1


def test_a_warm_run_after_a_cold_one_reads_the_records(data: Path, cache_dir: Path, pool: None) -> None:
    expected = _results(load_corpus(data, cache=False))
    cold = load_corpus(data, records=ALL_RECORDS)
    assert cold.memo is not None
    for kind in ALL_RECORDS:
        if kind != "summary":
            cold.memo(kind).save()  # type: ignore[attr-defined]  # (what happens when the process ends)
    warm = load_corpus(data)
    assert warm.from_cache
    assert _results(warm) == expected
    assert not warm.cases.loaded


def test_a_record_that_fails_in_a_worker_is_computed_from_the_cases(data: Path, cache_dir: Path, pool: None) -> None:
    def flaky(corpus: Corpus) -> Callable[[Case], Any]:
        def record(case: Case) -> Any:
            if case.id == TIRE:
                raise ValueError("not here")
            return case.id.upper()

        return record

    corpus = load_corpus(data, records={"flaky": flaky})
    values = corpus.per_case("flaky", lambda case: case.id.upper())
    assert values == [case_id.upper() for case_id in corpus.cases]
    assert corpus.cases.loaded  # (only then: the kind had no record of one case)


def test_a_cold_run_in_one_process_gives_the_same(data: Path, cache_dir: Path) -> None:
    expected = _results(load_corpus(data, cache=False))
    assert _results(load_corpus(data, records=ALL_RECORDS)) == expected


def test_the_cases_store_is_not_written_when_a_file_changed_while_it_was_read(
    data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = corpus_index._read_one

    def changing(path: Path, **kwargs: Any) -> Any:
        read = real(path, **kwargs)
        return read._replace(digest="changed") if path.stem == TIRE else read

    monkeypatch.setattr(corpus_index, "_read_one", changing)
    corpus = load_corpus(data, records=cards.LIST_RECORDS)
    assert [r["id"] for r in cards.list_rows(corpus)] == sorted(corpus.cases)
    assert not list(cache_dir.glob("corpus-*.cache")) and not list(cache_dir.glob("cases-*.cache"))
    assert corpus.get(TIRE).id == TIRE  # the cases were kept here instead


def test_a_position_builds_the_flows_and_roles_of_its_case_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The positions at either end of the estimated counts share the case's flows."""
    from bmnav.storage.loading import load_file

    case = Case(load_file(ROOT / "data" / "usecases" / f"{TIRE}.yaml").data)
    assert positions.estimated_roles(case)  # so the counts' two ends are placed too
    built = _counting(monkeypatch, Flow, "from_dict")
    parsed = _counting(monkeypatch, Role, "from_dict")
    placed = positions.position(case)
    assert len(built) == len(case.data["network"]["flows"])
    assert len(parsed) == len(case.data["network"]["roles"])  # the ends copy the parsed roles (before: 3×)
    assert placed.openness_range[0] <= placed.computed_openness <= placed.openness_range[1]
    assert placed.openness_range != (placed.computed_openness, placed.computed_openness) or (
        placed.ecosystem_size_range != (placed.computed_ecosystem_size, placed.computed_ecosystem_size)
    )  # the counts' ends did move the position
