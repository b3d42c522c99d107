"""Issue 13: the work a large file costs is done once per run (checked by counting, never by timing).

- reading and checking a file builds its node tree with the garbage collector
  off, so no collection walks the hundreds of thousands of nodes of a 2 MB file;
- a report and a diff build each case's network graph once and place it on the
  map once (a snapshot of the case remembers them), and a file diffed with
  itself is classified once;
- what a snapshot remembers is handed out as copies, and a plain case, whose
  data may change, is computed afresh every time.

The figures themselves come from `benchmarks/worst_shapes.py` (docs/security.md).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bmnav.domain.model import Case

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "acme-profile.yaml"
BASE = ROOT / "data" / "usecases" / "tire-as-a-service.yaml"


def _ring(case_id: str, roles: int) -> str:
    """The bundled case with its network replaced by a valid ring of `roles` roles."""
    head = BASE.read_text(encoding="utf-8").split("\nnetwork:", 1)[0]
    head = head.replace("id: tire-as-a-service", f"id: {case_id}", 1)
    lines = [head, "network:", "  focal: r0", "  roles:"]
    lines += [f"    - {{id: r{i}, name: Role {i}}}" for i in range(roles)]
    lines += ["  flows:"]
    lines += [f"    - {{from: r{i}, to: r{(i + 1) % roles}, kind: data}}" for i in range(roles)]
    return "\n".join(lines) + "\n"


@contextmanager
def _collections() -> Iterator[list[int]]:
    """The generations of the collections run inside the block."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            seen.append(int(info["generation"]))

    gc.collect()
    gc.callbacks.append(note)
    try:
        yield seen
    finally:
        gc.callbacks.remove(note)


def test_reading_a_large_file_runs_no_collection() -> None:
    from bmnav.storage.loading import load_text

    text = _ring("ring", 3000)  # 24,000 nodes: about a hundred collections with the collector on
    assert gc.isenabled()
    with _collections() as seen:
        loaded = load_text(text, "ring.yaml")
    assert seen in ([], [0])  # at most the one young collection when the collector is back on
    assert gc.isenabled()  # and it is on again afterwards
    assert loaded.ok and len(loaded.data["network"]["roles"]) == 3000
    assert loaded.where(["network", "flows", 2999]) == (loaded.text.count("\n") - 1 + 1, 7)  # type: ignore[union-attr]


def test_reading_leaves_a_collector_that_was_off_off() -> None:
    from bmnav.storage.loading import load_text

    gc.disable()
    try:
        assert load_text(_ring("ring", 10), "ring.yaml").ok
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_loading_and_checking_a_case_runs_no_collection(tmp_path: Path) -> None:
    from bmnav.storage.corpus import load_case, load_corpus

    vocab = load_corpus().vocab
    path = tmp_path / "ring.yaml"
    path.write_text(_ring("ring", 3000), encoding="utf-8")
    with _collections() as seen:
        case = load_case(path, vocab)
    assert seen in ([], [0])  # the young data of the case, once: the node tree was freed unwalked
    assert gc.isenabled()
    assert case.id == "ring" and len(case.roles) == 3000


def test_a_file_with_errors_still_says_where_and_turns_the_collector_back_on(tmp_path: Path) -> None:
    from bmnav.checking.problems import BmnavError
    from bmnav.storage.corpus import load_case, load_corpus

    path = tmp_path / "ring.yaml"
    path.write_text(_ring("ring", 50).replace("to: r7,", "to: r7x,", 1), encoding="utf-8")
    with pytest.raises(BmnavError) as caught:
        load_case(path, load_corpus().vocab)
    assert gc.isenabled()
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "r7x" in text)
    assert [(p.rule, p.line) for p in caught.value.problems if p.level.value == "error"] == [
        ("flow-endpoint-missing", line)
    ]


