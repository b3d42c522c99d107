"""Issue 16 (maintainer): the setup in the docs works as written, and the
package is ready to publish (docs/release.md).

Builds with the installed backend (`--no-isolation`: no network), then checks
the metadata the way PyPI will, with `twine check --strict`.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import build  # noqa: F401  (in the test extra: pip install '.[test]')
import pytest
import twine  # noqa: F401
import yaml

ROOT = Path(__file__).resolve().parents[1]
SETUP_DOCS = [
    ROOT / "README.md",
    ROOT / "docs" / "validate.md",
    ROOT / "docs" / "corpus.md",
    ROOT / "docs" / "release.md",
]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_build_gives_a_wheel_and_an_sdist(dist: Path) -> None:
    [wheel] = dist.glob("bmnav-*-py3-none-any.whl")
    [sdist] = dist.glob("bmnav-*.tar.gz")
    with zipfile.ZipFile(wheel) as zf:
        assert "bmnav/data/clusters.yaml" in zf.namelist()
    with tarfile.open(sdist) as tf:
        names = tf.getnames()
    top = sdist.name.removesuffix(".tar.gz")
    assert {f"{top}/pyproject.toml", f"{top}/README.md", f"{top}/bmnav/storage/gitread.py"} <= set(names)


def test_twine_accepts_the_metadata(dist: Path) -> None:
    files = sorted(str(p) for p in dist.iterdir())
    proc = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == 2, proc.stdout


def _tags() -> set[str]:
    proc = subprocess.run(["git", "tag", "--list"], cwd=ROOT, capture_output=True, text=True)
    return set(proc.stdout.split())


def _published() -> bool:
    """A release exists once its tag does (docs/release.md, step 5)."""
    return any(re.fullmatch(r"v\d+\.\d+\.\d+", t) for t in _tags())


@pytest.mark.parametrize("doc", SETUP_DOCS, ids=lambda p: p.name)
def test_install_lines_work_before_a_release(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    code = "\n".join(re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S))
    for line in code.splitlines():
        if "pip install bmnav" in line and not _published():
            assert "pip install bmnav==" in line, f"{doc.name}: bmnav is not on PyPI yet: {line.strip()}"
    for rev in re.findall(r"^\s*rev:\s*(\S+)", text, flags=re.M):
        assert rev in _tags() or rev == "COMMIT_SHA", f"{doc.name}: pre-commit cannot check out rev {rev}"


def _yaml_blocks(doc: Path) -> list[dict]:  # type: ignore[type-arg]
    blocks = re.findall(r"```yaml\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.S)
    return [d for d in (yaml.safe_load(b) for b in blocks) if isinstance(d, dict)]


@pytest.mark.parametrize("doc", [ROOT / "README.md", ROOT / "docs" / "validate.md"], ids=lambda p: p.name)
def test_the_local_hook_matches_the_published_hook(doc: Path) -> None:
    [published] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    local = [
        hook
        for block in _yaml_blocks(doc)
        for repo in block.get("repos", [])
        if repo.get("repo") == "local"
        for hook in repo["hooks"]
    ]
    assert len(local) == 1, doc
    [hook] = local
    for key in ("id", "entry", "language", "require_serial", "files", "types"):
        assert hook[key] == published[key], (doc.name, key)
    [dep] = hook["additional_dependencies"]
    assert re.fullmatch(r"bmnav @ git\+https://github\.com/OWNER/bmnav@COMMIT_SHA", dep), dep
    # the documented file pattern selects what the hook should see
    files = re.compile(hook["files"])
    assert files.search("usecases/contrib/x.yaml") and files.search("clusters.yaml")
    assert not files.search("docs/notes.yaml")


def test_the_repository_hook_is_pinned_to_a_commit_until_a_release() -> None:
    for doc in (ROOT / "README.md", ROOT / "docs" / "validate.md"):
        remote = [repo for block in _yaml_blocks(doc) for repo in block.get("repos", []) if repo.get("repo") != "local"]
        assert [r["rev"] for r in remote] == ["COMMIT_SHA"], doc
        assert [h["id"] for r in remote for h in r["hooks"]] == ["bmnav-validate"]


def test_the_release_checklist_names_the_steps() -> None:
    text = (ROOT / "docs" / "release.md").read_text(encoding="utf-8")
    for step in ("python -m build", "twine check --strict dist/*", "bmnav/_version.py", "git tag -a", "twine upload"):
        assert step in text, step
