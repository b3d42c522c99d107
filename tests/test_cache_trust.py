"""The cache never runs code and never decides a verdict alone (issue 13, cache part).

Each test reproduces a finding against the cache of an older bmnav (which ran
marshalled byte code from the cache folder, trusted stat keys and read
marshal stores) and checks that now the verdict is that of a cold run.
Fixtures: tests/hostile/cache/.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bmnav.storage import cache, corpus_index

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "hostile" / "cache"
MISSING = HOSTILE / "missing-six-fields.yaml"
CASE = ROOT / "data" / "usecases" / "airbus-skywise.yaml"
SIX = ["company", "country", "company_size", "cluster", "summary", "sources"]


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no memory of keys, warnings or stores read before."""
    monkeypatch.setattr(cache, "_keys", {}, raising=False)
    monkeypatch.setattr(cache, "_warned", set(), raising=False)
    monkeypatch.setattr(corpus_index, "_stores", {})


def _env(cache_folder: Path | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BMNAV_", "XDG_"))}
    env.update(PYTHONPATH=str(ROOT), COLUMNS="100", NO_COLOR="1", **extra)
    if cache_folder is not None:
        env["BMNAV_CACHE_DIR"] = str(cache_folder)
    return env


def _bmnav(*args: str, env: dict[str, str], cwd: Path, limit_memory: bool = False) -> subprocess.CompletedProcess[str]:
    def limit() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run(
        [sys.executable, "-m", "bmnav", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        preexec_fn=limit if limit_memory else None,
    )


def _case_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(CASE, folder / CASE.name)
    shutil.copy(MISSING, folder / MISSING.name)
    return folder


# --------------------------------------------------------------- nothing runs


def _plant_old_byte_code(folder: Path, marker: Path) -> None:
    """The attack on the old fast path: byte code named as the cached compiled
    use-case schema check, which ran it and used its `validate`."""
    import fastjsonschema

    from bmnav.checking.schema import load_schema

    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(load_schema("usecase"), sort_keys=True)
    digest = hashlib.sha256((text + fastjsonschema.VERSION + "|verdict-2").encode()).hexdigest()[:16]
    source = f"open({str(marker)!r}, 'w').close()\ndef validate(data, *args, **kwargs):\n    return data\n"
    code = compile(source, "planted", "exec")
    (folder / f"schema-usecase-{digest}.{sys.implementation.cache_tag}.marshal").write_bytes(
        marshal.dumps((sys.version, code))
    )


@pytest.mark.parametrize("switch", ["cache on", "--no-cache", "BMNAV_NO_CACHE=1"])
def test_planted_byte_code_never_runs(tmp_path: Path, switch: str) -> None:
    folder = tmp_path / "cache"
    marker = tmp_path / "planted-code-ran"
    _plant_old_byte_code(folder, marker)
    env = _env(folder, **({"BMNAV_NO_CACHE": "1"} if switch == "BMNAV_NO_CACHE=1" else {}))
    args = ["--no-cache"] if switch == "--no-cache" else []
    proc = _bmnav(*args, "validate", "--format", "json", str(MISSING), env=env, cwd=tmp_path)
    assert not marker.exists()
    assert proc.returncode == 1, proc.stderr
    (found,) = json.loads(proc.stdout)["problems"]
    assert (found["rule"], found["line"], found["column"]) == ("required-field", 3, 1)
    assert all(f"`{name}`" in found["message"] for name in SIX)


def test_no_generated_code_is_written_to_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    from bmnav.checking.validation import validate

    assert validate([_case_folder(tmp_path)]).exit_code() == 1
    names = sorted(p.name for p in cache_dir.iterdir())
    assert names and all(n == "key" or n.endswith(".cache") for n in names), names
    assert not any(n.startswith("schema-") for n in names)


# --------------------------------------------------------------- content, not timestamps


def test_a_same_size_rewrite_in_the_same_second_is_seen(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system with one-second timestamps, an invalid rewrite of the
    same size within the same second kept size, mtime, ctime and inode."""
    from bmnav.checking.validation import validate

    folder = tmp_path / "cases"
    folder.mkdir()
    f = folder / CASE.name
    shutil.copy(CASE, f)
    real_stat = os.stat

    def coarse(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        st = real_stat(path, *args, **kwargs)
        if str(path).startswith(str(folder)):  # everything there happened in the same second
            fields = list(st)
            fields[7:10] = [1_700_000_000] * 3
            extra = {"st_atime_ns": 1_700_000_000 * 10**9, "st_mtime_ns": 1_700_000_000 * 10**9}
            return os.stat_result(fields, {**extra, "st_ctime_ns": 1_700_000_000 * 10**9})
        return st

    monkeypatch.setattr(os, "stat", coarse)
    text = f.read_text(encoding="utf-8")
    broken = text.replace("cluster: data-trustee", "cluster: data-trustex")
    assert len(broken) == len(text)
    for _ in range(3):
        f.write_text(text, encoding="utf-8")
        assert validate([f]).exit_code() == 0
        f.write_text(broken, encoding="utf-8")  # same size, same inode, same second
        report = validate([f])
        assert report.exit_code() == 1
        assert [p.rule for p in report.problems] == ["cluster-unknown"]


# --------------------------------------------------------------- damaged stores


def _warm(tmp_path: Path, cache_folder: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = _case_folder(tmp_path)
    env = _env(cache_folder)
    assert _bmnav("--help", env=env, cwd=tmp_path).returncode == 0
    cold = _bmnav("validate", "--format", "json", str(folder), env=env, cwd=tmp_path)
    assert cold.returncode == 1
    assert _bmnav("validate", str(folder), env=env, cwd=tmp_path).returncode == 1  # model files, checked files
    return folder, cold


def test_junk_in_every_cache_file_is_ignored(tmp_path: Path) -> None:
    import random

    folder_cache = tmp_path / "cache"
    folder, cold = _warm(tmp_path, folder_cache)
    rng = random.Random(13)
    files = [p for p in folder_cache.iterdir() if p.is_file()]
    assert len(files) >= 3
    for p in files:
        p.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000))))
    env = _env(folder_cache)
    plain = _bmnav("--help", env=_env(None, BMNAV_NO_CACHE="1"), cwd=tmp_path)
    helped = _bmnav("--help", env=env, cwd=tmp_path)
    assert helped.returncode == 0 and helped.stdout == plain.stdout, helped.stderr
    again = _bmnav("validate", "--format", "json", str(folder), env=env, cwd=tmp_path)
    assert (again.returncode, again.stdout) == (cold.returncode, cold.stdout)
    assert "internal error" not in again.stderr


def test_a_marshal_header_that_asks_for_2_gib_is_harmless(tmp_path: Path) -> None:
    """Five bytes: a marshal string of 2**31-1 bytes; reading it as marshal asked
    for that much memory. Run under a 1 GiB address-space limit."""
    folder_cache = tmp_path / "cache"
    folder, cold = _warm(tmp_path, folder_cache)
    header = (HOSTILE / "marshal-2gib-header.bin").read_bytes()
    for p in folder_cache.iterdir():
        if p.is_file() and p.name != "key":
            p.write_bytes(header)
    env = _env(folder_cache)
    again = _bmnav("validate", "--format", "json", str(folder), env=env, cwd=tmp_path, limit_memory=True)
    assert (again.returncode, again.stdout) == (cold.returncode, cold.stdout), again.stderr
    assert _bmnav("--help", env=env, cwd=tmp_path, limit_memory=True).returncode == 0


def _tamper(path: Path, edit: Callable[[Any], None]) -> None:
    """Edit a store's data in place, in whatever format it has, without
    fixing any hash: what someone who can write the cache could do."""
    raw = path.read_bytes()
    magic = b"bmnav-cache-1\n"  # (cache.MAGIC; spelled out so that the test also runs on older code)
    if raw.startswith(magic):
        head = len(magic) + 65
        value = json.loads(raw[head:])
        edit(value)
        path.write_bytes(raw[:head] + json.dumps(value).encode())
    else:
        value = marshal.loads(raw)
        edit(value)
        path.write_bytes(marshal.dumps(value))


def test_an_edited_model_store_cannot_change_a_verdict(tmp_path: Path, cache_dir: Path) -> None:
    from bmnav.checking.validation import validate

    folder = tmp_path / "cases"
    folder.mkdir()
    f = folder / CASE.name
    f.write_text(CASE.read_text(encoding="utf-8").replace("cluster: data-trustee", "cluster: planted"), "utf-8")
    assert [p.rule for p in validate([f]).problems] == ["cluster-unknown"]
    (store,) = cache_dir.glob("model-*")

    def add_cluster(value: Any) -> None:
        for entry in value.values():  # path -> (key, [patterns path, key, clusters, patterns, ...])
            clusters = entry[1][2]["clusters"]
            clusters.append({**clusters[0], "id": "planted"})

    _tamper(store, add_cluster)
    for shard in cache_dir.glob("checked-*"):
        shard.unlink()  # the case itself is checked again, against the model store
    report = validate([f])
    assert report.exit_code() == 1
    assert [p.rule for p in report.problems] == ["cluster-unknown"]


def test_an_edited_verdict_is_not_served(tmp_path: Path, cache_dir: Path) -> None:
    from bmnav.checking.validation import validate

    folder = _case_folder(tmp_path)
    cold = validate([folder])
    assert cold.exit_code() == 1

    def clear_problems(value: Any) -> None:
        for entry in value.values():
            payload = entry[1]
            payload[0].clear()

    for shard in cache_dir.glob("checked-*"):
        _tamper(shard, clear_problems)
    again = validate([folder])
    assert again.exit_code() == 1 and again.problems == cold.problems


# --------------------------------------------------------------- whose folder


def _spy_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    import bmnav.checking.parallel as parallel

    calls: list[Path] = []
    real = parallel.map_files

    def spy(files, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.extend(files)
        return real(files, *args, **kwargs)

    monkeypatch.setattr(parallel, "map_files", spy)
    return calls


def test_a_folder_others_can_write_is_refused_once(
    tmp_path: Path, cache_dir: Path, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _case_folder(tmp_path)
    cache_dir.mkdir()
    os.chmod(cache_dir, 0o777)
    first = run_cli("validate", str(folder))
    second = run_cli("validate", str(folder))
    assert first.exit_code == second.exit_code == 1
    warnings = (first.stderr + second.stderr).count("not using the cache folder")
    assert warnings == 1, first
    assert f"not using the cache folder {cache_dir}: other users can write to it (mode 0777)" in first.stderr
    assert list(cache_dir.iterdir()) == []  # nothing written
    assert not cache.enabled()


def test_a_folder_of_another_user_or_under_a_shared_folder_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 4242, 4242)
    assert cache.untrusted(theirs) == "it belongs to another user (uid 4242)"
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    (shared / "cache").mkdir(mode=0o700)
    reason = cache.untrusted(shared / "cache")
    assert reason == f"other users can write to {shared} above it (mode 0777)"
    assert cache.untrusted(shared / "not-yet") == reason  # also before it exists
    os.chmod(shared, 0o1777)  # sticky, like /tmp: nobody else can rename what is ours
    assert cache.untrusted(shared / "cache") is None


def test_a_store_file_others_can_write_is_not_read(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bmnav.checking.validation import validate

    folder = _case_folder(tmp_path)
    validate([folder])
    for shard in cache_dir.glob("checked-*"):
        os.chmod(shard, 0o666)
    calls = _spy_checks(monkeypatch)
    assert validate([folder]).exit_code() == 1
    assert sorted(p.name for p in calls) == sorted([CASE.name, MISSING.name])  # checked again


# --------------------------------------------------------------- no home


def test_no_home_and_no_passwd_entry_runs_without_a_cache(
    tmp_path: Path, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import pwd

    def unknown(uid: int) -> Any:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    for name in ("HOME", "BMNAV_CACHE_DIR", "XDG_CACHE_HOME", "BMNAV_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(pwd, "getpwuid", unknown)
    folder = _case_folder(tmp_path)
    result = run_cli("validate", str(folder), cwd=tmp_path)
    assert result.exit_code == 1, result
    assert "internal error" not in result.stderr
    assert cache.cache_dir() is None and not cache.enabled()


@pytest.mark.parametrize("variable", ["HOME", "XDG_CACHE_HOME", "BMNAV_CACHE_DIR"])
def test_a_missing_home_is_not_created(tmp_path: Path, variable: str) -> None:
    folder = _case_folder(tmp_path)
    missing = tmp_path / "nonexistent" / "deeper"
    env = _env(None)
    env[variable] = str(missing)
    if variable != "HOME":
        env["HOME"] = str(tmp_path)  # an existing home, not used
    proc = _bmnav("validate", str(folder), env=env, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert not (tmp_path / "nonexistent").exists()
    assert not (tmp_path / ".cache").exists()


def test_the_cache_folder_itself_is_made_private(tmp_path: Path) -> None:
    folder = _case_folder(tmp_path)
    env = _env(None)
    env["HOME"] = str(tmp_path)
    assert _bmnav("validate", str(folder), env=env, cwd=tmp_path).returncode == 1
    made = tmp_path / ".cache" / "bmnav"
    assert (made.stat().st_mode & 0o777, (made / "key").stat().st_mode & 0o777) == (0o700, 0o600)
    assert all(p.stat().st_mode & 0o077 == 0 for p in made.iterdir())
