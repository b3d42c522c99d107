"""The fast paths of issue 7, checked for behaviour (never for time).

- a repeated `bmnav classify PROFILE` or `bmnav show CASE` needs no networkx
  (the features and metrics come from caches keyed by content), and
  `--format json` no Rich;
- every cache can be switched off, and none serves a stale result;
- checking many files leaves the garbage collector as it found it.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "acme-profile.yaml"

#: Run the CLI in a fresh interpreter and print which heavy modules it imported.
PROBE = """
import json, sys
from bmnav.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = sorted({m.split(".")[0] + ("." + m.split(".")[1] if m.startswith("rich.") else "")
                for m in sys.modules if m.split(".")[0] in ("networkx", "jsonschema", "rich")})
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def _probe(*args: str, cache: Path, no_cache: bool = False) -> tuple[int, list[str], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BMNAV_")}
    env.update(BMNAV_CACHE_DIR=str(cache), NO_COLOR="1", COLUMNS="100", PYTHONPATH=str(ROOT))
    if no_cache:
        env["BMNAV_NO_CACHE"] = "1"
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    return report["code"], report["heavy"], proc.stdout


def test_a_repeated_classify_needs_no_networkx_and_json_no_rich(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    code, heavy, first = _probe("classify", str(PROFILE), "--format", "json", cache=cache)
    assert code == 0 and "networkx" in heavy  # the first run computes the features
    code, heavy, second = _probe("classify", str(PROFILE), "--format", "json", cache=cache)
    assert code == 0
    assert "networkx" not in heavy and "jsonschema" not in heavy
    assert not [m for m in heavy if m.startswith("rich")]
    assert json.loads(second) == json.loads(first)


def test_a_repeated_show_needs_no_networkx(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    code, heavy, first = _probe("show", "tire-as-a-service", "--format", "json", cache=cache)
    assert code == 0 and "networkx" in heavy
    code, heavy, second = _probe("show", "tire-as-a-service", "--format", "json", cache=cache)
    assert code == 0 and "networkx" not in heavy
    assert json.loads(second) == json.loads(first)


def test_without_the_cache_classify_computes_everything_and_writes_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for _ in range(2):
        code, heavy, _ = _probe("classify", str(PROFILE), "--format", "json", cache=cache, no_cache=True)
        assert code == 0 and "networkx" in heavy
    written = sorted(p.name for p in cache.glob("*")) if cache.exists() else []
    assert not [n for n in written if n.startswith(("corpus-", "features-", "metrics-", "model-", "checked-"))]


def test_the_no_cache_option_switches_the_caches_off(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    code, _, _ = _probe("--no-cache", "show", "tire-as-a-service", "--format", "json", cache=cache)
    assert code == 0
    written = sorted(p.name for p in cache.glob("*")) if cache.exists() else []
    assert not [n for n in written if n.startswith(("corpus-", "features-", "metrics-", "model-"))]


def test_a_changed_profile_is_classified_afresh(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    profile = tmp_path / "acme.yaml"
    shutil.copy(PROFILE, profile)
    _, _, before = _probe("classify", str(profile), "--format", "json", cache=cache)
    assert json.loads(before)["facts"]["network.usage_rights"] is True
    # the pumps are sold instead of lent: no usage right any more
    text = PROFILE.read_text(encoding="utf-8")
    profile.write_text(text.replace("kind: usage-right", "kind: goods"), encoding="utf-8")
    code, heavy, after = _probe("classify", str(profile), "--format", "json", cache=cache)
    assert code == 0 and "networkx" in heavy  # a new network: its features are computed
    assert json.loads(after)["facts"]["network.usage_rights"] is False
    _, _, uncached = _probe("classify", str(profile), "--format", "json", cache=cache, no_cache=True)
    assert json.loads(after) == json.loads(uncached)


def test_a_changed_model_file_is_seen_by_load_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bmnav.corpus import load_corpus

    cache = tmp_path / "cache"
    monkeypatch.setenv("BMNAV_CACHE_DIR", str(cache))
    monkeypatch.delenv("BMNAV_NO_CACHE", raising=False)
    data = tmp_path / "data"
    (data / "usecases").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "usecases" / "tire-as-a-service.yaml", data / "usecases")
    shutil.copy(ROOT / "data" / "clusters.yaml", data / "clusters.yaml")
    assert load_corpus(data).clusters["efficiency"]["name"] == "Efficiency"
    assert list(cache.glob("model-*.marshal"))
    assert load_corpus(data).clusters["efficiency"]["name"] == "Efficiency"  # from the cache
    clusters = data / "clusters.yaml"
    text = clusters.read_text(encoding="utf-8")
    clusters.write_text(text.replace("    name: Efficiency\n", "    name: Efficiencx\n", 1), encoding="utf-8")
    assert load_corpus(data).clusters["efficiency"]["name"] == "Efficiencx"


def test_checking_many_files_restores_the_garbage_collector(tmp_path: Path) -> None:
    from bmnav.loading import Limits
    from bmnav.model import Vocabulary
    from bmnav.parallel import map_files

    f = tmp_path / "a.yaml"
    f.write_text("id: a\nname: A\n", encoding="utf-8")
    assert gc.isenabled()
    checked = map_files([f] * 3, Vocabulary(), profile=True, limits=Limits(), jobs=1)
    assert gc.isenabled() and len(checked) == 3
    assert all(c.loaded._root is None for c in checked)  # node trees are not kept
    assert checked[0].loaded.where(["name"]) == (2, 7)  # but a location can still be found
    gc.disable()
    try:
        map_files([f], Vocabulary(), profile=True, limits=Limits(), jobs=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_compiled_schema_code_is_kept_and_agrees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bmnav import fastcheck
    from bmnav.schema import load_schema

    monkeypatch.setenv("BMNAV_CACHE_DIR", str(tmp_path / "cache"))
    schema = load_schema("usecase")
    first = fastcheck.compiled("usecase", schema)
    assert list((tmp_path / "cache").glob("schema-usecase-*.marshal"))
    second = fastcheck.compiled("usecase", schema)  # from the byte code
    good = {"id": "x", "name": "X"}
    for func in (first, second):
        with pytest.raises(Exception):  # noqa: B017 - fastjsonschema's own exception class
            func(good)  # required fields are missing in a case
    damaged = next((tmp_path / "cache").glob("schema-usecase-*.marshal"))
    damaged.write_bytes(b"not marshal")
    third = fastcheck.compiled("usecase", schema)  # a damaged file is ignored and rewritten
    with pytest.raises(Exception):  # noqa: B017
        third(good)


def test_the_store_of_checked_files_is_split_by_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bmnav import cache
    from bmnav.validation import validate

    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("BMNAV_CACHE_DIR", str(cache_dir))
    monkeypatch.delenv("BMNAV_NO_CACHE", raising=False)
    case = ROOT / "data" / "usecases" / "tire-as-a-service.yaml"
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(case, tmp_path / folder / case.name)
    assert validate([tmp_path / "a"]).exit_code() == 0
    assert validate([tmp_path / "b"]).exit_code() == 0
    shards = sorted(cache_dir.glob("checked-*.marshal"))
    assert len(shards) == 2
    store = cache.Store("checked", shards[0].stem.split("-")[1])
    assert store.get(tmp_path / "b" / case.name) is not None
    assert len(store._shards) == 1  # only the folder asked about was read
    # stores of older run keys are pruned, a few kept
    for i in range(6):
        stale = cache_dir / f"checked-{i:020d}-{'0' * 12}.marshal"
        stale.write_bytes(b"{}")
        os.utime(stale, (i, i))
    (cache_dir / "checked-oldlayout.marshal").write_bytes(b"{}")
    cache._prune(cache_dir, "checked")
    keys = {p.stem.split("-")[1] for p in cache_dir.glob("checked-*.marshal")}
    assert len(keys) == 4 and store.key in keys
    assert not (cache_dir / "checked-oldlayout.marshal").exists()
