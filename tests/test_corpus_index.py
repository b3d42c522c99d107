"""The cache behind `load_corpus()` (corpus, cases and facts stores): reused when current, never stale."""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

import pytest

from bmnav.classifying.classifier import classify, classify_facts, load_profile
from bmnav.storage import corpus_index
from bmnav.storage.corpus import Corpus, LazyCases, load_corpus
from bmnav.storage.corpus_index import profile_facts

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "data" / "usecases"
PROFILE = ROOT / "examples" / "acme-profile.yaml"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with a copy of the bundled cases (the bundled model files are used)."""
    root = tmp_path / "data"
    shutil.copytree(CASES, root / "usecases")
    return root


def _count(data: Path) -> int:
    """The number of case files in the data folder (each a valid case)."""
    return len(list((data / "usecases").glob("*.yaml")))


def _ids(corpus: Corpus) -> list[str]:
    assert corpus.summaries is not None
    return sorted(s["case"] for s in corpus.summaries)


def _from_index(data: Path) -> Corpus:
    c = load_corpus(data)
    assert c.from_cache, "expected the corpus to be served from the cache"
    return c


def test_second_read_is_served_from_the_index(data: Path, cache_dir: Path) -> None:
    first = load_corpus(data)
    assert not first.from_cache and first.summaries is not None and len(first.summaries) == _count(data) > 1
    assert len(list(cache_dir.glob("corpus-*.cache"))) == 1
    second = _from_index(data)
    assert isinstance(second.cases, LazyCases) and len(second) == _count(data)
    assert second.summaries is not None and not second.cases.loaded  # classify never reads the cases
    assert second.summaries == first.summaries
    assert second.clusters_doc == first.clusters_doc
    assert second.vocab.clusters == first.vocab.clusters
    assert [p.rule for p in second.problems] == [p.rule for p in first.problems]


def test_classification_is_the_same_from_the_index(data: Path, cache_dir: Path) -> None:
    reference = load_corpus(data, cache=False)
    expected = classify(load_profile(PROFILE, reference), reference).as_dict()
    load_corpus(data)
    corpus = _from_index(data)
    profile = load_profile(PROFILE, corpus)
    got = classify_facts(profile_facts(profile), corpus, case=profile).as_dict()
    assert got == expected


def test_a_changed_case_file_is_read_again(data: Path, cache_dir: Path) -> None:
    load_corpus(data)
    target = data / "usecases" / "tire-as-a-service.yaml"
    st = target.stat()
    text = target.read_text(encoding="utf-8")
    assert "company_size: large" in text
    changed = text.replace("company_size: large", "company_size: sme  ")
    assert len(changed) == len(text)
    target.write_text(changed, encoding="utf-8")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime: ctime still changes
    corpus = load_corpus(data)
    assert not corpus.from_cache  # read again, not served stale
    tire = next(s for s in corpus.summaries if s["case"] == "tire-as-a-service")
    assert tire["facts"]["company_size"] == "sme"
    assert _from_index(data).summaries == corpus.summaries


def test_an_added_case_file_is_seen(data: Path, cache_dir: Path) -> None:
    load_corpus(data)
    text = (data / "usecases" / "tire-as-a-service.yaml").read_text(encoding="utf-8")
    (data / "usecases" / "tire-copy.yaml").write_text(
        text.replace("id: tire-as-a-service", "id: tire-copy"), encoding="utf-8"
    )
    corpus = load_corpus(data)
    assert not corpus.from_cache
    assert "tire-copy" in _ids(corpus)
    assert "tire-copy" in _ids(_from_index(data))


def test_a_removed_case_file_is_seen(data: Path, cache_dir: Path) -> None:
    load_corpus(data)
    before = _count(data)
    (data / "usecases" / "tire-as-a-service.yaml").unlink()
    corpus = load_corpus(data)
    assert not corpus.from_cache
    assert "tire-as-a-service" not in _ids(corpus) and len(corpus.summaries) == before - 1


def test_a_changed_model_file_is_a_new_index(data: Path, cache_dir: Path) -> None:
    load_corpus(data)
    shutil.copy(ROOT / "data" / "clusters.yaml", data / "clusters.yaml")
    with (data / "clusters.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n# a comment changes the digest\n")
    assert not load_corpus(data).from_cache
    assert len(list(cache_dir.glob("corpus-*.cache"))) == 2


def test_a_case_with_errors_is_left_out_and_reported_from_the_index(data: Path, cache_dir: Path) -> None:
    bad = data / "usecases" / "tire-as-a-service.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("company_size: large", "company_size: huge"), "utf-8")
    first = load_corpus(data)
    second = _from_index(data)
    assert "tire-as-a-service" not in _ids(second)
    assert [(p.rule, p.line) for p in second.errors] == [(p.rule, p.line) for p in first.errors]
    assert second.errors and second.errors[0].rule == "invalid-value"


def test_no_cache_reads_everything_and_writes_nothing(
    data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BMNAV_NO_CACHE", "1")
    assert not load_corpus(data).from_cache
    assert not load_corpus(data).from_cache
    assert not list(cache_dir.glob("corpus-*")) and not list(cache_dir.glob("features-*"))


def test_a_damaged_index_is_ignored(data: Path, cache_dir: Path) -> None:
    load_corpus(data)
    (store,) = cache_dir.glob("corpus-*.cache")
    store.write_bytes(b"\x00garbage")
    assert not load_corpus(data).from_cache
    assert load_corpus(data).from_cache


def test_the_cases_are_read_on_first_use(data: Path, cache_dir: Path) -> None:
    load_corpus(data)
    corpus = _from_index(data)
    assert not corpus.cases.loaded  # type: ignore[attr-defined]
    assert len(list(corpus)) == _count(data) and corpus.cases.loaded  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["cases", "facts"])
def test_a_damaged_cases_or_facts_store_is_ignored(data: Path, cache_dir: Path, kind: str) -> None:
    reference = load_corpus(data, cache=False)
    expected = [(c.id, c.data, c.path) for c in reference]
    first = load_corpus(data)
    assert first.summaries is not None  # writes the facts store
    (store,) = cache_dir.glob(f"{kind}-*.cache")
    blob = store.read_bytes()
    store.write_bytes(blob[:-20] + b"x" * 20)  # the keyed hash no longer matches
    corpus = _from_index(data)
    assert corpus.summaries == first.summaries
    assert [(c.id, c.data, c.path) for c in corpus] == expected
    assert [p.rule for p in corpus.problems] == [p.rule for p in reference.problems]


def test_network_features_are_cached_by_content(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bmnav.domain.network as network

    corpus = load_corpus()
    profile = load_profile(PROFILE, corpus)
    expected = network.structure(profile)
    assert corpus_index.network_features(profile) == expected
    assert list(cache_dir.glob("features-*.cache"))

    def boom(case: object) -> dict[str, object]:
        raise AssertionError("computed again")

    monkeypatch.setattr(network, "structure", boom)
    assert corpus_index.network_features(profile) == expected  # from the cache
    # another network is computed, never served from the cache
    target = tmp_path / "p.yaml"
    target.write_text(PROFILE.read_text(encoding="utf-8").replace("count: 40", "count: 41"), encoding="utf-8")
    changed = load_profile(target, corpus)
    with pytest.raises(AssertionError, match="computed again"):
        corpus_index.network_features(changed)


def test_metrics_are_cached_by_content(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    metrics = importlib.import_module("bmnav.domain.metrics")

    case = load_corpus().get("tire-as-a-service")
    expected = metrics.metrics(case)
    assert corpus_index.cached_metrics(case) == expected
    monkeypatch.setattr(metrics, "metrics", lambda case: {"stale": True})
    assert corpus_index.cached_metrics(case) == expected
    case.data["currency"] = "USD"  # part of the key: computed again
    assert corpus_index.cached_metrics(case) == {"stale": True}


# ---------------------------------------------------------------- the cached cases (`bmnav show`, `list`, ...)


def test_the_cached_corpus_is_the_corpus(data: Path, cache_dir: Path) -> None:
    first = load_corpus(data)
    assert len(list(cache_dir.glob("cases-*.cache"))) == 1
    second = _from_index(data)
    reference = load_corpus(data, cache=False)
    assert {k: (c.data, c.path) for k, c in second.cases.items()} == {
        k: (c.data, c.path) for k, c in reference.cases.items()
    }
    assert list(second.cases) == list(first.cases) == list(reference.cases)
    assert second.clusters_doc == reference.clusters_doc


def test_the_cached_corpus_sees_changed_added_and_removed_files(data: Path, cache_dir: Path) -> None:
    load_corpus(data)
    tire = data / "usecases" / "tire-as-a-service.yaml"
    text = tire.read_text(encoding="utf-8")
    tire.write_text(text.replace("company_size: large", "company_size: sme"), encoding="utf-8")
    assert load_corpus(data).get("tire-as-a-service").data["company_size"] == "sme"
    (data / "usecases" / "tire-copy.yaml").write_text(
        text.replace("id: tire-as-a-service", "id: tire-copy"), encoding="utf-8"
    )
    assert "tire-copy" in load_corpus(data).cases
    tire.unlink()
    corpus = load_corpus(data)
    assert "tire-as-a-service" not in corpus.cases and "tire-copy" in corpus.cases


def test_the_cached_corpus_keeps_reporting_case_errors(data: Path, cache_dir: Path) -> None:
    bad = data / "usecases" / "tire-as-a-service.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("company_size: large", "company_size: huge"), "utf-8")
    first = load_corpus(data)
    second = load_corpus(data)
    assert "tire-as-a-service" not in second.cases
    assert [(p.rule, p.line, p.column) for p in second.errors] == [(p.rule, p.line, p.column) for p in first.errors]
    assert second.errors


def test_the_cached_corpus_is_off_without_the_cache(
    data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BMNAV_NO_CACHE", "1")
    assert len(load_corpus(data).cases) == _count(data)
    assert not list(cache_dir.glob("cases-*"))


# ---------------------------------------------------------------- values computed from the cases


def _positions(corpus: Corpus) -> list[dict[str, object]]:
    from bmnav.domain.positions import position

    return [position(c, corpus).as_dict() for c in corpus]


def _save_memos(corpus: Corpus) -> None:
    """What happens when the process ends (`atexit`)."""
    assert corpus.memo is not None
    for kind in ("position", "metrics"):
        corpus.memo(kind).save()  # type: ignore[attr-defined]


def test_positions_are_kept_for_the_same_files(data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bmnav.domain import positions

    expected = _positions(load_corpus(data, cache=False))
    first = load_corpus(data)
    assert _positions(first) == expected
    _save_memos(first)
    assert len(list(cache_dir.glob("memo.position-*.cache"))) == 1

    def boom(*args: object) -> object:
        raise AssertionError("computed again")

    monkeypatch.setattr(positions, "_position", boom)
    assert _positions(_from_index(data)) == expected  # every one from the store
    # a case given by path (a profile, a revision) is never served from the store
    corpus = _from_index(data)
    outside = corpus.resolve(data / "usecases" / "tire-as-a-service.yaml")
    with pytest.raises(AssertionError, match="computed again"):
        positions.position(outside, corpus)


def test_a_changed_file_or_a_damaged_store_computes_positions_again(data: Path, cache_dir: Path) -> None:
    first = load_corpus(data)
    _positions(first)
    _save_memos(first)
    tire = data / "usecases" / "tire-as-a-service.yaml"
    tire.write_text(tire.read_text(encoding="utf-8").replace("access: ", "access: open  # ", 1), encoding="utf-8")
    assert _positions(load_corpus(data)) == _positions(load_corpus(data, cache=False))
    for store in cache_dir.glob("memo.position-*.cache"):
        store.write_bytes(store.read_bytes()[:-10])  # cut: the keyed hash no longer matches
    assert _positions(load_corpus(data)) == _positions(load_corpus(data, cache=False))


def test_export_is_the_same_from_the_kept_metrics(data: Path, cache_dir: Path) -> None:
    from bmnav.domain.flatten import rows
    from bmnav.render.export import render

    plain = load_corpus(data, cache=False)
    expected = render(list(rows("cases", plain, plain)), "cases", "csv")
    first = load_corpus(data)
    assert render(list(rows("cases", first, first)), "cases", "csv") == expected
    _save_memos(first)
    assert list(cache_dir.glob("memo.metrics-*.cache"))
    again = _from_index(data)
    assert render(list(rows("cases", again, again)), "cases", "csv") == expected


def test_one_corpus_loader() -> None:
    """Every command and the API get a corpus from `load_corpus`; the other ways are gone."""
    import bmnav
    import bmnav.cli.list_cmd as list_cmd
    from bmnav.storage import corpus

    assert bmnav.load_corpus is corpus.load_corpus
    for gone in ("cached_corpus", "indexed_corpus", "IndexedCorpus"):
        assert not hasattr(corpus_index, gone)
    assert not hasattr(list_cmd, "load")
    cli = ROOT / "bmnav" / "cli"
    for module in sorted(cli.glob("*_cmd.py")):
        text = module.read_text(encoding="utf-8")
        assert "corpus_index import" not in text.replace("corpus_index import ProfileCache", "").replace(
            "corpus_index import cached_metrics", ""
        ), module.name
