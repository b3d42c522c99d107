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
from collections.abc import Iterable, Iterator
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
    assert not [
        n for n in written if n.startswith(("corpus-", "features-", "metrics-", "model-", "checked-", "profile-"))
    ]


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
    from bmnav.storage.corpus import load_corpus

    cache = tmp_path / "cache"
    monkeypatch.setenv("BMNAV_CACHE_DIR", str(cache))
    monkeypatch.delenv("BMNAV_NO_CACHE", raising=False)
    data = tmp_path / "data"
    (data / "usecases").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "usecases" / "tire-as-a-service.yaml", data / "usecases")
    shutil.copy(ROOT / "data" / "clusters.yaml", data / "clusters.yaml")
    assert load_corpus(data).clusters["efficiency"]["name"] == "Efficiency"
    assert list(cache.glob("model-*.cache"))
    assert load_corpus(data).clusters["efficiency"]["name"] == "Efficiency"  # from the cache
    clusters = data / "clusters.yaml"
    text = clusters.read_text(encoding="utf-8")
    clusters.write_text(text.replace("    name: Efficiency\n", "    name: Efficiencx\n", 1), encoding="utf-8")
    assert load_corpus(data).clusters["efficiency"]["name"] == "Efficiencx"


def test_checking_many_files_restores_the_garbage_collector(tmp_path: Path) -> None:
    from bmnav.checking.validation import check_files
    from bmnav.domain.model import Vocabulary
    from bmnav.storage.loading import Limits

    f = tmp_path / "a.yaml"
    f.write_text("id: a\nname: A\n", encoding="utf-8")
    assert gc.isenabled()
    checked = check_files([f] * 3, Vocabulary(), profile=True, limits=Limits(), jobs=1)
    assert gc.isenabled() and len(checked) == 3
    assert all(c.loaded._root is None for c in checked)  # node trees are not kept
    assert checked[0].loaded.where(["name"]) == (2, 7)  # but a location can still be found
    gc.disable()
    try:
        check_files([f], Vocabulary(), profile=True, limits=Limits(), jobs=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_shipped_schema_code_is_used_and_agrees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The generated checks ship in bmnav/checking/fastschemas/; nothing is written to or
    loaded from the cache folder, and a schema they were not made from gets
    code generated in memory."""
    from bmnav.checking import fastcheck
    from bmnav.checking.fastschemas import usecase
    from bmnav.checking.schema import load_schema

    monkeypatch.setenv("BMNAV_CACHE_DIR", str(tmp_path / "cache"))
    schema = load_schema("usecase")
    first = fastcheck.compiled("usecase", schema)
    assert first is usecase.validate
    assert not (tmp_path / "cache").exists()
    other = {**schema, "required": ["id"]}
    second = fastcheck.compiled("usecase", other)  # not the shipped module's schema
    assert second is not usecase.validate
    good = {"id": "x", "name": "X"}
    with pytest.raises(Exception):  # noqa: B017 - fastjsonschema's own exception class
        first(good)  # required fields are missing in a case
    second(good)


def test_the_store_of_checked_files_is_split_by_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bmnav.checking.validation import validate
    from bmnav.storage import cache

    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("BMNAV_CACHE_DIR", str(cache_dir))
    monkeypatch.delenv("BMNAV_NO_CACHE", raising=False)
    case = ROOT / "data" / "usecases" / "tire-as-a-service.yaml"
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(case, tmp_path / folder / case.name)
    assert validate([tmp_path / "a"]).exit_code() == 0
    assert validate([tmp_path / "b"]).exit_code() == 0
    shards = sorted(cache_dir.glob("checked-*.cache"))
    assert len(shards) == 2
    store = cache.Store("checked", shards[0].stem.split("-")[1])
    assert store.get(tmp_path / "b" / case.name) is not None
    assert len(store._shards) == 1  # only the folder asked about was read
    # stores of older run keys are pruned, a few kept
    for i in range(6):
        stale = cache_dir / f"checked-{i:020d}-{'0' * 12}.cache"
        stale.write_bytes(b"{}")
        os.utime(stale, (i, i))
    (cache_dir / "checked-oldlayout.marshal").write_bytes(b"{}")  # a store of an older bmnav
    cache.prune(cache_dir, "checked")
    keys = {p.stem.split("-")[1] for p in cache_dir.glob("checked-*.cache")}
    assert len(keys) == 4 and store.key in keys
    assert not (cache_dir / "checked-oldlayout.marshal").exists()


# --- cold validation (issue 7): quicker paths that must read and report the same ---


def _full_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every screened file take the full loader, as before the quick path."""
    from bmnav.storage.loading import loader

    screen = loader.screen_plain
    monkeypatch.setattr(loader, "screen_plain", lambda *args: (screen(*args)[0], False))


SCREENED = [
    # an `&` in a text (no anchor), duplicate and non-string keys, typed values
    "id: r-and-d\nname: R&D *lab*\nname: again\n1: one\nyes: two\ncount: 12\nyear: 2019\nwhen: 2001-12-14\n",
    # larger than the quick path's size limit, nested
    "id: big\nname: Big\nnetwork:\n  roles:\n"
    + "".join(f"    - {{id: role-{i}, name: Role {i}, count: {i + 1}, external: true}}\n" for i in range(400)),
    # anchors, aliases and a merge key: only the full loader handles them
    "id: m\nbase: &b {name: B, count: 2}\nmerged:\n  <<: *b\n  name: C\n",
    # a plain `=` and `<<` as values, and a tag
    "id: v\nname: R&D\nx: =\ny: <<\nz: !!str 12\n",
    # two bad values: the one the full loader meets first is reported
    "id: bad\nname: R&D\nnested:\n  deeper: {when: 2001-13-45}\nwhen: 2001-02-30\n",
]


@pytest.mark.parametrize("text", SCREENED)
def test_a_screened_plain_file_reads_as_the_full_loader_reads_it(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from bmnav.storage.loading import load_text

    def outcome() -> tuple[object, list[tuple[int, int, str, str]]]:
        loaded = load_text(text, "case.yaml")
        return loaded.data, sorted((p.line, p.column, p.rule, p.message) for p in loaded.problems)

    quick = outcome()
    _full_loader(monkeypatch)
    assert quick == outcome()


def test_a_large_plain_file_keeps_its_node_tree_for_locations() -> None:
    from bmnav.storage.loading import load_text

    text = SCREENED[1]
    assert len(text) > 16_384
    loaded = load_text(text, "case.yaml")
    assert loaded._root is not None  # composed by the quick path
    assert loaded.where(["network", "roles", 399, "count"]) == (404, 45)


def test_reading_a_file_that_grew_since_it_was_looked_at(tmp_path: Path) -> None:
    from bmnav.storage.loading import Limits, read_bytes

    f = tmp_path / "case.yaml"
    f.write_bytes(b"id: a\nname: A\n" * 10)

    class Stale(type(f)):  # type: ignore[misc]
        def stat(self, *args: object, **kwargs: object) -> os.stat_result:
            st = super().stat()
            return os.stat_result((st.st_mode, *st[1:6], 5, *st[7:]))  # the size before it grew

    raw, problem = read_bytes(Stale(f), Limits())
    assert problem is None and raw == f.read_bytes()
    raw, problem = read_bytes(Stale(f), Limits(max_bytes=20))
    assert raw is None and problem is not None and problem.rule == "file-too-large"


def test_the_compiled_schema_check_leaves_the_data_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Like the reference validator, the fast path fills in no schema defaults:
    rules must see what the file says (a focal role without `external` is fine)."""
    from bmnav.checking import fastcheck
    from bmnav.checking.schema import load_schema
    from bmnav.storage.loading import load_file

    monkeypatch.setenv("BMNAV_CACHE_DIR", str(tmp_path / "cache"))
    func = fastcheck.compiled("usecase", load_schema("usecase"))
    data = load_file(ROOT / "tests" / "cases" / "valid" / "minimal-marketplace.yaml").data
    for role in data["network"]["roles"]:
        role.pop("external", None)
        role.pop("count", None)
    func(data)
    assert all("external" not in r and "count" not in r for r in data["network"]["roles"])
    bad = {**data, "network": {**data["network"], "roles": [{"id": "Not A Slug"}]}}
    with pytest.raises(Exception):  # noqa: B017 - fastjsonschema's own exception class
        func(bad)


def test_the_reference_check_without_references_finds_the_same_errors() -> None:
    import copy
    import random

    import jsonschema

    from bmnav.checking import schema
    from bmnav.storage.loading import load_file

    docs = [load_file(f).data for f in sorted((ROOT / "tests" / "cases").rglob("*.yaml"))]
    docs = [d for d in docs if isinstance(d, dict)]
    rng = random.Random(7)
    junk: list[object] = [None, 3, 2.5, True, "", "NO", "Not_A_Slug", [], [1], {}, {"zz": 1}]

    def mutate(doc: dict[str, object]) -> dict[str, object]:
        doc = copy.deepcopy(doc)
        for _ in range(3):
            node: object = doc
            while isinstance(node, (dict, list)) and node and rng.random() < 0.7:
                child = rng.choice(list(node.values()) if isinstance(node, dict) else node)
                if not isinstance(child, (dict, list)) or not child:
                    break
                node = child
            if isinstance(node, dict) and node:
                node[rng.choice(list(node))] = copy.deepcopy(rng.choice(junk))
            elif isinstance(node, list) and node:
                node[rng.randrange(len(node))] = copy.deepcopy(rng.choice(junk))
        return doc

    def errors(validator: object, doc: object) -> list[tuple[object, ...]]:
        return [
            (e.validator, list(e.absolute_path), e.message, list((e.schema.get("properties") or {}).keys()))
            for e in validator.iter_errors(doc)  # type: ignore[attr-defined]
        ]

    for name, profile in (("usecase", False), ("usecase", True), ("clusters", False)):
        raw = jsonschema.Draft202012Validator(schema.schema_for(name, profile=profile))
        inlined = schema._reference(name, profile)
        samples = docs if name == "usecase" else [load_file(ROOT / "data" / "clusters.yaml").data]
        for doc in samples:
            for variant in [doc] + [mutate(doc) for _ in range(5)]:
                assert errors(inlined, variant) == errors(raw, variant)


def test_reciprocity_counts_each_flow_as_before() -> None:
    """The one-pass reciprocity rule against the rule as first written, on odd flows."""
    import random

    from bmnav.checking.rules import Context
    from bmnav.checking.rules.cases import GIVING_KINDS, reciprocity
    from bmnav.domain.model import Vocabulary
    from bmnav.storage.loading import Loaded

    def before(data: dict[str, object]) -> list[tuple[str, str]]:
        net = data["network"]
        assert isinstance(net, dict)
        flows = [f for f in net["flows"] if isinstance(f, dict)]
        out: list[tuple[str, str]] = []
        if not flows:
            return out
        for role in net["roles"]:
            if not isinstance(role, dict) or not isinstance(role.get("id"), str):
                continue
            rid = role["id"]
            gets = {f.get("kind") for f in flows if f.get("to") == rid and f.get("from") != rid}
            gives = {f.get("kind") for f in flows if f.get("from") == rid and f.get("to") != rid}
            if sorted(k for k in gets if k in GIVING_KINDS) and not gives:
                out.append((rid, "gets"))
            elif "money" in gives and not gets:
                out.append((rid, "pays"))
        return out

    rng = random.Random(3)
    ends: list[object] = ["a", "b", "c", None, 1, "a"]
    kinds = ["money", "data", "goods", "intangible", None, "service"]
    for _ in range(500):
        roles: list[object] = [{"id": r} for r in ("a", "b", "c") if rng.random() < 0.8] + [{"name": "no id"}, "x"]
        flows: list[object] = [
            {"from": rng.choice(ends), "to": rng.choice(ends), "kind": rng.choice(kinds)}
            for _ in range(rng.randint(0, 6))
        ]
        data: dict[str, object] = {"id": "x", "network": {"roles": roles, "flows": [*flows, "junk"]}}
        ctx = Context(Loaded("<x>", None, data=data), data, Vocabulary(), "usecase", False)
        found = [
            (p.message.split('"')[1], "gets" if "gives nothing back" in p.message else "pays") for p in reciprocity(ctx)
        ]
        assert found == before(data)


def _cases(tmp_path: Path, count: int) -> list[Path]:
    source = (ROOT / "tests" / "cases" / "valid" / "minimal-marketplace.yaml").read_text(encoding="utf-8")
    files = []
    for i in range(count):
        f = tmp_path / f"case-{i:03d}.yaml"
        text = source.replace("id: minimal-marketplace", f"id: case-{i:03d}", 1)
        f.write_text(text if i % 7 else text.replace("kind: money", "kind: cash", 1), encoding="utf-8")
        files.append(f)
    return files


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")
def test_forked_workers_give_the_results_of_one_process_in_order(tmp_path: Path) -> None:
    from bmnav.checking.validation import check_files, load_vocabulary
    from bmnav.storage.loading import Limits
    from bmnav.storage.resources import data_dir

    vocab, _ = load_vocabulary(data_dir(None))
    files = _cases(tmp_path, 450)  # above the threshold: workers are used
    one = check_files(files, vocab, profile=False, limits=Limits(), jobs=1, slim=True)
    seen: list[int] = []

    def track(results: object, total: int) -> object:
        seen.append(total)
        return results

    many = check_files(files, vocab, profile=False, limits=Limits(), jobs=3, slim=True, track=track)
    assert seen == [450]
    assert [(c.loaded.path, c.loaded.data, c.problems) for c in many] == [
        (c.loaded.path, c.loaded.data, c.problems) for c in one
    ]
    assert sum(1 for c in many if c.problems) == len(range(0, 450, 7))
    assert _no_children_left()


def _names(tmp_path: Path, count: int) -> list[Path]:
    """Paths (never read) for work functions that look only at the name."""
    return [tmp_path / f"case-{i:03d}.yaml" for i in range(count)]


def _pids(files: list[Path]) -> set[int]:
    """The processes that did the work for these files."""
    from bmnav.checking import parallel

    return set(parallel.map_files(files, lambda f: os.getpid(), jobs=2))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")
def test_a_failing_or_dying_worker_stops_the_run_without_hanging(tmp_path: Path) -> None:
    """The standard pool raises a worker's exception here, and a dead worker
    breaks the pool instead of leaving the run waiting; no worker outlives a run."""
    from bmnav.checking import parallel

    files = _names(tmp_path, 2 * parallel.PARALLEL_THRESHOLD)
    assert os.getpid() not in _pids(files)  # the pool is used for this many files
    assert _no_children_left()

    def boom(f: Path) -> object:
        if f.name == "case-042.yaml":
            raise ValueError("bad luck")
        return f.name

    with pytest.raises(ValueError, match="bad luck"):
        parallel.map_files(files, boom, jobs=2)
    assert _no_children_left()

    def dies(f: Path) -> object:
        if f.name == "case-042.yaml":
            os._exit(7)
        return f.name

    with pytest.raises(RuntimeError, match="worker process stopped before checking all files; run again with --jobs 1"):
        parallel.map_files(files, dies, jobs=2)
    assert _no_children_left()

    def track(results: Iterable[object], total: int) -> Iterator[object]:
        yield next(iter(results))
        raise KeyboardInterrupt  # stopped early (Ctrl-C during a progress bar)

    with pytest.raises(KeyboardInterrupt):
        parallel.map_files(files, lambda f: f.name, jobs=2, track=track)
    assert _no_children_left()
    assert parallel.map_files(files, lambda f: f.name, jobs=2) == [f.name for f in files]
    assert _no_children_left()


def test_without_fork_the_files_are_checked_in_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bmnav.checking import parallel

    files = _names(tmp_path, 2 * parallel.PARALLEL_THRESHOLD)
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    assert _pids(files) == {os.getpid()}
