"""The bundled data folder as a whole: model files are recognised by name."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_data_folder_validates_strictly(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("validate", "--strict", "--format", "parsable", str(ROOT / "data"))
    assert (result.exit_code, result.stdout) == (0, ""), result


def test_the_text_model_is_checked_as_safe_yaml(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lexicon = tmp_path / "lexicon.yaml"
    lexicon.write_text("version: 1\nversion: 2\n", encoding="utf-8")
    result = run_cli("validate", "--format", "parsable", str(lexicon))
    assert result.exit_code == 1, result
    assert result.stdout.startswith(f"{lexicon}:2:1: error [duplicate-key]"), result
