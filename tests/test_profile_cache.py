"""The cached profiles of `bmnav classify PROFILE` (issue 7): reused when
current, never stale, off with BMNAV_NO_CACHE, and never hiding errors.

A run whose corpus index, model files and profile are cached imports
neither PyYAML nor the schema checks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bmnav.checking.problems import BmnavError
from bmnav.classifying.classifier import load_profile
from bmnav.domain.model import Case, Vocabulary
from bmnav.storage import corpus_index
from bmnav.storage.corpus import load_corpus
from bmnav.storage.corpus_index import ProfileCache

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "acme-profile.yaml"
BAD = ROOT / "tests" / "fixtures" / "classify" / "bad-profile.yaml"

#: The modules a run served from the caches must not import.
SLOW = (
    "yaml",
    "_yaml",
    "bmnav.storage.loading",
    "bmnav.checking.validation",
    "bmnav.checking.schema",
    "fastjsonschema",
    "jsonschema",
    "networkx",
    # the free-text reader and its stemmer: a profile's facts come from the cache
    "snowballstemmer",
    "bmnav.classifying.textcues",
    "bmnav.classifying.textfacts",
)

#: Run the CLI in a fresh interpreter; report the exit code and which of SLOW it imported.
PROBE = """
import json, sys
from bmnav.cli import main
sys.argv = ["bmnav", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
slow = sorted(m for m in sys.modules if m in SLOW or m.split(".")[0] in SLOW)
print(json.dumps({"code": code, "slow": slow}), file=sys.stderr)
"""


def _probe(*args: str, cache: Path, no_cache: bool = False) -> tuple[int, list[str], str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BMNAV_")}
    env.update(BMNAV_CACHE_DIR=str(cache), NO_COLOR="1", COLUMNS="100", PYTHONPATH=str(ROOT))
    if no_cache:
        env["BMNAV_NO_CACHE"] = "1"
    proc = subprocess.run(
        [sys.executable, "-c", f"SLOW = {SLOW!r}\n{PROBE}", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    *messages, last = proc.stderr.strip().splitlines()
    report = json.loads(last)
    return report["code"], report["slow"], proc.stdout, "\n".join(messages)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The profiles read and checked from their files (not from the cache)."""
    seen: list[str] = []
    real: Callable[..., Case] = corpus_index.load_case

    def counting(path: Any, *args: Any, **kwargs: Any) -> Case:
        seen.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(corpus_index, "load_case", counting)
    return seen


# ---------------------------------------------------------------- fresh processes


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_repeated_classify_imports_neither_yaml_nor_the_checks(tmp_path: Path, fmt: str) -> None:
    cache = tmp_path / "cache"
    code, slow, first, _ = _probe("classify", str(PROFILE), "--format", fmt, cache=cache)
    assert code == 0 and "yaml" in slow and "bmnav.checking.validation" in slow  # the first run reads everything
    assert list(cache.glob("profile-*.cache"))
    code, slow, second, _ = _probe("classify", str(PROFILE), "--format", fmt, cache=cache)
    assert code == 0
    assert slow == []
    _, _, uncached, _ = _probe("classify", str(PROFILE), "--format", fmt, cache=cache, no_cache=True)
    assert second == first == uncached


def test_a_repeated_show_imports_no_yaml(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    code, slow, first, _ = _probe("show", "tire-as-a-service", "--format", "json", cache=cache)
    assert code == 0 and "yaml" in slow
    code, slow, second, _ = _probe("show", "tire-as-a-service", "--format", "json", cache=cache)
    assert code == 0 and slow == []
    assert json.loads(second) == json.loads(first)


def test_the_classify_and_show_modules_import_nothing_slow() -> None:
    """Only the functions that need them import the YAML reader and the checks."""
    code = (
        "import sys\n"
        "import bmnav.cli.classify_cmd, bmnav.cli.show_cmd, bmnav.classifying.classifier, bmnav.storage.corpus_index\n"
        "import bmnav.domain.cards, bmnav.storage.corpus, bmnav.render.classify\n"
        "import bmnav.domain.positions, bmnav.domain.metrics, bmnav.storage.cache\n"
        f"SLOW = {SLOW!r}\n"
        "print(sorted(m for m in sys.modules if m in SLOW or m.split('.')[0] in SLOW))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert proc.stdout.strip() == "[]"


def test_an_edited_profile_is_classified_afresh_in_a_new_process(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    profile = tmp_path / "acme.yaml"
    shutil.copy(PROFILE, profile)
    _probe("classify", str(profile), "--format", "json", cache=cache)
    _, slow, before, _ = _probe("classify", str(profile), "--format", "json", cache=cache)
    assert slow == [] and json.loads(before)["name"] == "Acme pumping as a service"
    st = profile.stat()
    text = profile.read_text(encoding="utf-8")
    changed = text.replace("name: Acme pumping", "name: Acne pumping")  # same size
    assert len(changed) == len(text) and changed != text
    profile.write_text(changed, encoding="utf-8")
    os.utime(profile, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size and mtime: only ctime tells
    code, slow, after, _ = _probe("classify", str(profile), "--format", "json", cache=cache)
    assert code == 0 and "yaml" in slow
    assert json.loads(after)["name"] == "Acne pumping as a service"


def test_an_error_made_in_a_cached_profile_is_reported_with_its_place(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    profile = tmp_path / "acme.yaml"
    shutil.copy(PROFILE, profile)
    for _ in range(2):
        code, _, _, _ = _probe("classify", str(profile), cache=cache)
        assert code == 0
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("access: closed", "access: public"), encoding="utf-8")
    for _ in range(2):  # and again: an error is never kept
        code, _, out, err = _probe("classify", str(profile), cache=cache)
        assert code == 1 and "Cluster:" not in out
        assert f'{profile}:18:11: error [invalid-value] offering.access: "public" is not allowed' in err


# ---------------------------------------------------------------- in process


def test_an_unchanged_profile_is_served_from_the_cache(cache_dir: Path, reads: list[str]) -> None:
    corpus = load_corpus()
    first = load_profile(PROFILE, corpus)
    second = load_profile(PROFILE, corpus)
    assert reads == ["acme-profile.yaml"]  # the second came from the store
    assert second.data == first.data and second.path == first.path == str(PROFILE)
    assert list(cache_dir.glob("profile-*.cache"))


def test_an_edit_of_the_same_size_and_mtime_is_seen(tmp_path: Path, cache_dir: Path, reads: list[str]) -> None:
    corpus = load_corpus()
    profile = tmp_path / "acme.yaml"
    shutil.copy(PROFILE, profile)
    assert load_profile(profile, corpus).company == "Acme Pumpen GmbH"
    st = profile.stat()
    profile.write_text(profile.read_text(encoding="utf-8").replace("Acme Pumpen", "Acne Pumpen"), encoding="utf-8")
    os.utime(profile, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert profile.stat().st_size == st.st_size
    assert load_profile(profile, corpus).company == "Acne Pumpen GmbH"
    assert load_profile(profile, corpus).company == "Acne Pumpen GmbH"
    assert reads == ["acme.yaml", "acme.yaml"]


def test_a_touched_profile_is_served_by_its_content(tmp_path: Path, cache_dir: Path, reads: list[str]) -> None:
    """The store is keyed by the file's content: a new timestamp alone does not
    make it read again (and a new content with old timestamps does, above)."""
    corpus = load_corpus()
    profile = tmp_path / "acme.yaml"
    shutil.copy(PROFILE, profile)
    first = load_profile(profile, corpus)
    st = profile.stat()
    os.utime(profile, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert load_profile(profile, corpus).data == first.data
    assert reads == ["acme.yaml"]


def test_no_cache_reads_every_time_and_writes_nothing(
    cache_dir: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = load_corpus()
    monkeypatch.setenv("BMNAV_NO_CACHE", "1")
    for _ in range(2):
        load_profile(PROFILE, corpus)
    assert reads == ["acme-profile.yaml", "acme-profile.yaml"]
    assert not list(cache_dir.glob("profile-*"))


def test_a_profile_with_errors_is_never_kept(cache_dir: Path, reads: list[str]) -> None:
    corpus = load_corpus()
    for _ in range(2):
        with pytest.raises(BmnavError) as info:
            load_profile(BAD, corpus)
        places = sorted((p.line, p.column, p.rule) for p in info.value.problems)
        assert places == [(4, 11, "invalid-value"), (6, 15, "wrong-type")]
    assert reads == ["bad-profile.yaml", "bad-profile.yaml"]


def test_another_vocabulary_checks_the_profile_again(cache_dir: Path, reads: list[str]) -> None:
    corpus = load_corpus()
    load_profile(PROFILE, corpus)
    clusters = {
        **corpus.clusters_doc,
        "role_types": [r for r in corpus.clusters_doc["role_types"] if r["id"] != "iot-solution-provider"],
    }
    narrower = Vocabulary.from_data(clusters, corpus.patterns_doc)
    with pytest.raises(BmnavError) as info:
        ProfileCache().load(PROFILE, narrower)
    assert [p.rule for p in info.value.problems if p.level.value == "error"] == ["role-type-unknown"]
    assert reads == ["acme-profile.yaml", "acme-profile.yaml"]


def test_changing_the_returned_data_does_not_change_the_cache(
    tmp_path: Path, cache_dir: Path, reads: list[str]
) -> None:
    corpus = load_corpus()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(PROFILE, tmp_path / name)
    load_profile(tmp_path / "a.yaml", corpus)  # kept
    profiles = ProfileCache()
    served = profiles.load(tmp_path / "a.yaml", corpus.vocab)  # from the store
    served.data["name"] = "changed by the caller"
    read = profiles.load(tmp_path / "b.yaml", corpus.vocab)  # read, and kept
    read.data["name"] = "changed by the caller"
    profiles.save()
    assert reads == ["a.yaml", "b.yaml"]
    for name in ("a.yaml", "b.yaml"):
        assert load_profile(tmp_path / name, corpus).name == "Acme pumping as a service"
    assert reads == ["a.yaml", "b.yaml"]  # both from the store


def test_the_batch_reads_only_what_changed(
    tmp_path: Path, cache_dir: Path, reads: list[str], run_cli: Callable[..., Any]
) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copy(PROFILE, folder / "a.yaml")
    shutil.copy(BAD, folder / "b.yaml")
    shutil.copy(PROFILE, folder / "c.yaml")
    first = run_cli("classify", str(folder), "--format", "json")
    assert sorted(reads) == ["a.yaml", "b.yaml", "c.yaml"]
    reads.clear()
    second = run_cli("classify", str(folder), "--format", "json")
    assert reads == ["b.yaml"]  # the one with errors, read and reported again
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout and first.stderr == second.stderr
    assert "b.yaml:4:11: error [invalid-value]" in second.stderr
