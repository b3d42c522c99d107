"""`bmnav classify` on the command line: inputs, outputs, bad input, the questionnaire."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "classify"
EXAMPLE = str(ROOT / "examples" / "acme-profile.yaml")

# name, size, industry, access, revenue, ownership, involvement, sharing, changes, technologies
ANSWERS = [
    "Acme Pumps",
    "sme",
    "Pumps",
    "closed",
    "pay-per-use, service-fee",
    "provider",
    "none",
    "bilateral",
    "what, how, value",
    "-",  # technologies: don't know
]


def _json_after_prompts(stdout: str) -> dict:  # type: ignore[type-arg]
    """CliRunner echoes the typed answers to stdout; the JSON document follows them."""
    return json.loads(stdout[stdout.index("{\n") :])


def test_json_shape(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("classify", EXAMPLE, "--format", "json")
    assert res.exit_code == 0, res
    d = json.loads(res.stdout)
    for key in ("ranking", "also", "missing_facts", "similar", "maturity", "position", "confidence", "coverage"):
        assert key in d
    assert [set(r) >= {"cluster", "score", "confidence", "evidence"} for r in d["ranking"]] == [True] * 6
    assert abs(sum(r["score"] for r in d["ranking"]) - 1) < 1e-3
    assert d["ranking"][0]["cluster"] == "as-a-service"
    ev = d["ranking"][0]["evidence"]["for"][0]
    assert set(ev) >= {"fact", "is", "weight", "why", "value"}
    assert set(d["similar"][0]) >= {"case", "similarity", "shared", "section"}
    assert set(d["maturity"]) >= {"stage", "next"}
    assert set(d["position"]) >= {"openness", "ecosystem_size"}


def test_text_output_has_bars_and_tables(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("classify", EXAMPLE)
    assert res.exit_code == 0, res
    out = res.stdout
    assert "Clusters, ranked" in out
    assert "█" in out and "░" in out
    for cid in ("efficiency", "marketplace", "data-trustee", "mass-customisation", "as-a-service"):
        assert cid in out
    assert "Evidence: Value adding services in operation" in out
    assert "Most similar cases of the corpus" in out
    assert "tire-as-a-service" in out
    assert "Maturity: stage 2" in out
    assert "Recommendations of the report" in out


def test_folder_gives_json_lines(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("xometry.yaml", "dawex.yaml", "siemens-amberg.yaml"):
        shutil.copy(ROOT / "tests" / "profiles" / name, tmp_path / name)
    res = run_cli("classify", str(tmp_path), "--format", "json")
    assert res.exit_code == 0, res
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 3
    rows = [json.loads(line) for line in lines]
    assert [r["cluster"] for r in rows] == ["data-trustee", "efficiency", "marketplace"]
    assert all("ranking" in r and r["path"] for r in rows)


def test_several_files_give_a_table(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("classify", EXAMPLE, str(FIX / "hybrid-profile.yaml"))
    assert res.exit_code == 0, res
    assert "Classification" in res.stdout
    assert "as-a-service" in res.stdout and "data-trustee" in res.stdout
    assert "marketplace" in res.stdout  # the hybrid's `also`


def test_folder_with_a_bad_profile_reports_it_and_exits_1(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(FIX / "bad-profile.yaml", tmp_path / "bad.yaml")
    shutil.copy(ROOT / "tests" / "profiles" / "xometry.yaml", tmp_path / "good.yaml")
    res = run_cli("classify", str(tmp_path), "--format", "json")
    assert res.exit_code == 1, res
    assert len(res.stdout.strip().splitlines()) == 1  # the good one is still classified
    assert "bad.yaml:4:" in res.stderr


def test_profile_with_schema_errors_exits_1_with_lines(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("classify", str(FIX / "bad-profile.yaml"))
    assert res.exit_code == 1, res
    assert res.stdout == ""
    assert "bad-profile.yaml:4:" in res.stderr
    assert "invalid-value" in res.stderr
    assert "bad-profile.yaml:6:" in res.stderr


def test_missing_file_exits_1(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("classify", str(tmp_path / "nope.yaml"))
    assert res.exit_code == 1, res


def test_text_in_english(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli(
        "classify",
        "--text",
        "Customers no longer buy the compressors; the maker remains the owner and they pay per cubic metre.",
        "--format",
        "json",
    )
    assert res.exit_code == 0, res
    d = json.loads(res.stdout)
    assert d["cluster"] == "as-a-service"
    assert d["extracted"]["language"] == "en"
    src = {(s["fact"], str(s["value"])): s["words"] for s in d["extracted"]["sources"]}
    assert ("offering.ownership", "provider") in src
    assert "remains the owner" in src[("offering.ownership", "provider")]
    assert d["position"] is None


def test_text_file_german_shows_words_in_text_output(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("classify", "--text-file", str(ROOT / "examples" / "notes-de.txt"))
    assert res.exit_code == 0, res
    assert "Facts read from the text (de)" in res.stdout
    assert "provision" in res.stdout
    assert "Marketplace" in res.stdout


def test_empty_text_names_the_facts_needed(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("classify", "--text", "   ")
    assert res.exit_code == 1, res
    assert "the text is empty" in res.stderr
    assert "offering.revenue" in res.stderr and "offering.ownership" in res.stderr


def test_meaningless_text_names_the_facts_needed(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("classify", "--text-file", str(FIX / "meaningless.txt"))
    assert res.exit_code == 1, res
    assert "no facts found in the text" in res.stderr
    assert "offering.access" in res.stderr and "offering.data_sharing" in res.stderr


def test_usage_errors_exit_2(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("classify").exit_code == 2
    assert run_cli("classify", EXAMPLE, "--text", "pay per use").exit_code == 2
    assert run_cli("classify", "--text", "x", "--text-file", EXAMPLE).exit_code == 2
    assert run_cli("classify", EXAMPLE, "--save", "x.yaml").exit_code == 2


def test_questionnaire_reasks_invalid_answer_and_saves(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    answers = [ANSWERS[0], "small", *ANSWERS[1:]]  # "small" is not an allowed company size
    target = tmp_path / "acme.yaml"
    res = run_cli(
        "classify", "--interactive", "--save", str(target), "--format", "json", input="\n".join(answers) + "\n"
    )
    assert res.exit_code == 0, res
    assert '"small" is not an allowed answer' in res.stderr
    assert res.stderr.count("2/10 Company size") == 2
    d = _json_after_prompts(res.stdout)
    assert d["cluster"] == "as-a-service"
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    saved = yaml.safe_load(text)
    assert saved["id"] == "acme-pumps"
    assert saved["company_size"] == "sme"
    assert saved["offering"]["revenue"] == ["pay-per-use", "service-fee"]
    assert saved["changes"] == {"who": False, "what": True, "how": True, "value": True}
    assert "technologies" not in saved  # "don't know"
    assert "cluster" not in saved
    # the saved file is a valid profile
    check = run_cli("validate", "--profile", str(target))
    assert check.exit_code == 0, check
    # and classifies the same way
    again = run_cli("classify", str(target), "--format", "json")
    assert again.exit_code == 0 and json.loads(again.stdout)["cluster"] == "as-a-service"


def test_save_refuses_to_overwrite_without_force(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "client.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    res = run_cli("classify", "--interactive", "--save", str(target), input="\n".join(ANSWERS) + "\n")
    assert res.exit_code == 1, res
    assert "already exists" in res.stderr and "--force" in res.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert "1/10" not in res.stderr  # refused before asking
    forced = run_cli("classify", "--interactive", "--save", str(target), "--force", input="\n".join(ANSWERS) + "\n")
    assert forced.exit_code == 0, forced
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["name"] == "Acme Pumps"


def test_questionnaire_without_save(run_cli) -> None:  # type: ignore[no-untyped-def]
    dont_know = ["Unknown Co"] + ["", "-"] * 4 + [""]  # Enter or "-": don't know
    res = run_cli("classify", "-i", "--format", "json", input="\n".join(dont_know) + "\n")
    assert res.exit_code == 0, res
    d = _json_after_prompts(res.stdout)
    assert d["confidence"] == "insufficient"  # no answer: not enough facts, no cluster named
    assert d["cluster"] is None
    assert d["coverage"] == 0.0


def test_questionnaire_question_mark_explains_not_dont_know(run_cli) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: "?" means the same as in `bmnav new` (show the values and their meanings,
    then ask again), not "don't know"; the meanings are the data's."""
    from bmnav.domain.labels import labels_for

    answers = [ANSWERS[0], "?", *ANSWERS[1:]]  # "?" at the company size
    res = run_cli("classify", "--interactive", "--format", "json", input="\n".join(answers) + "\n")
    assert res.exit_code == 0, res
    assert res.stderr.count("2/10 Company size") == 2  # asked again after the explanation
    flat = " ".join(res.stderr.split())
    assert f"sme: {labels_for().meaning('company_size', 'sme')}" in flat
    assert "fewer than 250 staff" in flat
    assert _json_after_prompts(res.stdout)["cluster"] == "as-a-service"
