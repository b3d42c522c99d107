"""The wheel carries the bundled data and schemas, and an installed bmnav finds
them with importlib.resources from any folder.

Builds with the installed hatchling (in the `test` extra), without network.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import hatchling  # noqa: F401  (the wheel tests need it: pip install '.[test]')
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [built] = out.glob("bmnav-*.whl")
    return built


def _expected_members() -> set[str]:
    names = {"bmnav/data/clusters.yaml", "bmnav/data/patterns.yaml"}
    names |= {f"bmnav/data/usecases/{p.name}" for p in (ROOT / "data" / "usecases").glob("*.yaml")}
    names |= {f"bmnav/schemas/{p.name}" for p in (ROOT / "schemas").glob("*.json")}
    return names


def test_wheel_holds_the_data_and_the_schemas(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        members = set(zf.namelist())
        missing = _expected_members() - members
        assert not missing, f"not in the wheel: {sorted(missing)}"
        assert len([n for n in members if n.startswith("bmnav/data/usecases/")]) >= 10
        for name in ("bmnav/data/clusters.yaml", "bmnav/schemas/usecase.schema.json"):
            assert zf.read(name) == (ROOT / name.removeprefix("bmnav/")).read_bytes()


def test_wheel_holds_the_package_and_its_entry_point(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        members = set(zf.namelist())
        assert {"bmnav/__init__.py", "bmnav/__main__.py", "bmnav/py.typed", "bmnav/cli/validate_cmd.py"} <= members
        [entry_points] = [n for n in members if n.endswith(".dist-info/entry_points.txt")]
        assert "bmnav = bmnav.entry:main" in zf.read(entry_points).decode()
        assert not any(n.startswith(("tests/", "bmnav/tests/")) for n in members)


def test_installed_wheel_works_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    """A real (not editable) install into a fresh venv finds its data inside the package."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    # Like --system-site-packages, but for the environment running the tests (which may
    # itself be a venv, as in .ci/run): its packages come after the venv's own, so the
    # venv's bmnav wins and the dependencies need no network.
    venv_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    outer = [p for p in sys.path if p.endswith(("site-packages", "dist-packages")) and Path(p).is_dir()]
    (Path(venv_site) / "_outer_env.pth").write_text("\n".join(outer) + "\n", encoding="utf-8")
    install = subprocess.run(
        # --ignore-installed: the outer environment may hold bmnav too (as in .ci/run)
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BMNAV_DATA")}
    env["BMNAV_CACHE_DIR"] = str(tmp_path / "cache")

    where = subprocess.run(
        [
            str(python),
            "-c",
            "import bmnav, bmnav.storage.resources as r; print(bmnav.__file__); print(r.bundled_data_dir()); "
            "print(r.schemas_dir())",
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=120,
    )
    assert where.returncode == 0, where.stderr
    for line in where.stdout.splitlines():
        assert Path(line).resolve().is_relative_to(venv.resolve()), f"not from the installed wheel: {line}"

    result = subprocess.run(
        [str(bindir / "bmnav"), "validate"], capture_output=True, text=True, cwd=elsewhere, env=env, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    n_cases = len(list((ROOT / "data" / "usecases").glob("*.yaml")))
    assert f"{n_cases + 2} files checked, 0 errors" in result.stdout

    schema = subprocess.run(
        [str(bindir / "bmnav"), "schema", "clusters"], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    assert schema.returncode == 0 and '"urn:bmnav:schema:clusters:1"' in schema.stdout