class _Counter:
    """Counts the calls of a module function per case (by the identity of its data);
    with `args`, only the calls with that many positional arguments (a placement at
    the case's own counts, not at an end of their spans)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: Any, name: str, args: int | None = None) -> None:
        self.calls: list[int] = []
        real: Callable[..., Any] = getattr(module, name)

        def counted(case: Case, *rest: Any, **kwargs: Any) -> Any:
            if args is None or len(rest) + 1 == args:
                self.calls.append(id(case.data))
            return real(case, *rest, **kwargs)

        monkeypatch.setattr(module, name, counted)

    def of(self, case: Case) -> int:
        return self.calls.count(id(case.data))


@pytest.fixture
def counters(monkeypatch: pytest.MonkeyPatch) -> dict[str, _Counter]:
    import bmnav.domain.network
    import bmnav.domain.positions

    return {
        "graph": _Counter(monkeypatch, bmnav.domain.network, "build_graph"),
        "place": _Counter(monkeypatch, bmnav.domain.positions, "_compute", args=2),
    }


def test_a_report_builds_the_graph_and_places_the_case_once(counters: dict[str, _Counter]) -> None:
    from bmnav.render.report import build_report
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus()
    profile = corpus.resolve(PROFILE)
    report = build_report(profile, corpus)
    # before: the classification, the metrics of the card and the position of each section built their own
    assert counters["graph"].of(profile) == 1
    assert counters["place"].of(profile) == 1
    assert report["case"]["metrics"]["roles"] == len(profile.roles)
    assert report["position"] == report["case"]["position"]
    assert report["classification"]["position"]["openness"] == round(report["position"]["openness"], 3)


def test_a_diff_works_out_each_side_once(counters: dict[str, _Counter], tmp_path: Path) -> None:
    from bmnav.domain.diffs import diff
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus()
    path = tmp_path / "ring.yaml"
    path.write_text(_ring("ring", 40), encoding="utf-8")
    a, b = corpus.resolve(path), corpus.resolve(PROFILE)
    result = diff(a, b, corpus)
    for side in (a, b):
        assert counters["graph"].of(side) == 1  # (the classification is all that needs it)
        assert counters["place"].of(side) == 1  # before: for the classification and for the position
    assert result.derived["position"].old != result.derived["position"].new


def test_a_file_diffed_with_itself_is_worked_out_once(counters: dict[str, _Counter]) -> None:
    from bmnav.domain.diffs import diff
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus()
    case = corpus.resolve(PROFILE)
    result = diff(case, case, corpus)
    assert counters["graph"].of(case) == 1
    assert counters["place"].of(case) == 1
    assert result.exit_code == 0
    for derived in result.derived.values():
        assert derived.old == derived.new
        assert derived.old is not derived.new or derived.old is None  # each side its own copy


def test_a_snapshot_hands_out_copies(counters: dict[str, _Counter]) -> None:
    from bmnav.classifying.classify_facts import facts_of
    from bmnav.domain.network import structure
    from bmnav.domain.positions import position
    from bmnav.storage.corpus import load_corpus

    snap = load_corpus().resolve(PROFILE).snapshot()
    facts = facts_of(snap)
    facts["technologies"].append("not-a-technology")
    facts["network.two_sided"] = "changed"
    features = structure(snap)
    features["roles"] = -1
    assert "not-a-technology" not in facts_of(snap)["technologies"]
    assert facts_of(snap)["network.two_sided"] is not None and facts_of(snap)["network.two_sided"] != "changed"
    assert structure(snap)["roles"] == len(snap.roles)
    assert counters["graph"].of(snap) == 1
    placed = position(snap).as_dict()
    placed["facts"]["open_sides"].append("not-a-side")
    placed["participants"]["acme"] = -1
    again = position(snap).as_dict()
    assert "not-a-side" not in again["facts"]["open_sides"] and again["participants"]["acme"] != -1
    assert counters["place"].of(snap) == 1


def test_a_plain_case_is_worked_out_afresh_after_a_change() -> None:
    from bmnav.classifying.classify_facts import facts_of
    from bmnav.domain.network import structure
    from bmnav.domain.positions import position
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus()
    case = corpus.resolve(PROFILE)
    before = (facts_of(case), structure(case), position(case, corpus))
    case.data["offering"]["access"] = "open"
    case.data["network"]["roles"].append({"id": "extra", "name": "An extra role", "type": "customer", "count": 5000})
    after = (facts_of(case), structure(case), position(case, corpus))
    assert before[0]["offering.access"] == "closed" and after[0]["offering.access"] == "open"
    assert after[1]["roles"] == before[1]["roles"] + 1
    assert after[2].openness != before[2].openness and after[2].estimated_roles == [*before[2].estimated_roles, "extra"]


def test_the_benchmark_reports_cpu_memory_and_timeouts() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import worst_shapes
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    done = worst_shapes.run(["--version"], timeout=60)
    assert done["exit"] == 0 and done["cpu_seconds"] > 0 and done["peak_mb"] > 1
    stopped = worst_shapes.run(["--version"], timeout=0.001)
    assert stopped["exit"] in ("timeout", 0)  # (a very quick machine may finish first)
    runs = worst_shapes.commands("ring", Path("r.yaml"), Path("o.yaml"), Path("c"), Path("."), Path("s.yaml"))
    assert ["diff", "r.yaml", "s.yaml"] in runs
    table = worst_shapes.markdown_table([{**done, "shape": "ring"}], Path("/nowhere"))
    assert table.splitlines()[2].startswith("| `--version` | ring | ")


def test_the_features_of_a_hub_look_at_its_flows_without_a_view_per_role(monkeypatch: pytest.MonkeyPatch) -> None:
    from networkx.classes.reportviews import OutMultiEdgeView

    from bmnav.domain.network import structure

    roles = [{"id": "hub", "name": "Hub", "type": "platform-provider", "external": False}]
    roles += [{"id": f"r{i}", "name": f"Role {i}", "count": 2} for i in range(300)]
    flows = [{"from": f"r{i}", "to": "hub", "kind": "goods" if i % 2 else "data"} for i in range(300)]
    flows += [{"from": "hub", "to": f"r{i}", "kind": "money" if i % 3 else "goods"} for i in range(300)]
    flows += [{"from": f"r{i}", "to": "hub", "kind": "money"} for i in range(0, 300, 3)]
    case = Case({"id": "hub", "network": {"focal": "hub", "roles": roles, "flows": flows}})
    calls: list[Any] = []
    real = OutMultiEdgeView.__call__

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(args[:1])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(OutMultiEdgeView, "__call__", counted)
    features = structure(case)
    # before: two views of the edges of each of the 300 roles; now those of the hub, and of each
    # customer that sends it data (pull production)
    assert len(calls) < 100
    assert features["two_sided"] and features["customers"] == 50 and features["focal_paid"]
    assert not features["data_hub"] and features["data_flows"] == 150  # (as before)


class _CountedTokens(list):  # type: ignore[type-arg]
    """A note's tokens that count how many are looked at one by one."""

    looked = 0

    def __getitem__(self, i: Any) -> Any:
        type(self).looked += 1
        return super().__getitem__(i)


def test_a_whole_word_phrase_is_looked_up_not_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    """An "=word" phrase (the word as written) is found through the note's words indexed
    once: a phrase whose word the note lacks looks at no token, where a scan looked at
    every one for every such phrase (100,000 characters of German took 11 s)."""
    from bmnav.classifying import textscope
    from bmnav.classifying.textfacts import load_lexicon

    text = "Die Firma verkauft Pumpen an Stadtwerke und wartet sie. " * 200
    reading = textscope.Reading(text, load_lexicon())
    counted = _CountedTokens(reading.tokens("de"))
    monkeypatch.setattr(reading, "tokens", lambda lang: counted)
    assert reading.find("=mietet", "de") == []
    assert _CountedTokens.looked == 0
    found = reading.find("=wartet sie", "de")
    assert len(found) == 200 and all(text[a:b].lower() == "wartet sie" for a, b in found)
    assert _CountedTokens.looked <= 3 * 200
