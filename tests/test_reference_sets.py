"""The reference corpus and the blind test sets: complete, locked, and kept out of the fit."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bmnav.storage.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "tests" / "reference"
LOCK = yaml.safe_load((REF / "locked.yaml").read_text(encoding="utf-8"))
CLUSTERS = (
    "efficiency",
    "smart-product-as-a-service",
    "marketplace",
    "data-trustee",
    "mass-customisation",
    "as-a-service",
)


def content_hash(path: Path) -> str:
    """sha256 of a file without an editor modeline as its first line (as locked.yaml records it)."""
    lines = path.read_bytes().split(b"\n")
    if lines and lines[0].startswith(b"# yaml-language-server:"):
        lines = lines[1:]
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


@pytest.mark.parametrize(
    ("part", "folder"),
    [("cases", ROOT / "data" / "usecases"), ("notes", REF / "notes"), ("parallel2", REF / "parallel2")],
)
def test_locked_final_files_are_unchanged(part: str, folder: Path) -> None:
    final = LOCK[part]["final"]
    assert len(final) >= 16, part
    for name, digest in final.items():
        path = folder / (f"{name}.yaml" if part == "cases" else name)
        assert content_hash(path) == digest, f"{path} changed after it was locked"


#: every later round's locked parts, as tests/reference/locked.yaml lists them
LATER_PARTS = [
    (r, p) for r, parts in LOCK.items() if r.startswith("round") for p in ("parallel", "notes", "cases") if p in parts
]


def test_every_later_round_folder_is_locked() -> None:
    """A round's folder without its entry in locked.yaml (or the reverse) is a set no one can trust."""
    folders = {d.name for d in REF.iterdir() if d.is_dir() and d.name.startswith("round")}
    assert folders == {r for r, _ in LATER_PARTS}
    for r, p in LATER_PARTS:
        assert (REF / r / p).is_dir(), (r, p)


@pytest.mark.parametrize(("round_", "part"), LATER_PARTS)
def test_the_later_final_sets_are_unchanged(round_: str, part: str) -> None:
    assert len(LOCK[round_][part]) >= 12, (round_, part)
    for name, digest in LOCK[round_][part].items():
        path = REF / round_ / part / name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, f"{path} changed after it was locked"


def test_reference_corpus_has_ten_real_companies_per_cluster() -> None:
    corpus = load_corpus()
    reference = [c for c in corpus if c.origin == "public-sources"]
    assert len(reference) >= 60
    per = Counter(c.cluster for c in reference)
    assert all(per[c] >= 10 for c in CLUSTERS), per
    for case in reference:
        text = Path(str(case.path)).read_text(encoding="utf-8")
        assert re.search(rf"^# label: {re.escape(str(case.cluster))}$", text, re.M), case.id
        assert re.search(r"^# rationale: .*§2\.[1-6]", text, re.M), case.id
        assert case.data["sources"], case.id
    assert sum(1 for c in corpus if c.origin == "report") == 10
    assert Counter(c.data["country"] for c in reference)["DE"] >= 6
    assert Counter(c.data["country"] for c in reference)["CN"] >= 6
    assert Counter(c.data["company_size"] for c in reference)["sme"] >= 10


def test_notes_cover_three_languages_without_cluster_names() -> None:
    labels = yaml.safe_load((REF / "notes" / "labels.yaml").read_text(encoding="utf-8"))
    assert Counter(v["lang"] for v in labels.values()) == {"en": 40, "de": 10, "zh": 10}
    assert set(Counter(v["cluster"] for v in labels.values()).values()) == {10}
    banned = re.compile(
        r"mass.customi[sz]|marketplace|data trustee|as a service|smart product"
        r"|Marktplatz|Treuhänder|大规模定制|数据受托",
        re.I,
    )
    for name in labels:
        text = (REF / "notes" / name).read_text(encoding="utf-8")
        assert not banned.search(text), name


def test_the_fit_never_saw_a_locked_case() -> None:
    from bmnav.classifying.training import dataset, locked_cases

    _, _, names, digest = dataset()
    assert locked_cases() == set(LOCK["cases"]["final"])
    assert not set(names) & locked_cases()
    model = yaml.safe_load((ROOT / "data" / "model.yaml").read_text(encoding="utf-8"))
    assert model["trained_on"]["digest"] == digest, (
        "data/model.yaml is out of date: run `python -m bmnav.classifying.training`"
    )
    assert model["trained_on"]["cases"] == len(names)


def test_training_notes_are_every_used_reference_note() -> None:
    """The four note sets were scored once (`used:` in locked.yaml), so all 150 notes
    are development material and the text calibration reads them all."""
    from bmnav.classifying.training import labelled_notes

    assert all(LOCK[key].get("used") for key in ("notes", "round3", "round4", "round5"))
    texts = {text for text, _ in labelled_notes()}
    for folder in ("notes", "round3/notes", "round4/notes", "round5/notes"):
        for name in yaml.safe_load((REF / folder / "labels.yaml").read_text(encoding="utf-8")):
            assert (REF / folder / name).read_text(encoding="utf-8") in texts
    assert len(texts) == 150


def test_training_notes_leave_an_unscored_final_set_out(tmp_path: Path) -> None:
    """A final set not yet scored (no `used:`) stays out of the calibration."""
    import shutil

    from bmnav.classifying.training import labelled_notes

    ref = tmp_path / "tests" / "reference"
    shutil.copytree(REF / "notes", ref / "notes")
    lock = {"notes": {"final": dict(LOCK["notes"]["final"])}}
    (ref / "locked.yaml").write_text(yaml.safe_dump(lock), encoding="utf-8")
    texts = {text for text, _ in labelled_notes(tmp_path)}
    assert len(texts) == 60 - len(LOCK["notes"]["final"])
    for name in LOCK["notes"]["final"]:
        assert (REF / "notes" / name).read_text(encoding="utf-8") not in texts


def test_high_on_notes_is_right_95_percent_in_cross_validation() -> None:
    """data/model.yaml: the notes' held-out answers at or above their "high" threshold
    (5-fold cross-validation over every used reference note, repeated with 5 seeds)
    are right at least 95 % of the time; the thresholds keep their floors."""
    from bmnav.classifying.training import labelled_notes

    model = yaml.safe_load((ROOT / "data" / "model.yaml").read_text(encoding="utf-8"))
    text = model["text"]
    assert text["notes"] == len(labelled_notes())
    assert (text["cross_validation"]["folds"], text["cross_validation"]["repeats"]) == (5, 5)
    high = text["cross_validation"]["high"]
    assert high["answers"] >= 10
    assert high["right"] / high["answers"] >= 0.95
    for levels in (model["confidence"], text["confidence"]):
        assert levels["high"] >= 0.9 and levels["medium"] >= 0.6 and levels["high"] > levels["medium"]


def test_notes_use_their_own_thresholds() -> None:
    """A note's label comes from text.confidence, a profile's from confidence (data/model.yaml)."""
    from bmnav.classifying.classifier import Model, _level

    model = Model.from_corpus(load_corpus())
    text_high = float(model.constants["text_thresholds"]["high"])
    high = float(model.constants["thresholds"]["high"])
    assert text_high != high
    between = (text_high + high) / 2
    assert _level(between, model.constants, text=True) == ("high" if between >= text_high else "medium")
    assert _level(between, model.constants) == ("high" if between >= high else "medium")
