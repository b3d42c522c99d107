"""Per-case records in the cache (`Corpus.per_case`, `Corpus.derived_by_id`):
a warm `list`, `position`, `compare` or `maturity` reads them instead of the
cases, and gives exactly what the cases give."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bmnav.domain.cards import case_row, list_rows, select_cases
from bmnav.domain.comparison import compare
from bmnav.domain.evolution import overview
from bmnav.domain.positions import position, positions_of
from bmnav.storage.corpus import Corpus, LazyCases, load_corpus

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("list-row", "compare", "maturity-row", "position")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with a copy of the bundled cases (the bundled model files are used)."""
    root = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "usecases", root / "usecases")
    return root


def _results(corpus: Corpus) -> dict[str, Any]:
    """What the four commands compute (as their JSON output shows it)."""
    ids = [r["id"] for r in list_rows(corpus)]
    return {
        "list": list_rows(corpus),
        "list-filtered": list_rows(corpus, cluster="marketplace", size="large"),
        "country": list_rows(corpus, country=" cn "),
        "position": [p.as_dict() for p in positions_of(corpus, ids)],
        "compare": compare(corpus).as_dict(),
        "compare-two": compare(corpus, ["efficiency", "marketplace"], origin="report").as_dict(),
        "maturity": overview(corpus).as_dict(),
    }


def _save(corpus: Corpus) -> None:
    """What happens when the process ends (`atexit`)."""
    assert corpus.memo is not None
    for kind in KINDS:
        corpus.memo(kind).save()  # type: ignore[attr-defined]


def test_list_rows_are_select_cases_and_case_row(data: Path, cache_dir: Path) -> None:
    plain = load_corpus(data, cache=False)
    assert list_rows(plain) == [case_row(c) for c in select_cases(plain)]
    chosen = select_cases(plain, cluster="marketplace", country="cn", origin="report")
    assert list_rows(plain, cluster="marketplace", country="cn", origin="report") == [case_row(c) for c in chosen]


def test_a_warm_run_reads_the_records_not_the_cases(data: Path, cache_dir: Path) -> None:
    expected = _results(load_corpus(data, cache=False))
    first = load_corpus(data)
    assert _results(first) == expected
    _save(first)
    for kind in KINDS:
        assert len(list(cache_dir.glob(f"memo.{kind}-*.cache"))) == 1, kind
    warm = load_corpus(data)
    assert warm.from_cache and isinstance(warm.cases, LazyCases)
    assert _results(warm) == expected
    assert not warm.cases.loaded  # every record came from the cache


def test_a_changed_case_file_gives_new_records(data: Path, cache_dir: Path) -> None:
    first = load_corpus(data)
    _results(first)
    _save(first)
    tire = data / "usecases" / "tire-as-a-service.yaml"
    text = tire.read_text(encoding="utf-8")
    company = next(line for line in text.splitlines() if line.startswith("company:"))
    tire.write_text(text.replace(company, "company: Renamed Tyres Ltd", 1), encoding="utf-8")
    again = _results(load_corpus(data))
    assert again == _results(load_corpus(data, cache=False))
    assert "Renamed Tyres Ltd" in [r["company"] for r in again["list"]]


@pytest.mark.parametrize("kind", ["list-row", "compare", "maturity-row", "position"])
def test_a_kept_record_of_another_shape_is_computed_again(data: Path, cache_dir: Path, kind: str) -> None:
    expected = _results(load_corpus(data, cache=False))
    first = load_corpus(data)
    _results(first)
    _save(first)
    warm = load_corpus(data)
    assert warm.memo is not None
    store = warm.memo(kind)
    case_id = sorted(warm.cases)[0]
    store.values[case_id] = {"id": case_id, "openness_range": "x"}  # type: ignore[attr-defined]
    assert _results(warm) == expected
    assert warm.cases.loaded  # this one read the cases to compute it again


def test_a_damaged_record_store_is_ignored(data: Path, cache_dir: Path) -> None:
    expected = _results(load_corpus(data, cache=False))
    first = load_corpus(data)
    _results(first)
    _save(first)
    for store in cache_dir.glob("memo.*.cache"):
        store.write_bytes(store.read_bytes()[:-10])  # cut: the keyed hash no longer matches
    assert _results(load_corpus(data)) == expected


def test_a_profile_given_by_path_is_never_served_from_the_records(data: Path, cache_dir: Path) -> None:
    first = load_corpus(data)
    _results(first)
    _save(first)
    warm = load_corpus(data)
    outside = warm.resolve(data / "usecases" / "tire-as-a-service.yaml")
    assert position(outside, warm).as_dict() == position(outside, load_corpus(data, cache=False)).as_dict()
