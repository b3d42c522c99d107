"""Computed positions (openness, ecosystem size), the report's picture on the
bundled corpus, and `bmnav position` in every format."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import pytest

from bmnav.domain.model import Case
from bmnav.domain.positions import DEFAULTS, constants_from, position, positions
from bmnav.render.mapplot import terminal_map
from bmnav.storage.corpus import load_case, load_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "networks"
KNOWN = FIXTURES / "known-network.yaml"
MANUAL = FIXTURES / "manual-position.yaml"
PROFILE = FIXTURES / "profile-open.yaml"


@pytest.fixture(scope="module")
def bundled() -> dict[str, object]:
    # the report's picture is about the report's own cases
    corpus = load_corpus()
    return {p.case: p for p in positions((c for c in corpus if c.origin == "report"), corpus)}


# ----------------------------------------------------------------- the report's picture


def test_report_picture_on_bundled_cases(bundled: dict) -> None:
    corpus = load_corpus()
    by_cluster: dict[str, list] = {}
    for p in bundled.values():
        by_cluster.setdefault(p.cluster, []).append(p)
    baowu = bundled["baowu-digital-virtual-factory"]
    assert baowu.cluster == "efficiency"
    others = [p for p in bundled.values() if p.case != baowu.case]
    # Baowu (efficiency) is the least open and has the smallest ecosystem
    assert all(baowu.openness < p.openness for p in others)
    assert all(baowu.ecosystem_size < p.ecosystem_size for p in others)
    # every marketplace, data trustee and mass customisation case is more open
    # than every efficiency and smart-product-as-a-service case
    open_side = [p for c in ("marketplace", "data-trustee", "mass-customisation") for p in by_cluster.get(c, [])]
    closed_side = [p for c in ("efficiency", "smart-product-as-a-service") for p in by_cluster.get(c, [])]
    assert open_side and closed_side
    assert min(p.openness for p in open_side) > max(p.openness for p in closed_side)
    # COSMOPlat reaches the most participants once its people (users, design resources) count too;
    # on organisations alone the estimated fleet operators and workshops of tire-as-a-service outrank it
    haier = bundled["haier-cosmoplat"]
    assert all(haier.organisations + haier.people > p.organisations + p.people for p in others if p.case != haier.case)
    assert haier.ecosystem_size_range[1] > bundled["tire-as-a-service"].ecosystem_size
    assert len(bundled) == sum(1 for c in corpus if c.origin == "report")


def test_positions_are_in_range_and_computed(bundled: dict) -> None:
    for p in bundled.values():
        assert 0 <= p.openness <= 1 and 0 <= p.ecosystem_size <= 1
        assert p.manual is False
        assert sum(p.contributions.values()) == pytest.approx(p.openness)
        assert sum(p.weights.values()) == pytest.approx(1)


def test_constants_come_from_clusters_yaml() -> None:
    corpus = load_corpus()
    assert "position" in corpus.clusters_doc
    k = constants_from(corpus)
    assert set(k["openness"]["weights"]) == {"access", "external_share", "data_reach", "open_sides"}
    assert k["ecosystem"]["reference_organisations"] >= 2
    # a mapping overrides one section and keeps the defaults of the rest
    tuned = constants_from({"openness": {"weights": {"access": 1.0}}})
    assert tuned["openness"]["weights"] == {"access": 1.0}
    assert tuned["ecosystem"] == DEFAULTS["ecosystem"]


# ----------------------------------------------------------------- the formula, by hand


def test_known_network_by_hand() -> None:
    corpus = load_corpus()
    p = position(load_case(KNOWN, corpus.vocab), corpus)
    assert p.components == {"access": 1.0, "external_share": pytest.approx(5 / 6), "data_reach": 1.0, "open_sides": 0.5}
    # access open: the band 0.67-1.0 (§2.3 open marketplace); the other three place the case within it
    within = (5 / 6 + 1.0 + 0.5) / 3
    assert p.contributions["access"] == pytest.approx(0.67)
    assert p.contributions["external_share"] == pytest.approx(0.33 * (5 / 6) / 3)
    assert p.contributions["data_reach"] == pytest.approx(0.33 / 3)
    assert p.contributions["open_sides"] == pytest.approx(0.33 * 0.5 / 3)
    assert p.openness == pytest.approx(0.67 + 0.33 * within)
    # makers only trade goods for money and the sponsor only pays: not part of the ecosystem
    assert p.participants == {"platform": 1, "makers": 0, "buyers": 10, "analyst": 1, "freeloader": 1, "sponsor": 0}
    assert p.organisations == 13
    assert p.ecosystem_size == pytest.approx(math.log10(13) / 7)


def test_missing_fact_shares_out_its_weight() -> None:
    case = Case(
        {
            "id": "x",
            "offering": {"data_sharing": "bilateral"},
            "network": {"focal": "a", "roles": [{"id": "a"}, {"id": "b", "count": 5}]},
        }
    )
    p = position(case)
    assert p.components["access"] is None
    assert "access" not in p.weights
    assert p.weights["data_reach"] == pytest.approx(0.2 / 0.6)
    assert p.openness == pytest.approx((0.2 * 0.5 + 0.2 * 0.6 + 0.2 * 0.25) / 0.6)
    # b has no flows: it does not take part; a single firm has size 0
    assert p.organisations == 1 and p.ecosystem_size == 0


def test_nothing_to_position_is_an_error() -> None:
    from bmnav.checking.problems import BmnavError

    with pytest.raises(BmnavError, match="cannot compute a position"):
        position(Case({"id": "empty"}))


def test_manual_position_overrides_and_is_flagged() -> None:
    corpus = load_corpus()
    p = position(load_case(MANUAL, corpus.vocab), corpus)
    assert p.manual is True
    assert (p.openness, p.ecosystem_size) == (0.1, 0.9)
    assert p.computed_openness == pytest.approx(0.67 + 0.33 * (5 / 6 + 1.0 + 0.5) / 3)
    assert p.note == "Placed by hand for the test"
    d = p.as_dict()
    assert d["manual"] is True and d["openness"] == 0.1 and d["computed_openness"] == pytest.approx(0.9267, abs=1e-4)


# ----------------------------------------------------------------- the terminal map


@pytest.mark.parametrize("width", [60, 120])
def test_map_fits_the_width(width: int) -> None:
    from bmnav.render.console import Console

    corpus = load_corpus()
    items = [*positions(corpus, corpus), position(load_case(PROFILE, corpus.vocab, profile=True), corpus)]
    text = terminal_map(items, width=width, cluster_ids=corpus.cluster_ids())
    buf = io.StringIO()
    Console(file=buf, width=width, color=False).print(text, end="")  # soft wrap: lines as they are
    lines = buf.getvalue().splitlines()
    assert max(len(line) for line in text.plain.splitlines()) <= width  # before trailing spaces are stripped
    assert max(len(line) for line in lines) <= width
    out = buf.getvalue()
    assert "openness →" in out and "ecosystem size ↑" in out
    assert "+ cluster centroid" in out and "◆ profile" in out
    for cid in corpus.cluster_ids():
        assert cid in out  # legend (no names given: ids)
    # every point is labelled: by its id (maybe shortened) or by a number listed below the map
    for p in items:
        assert p.case[:5] in out


def test_map_colours_each_cluster_and_marks_the_profile_bold() -> None:
    from rich.text import Text

    from bmnav.render.mapplot import cluster_colours

    corpus = load_corpus()
    items = [*positions(corpus, corpus), position(load_case(PROFILE, corpus.vocab, profile=True), corpus)]
    # six made-up clusters first: the corpus's own get the seventh and eighth colours and on
    ids = [f"other-{n}" for n in range(6)] + corpus.cluster_ids()
    text = terminal_map(items, width=100, cluster_ids=ids)
    assert isinstance(text, Text)
    segments = [(text.plain[s.start : s.end], str(s.style)) for s in text.spans]
    points = {style for chunk, style in segments if "●" in chunk}
    colours = cluster_colours(ids)
    assert {colours[p.cluster][0] for p in items if p.cluster and not p.profile} <= points
    assert {"bright_red", "bright_green"} <= points
    assert any("◆" in chunk and style == "bold" for chunk, style in segments)
    from bmnav.render.console import Console

    coloured = Console(width=100, color=True).render(text, color=True)
    assert "\x1b[91m" in coloured and "\x1b[92m" in coloured  # bright colours as SGR 91 and 92


# ----------------------------------------------------------------- the command


def test_cli_text_table_and_map(run_cli) -> None:
    r = run_cli("position")
    assert r.exit_code == 0, r
    assert "Openness versus ecosystem size" in r.stdout
    assert "Acc" in r.stdout and "Orgs" in r.stdout
    header = r.stdout.splitlines()
    # access sets the band (issue 15), so its column shows no weight; the others show theirs
    assert any("band" in ln and "×0.2" in ln for ln in header), r
    assert not any("×0.4" in ln for ln in header), r
    assert "openness →" in r.stdout
    assert "haier-cosmoplat" in r.stdout


@pytest.mark.parametrize("width", ["60", "120"])
def test_cli_output_fits_terminal_width(run_cli, width: str) -> None:
    r = run_cli("position", "--profile", str(PROFILE), env={"COLUMNS": width})
    assert r.exit_code == 0, r
    assert max(len(line) for line in r.stdout.splitlines()) <= int(width), r


def test_cli_json_shape(run_cli) -> None:
    r = run_cli("position", "--format", "json")
    assert r.exit_code == 0, r
    rows = json.loads(r.stdout)
    assert len(rows) == len(load_corpus())
    for row in rows:
        assert {"case", "cluster", "openness", "ecosystem_size", "manual", "organisations"} <= set(row)
        for name in ("access", "external_share", "data_reach", "open_sides"):
            assert f"{name}_contribution" in row and name in row
    assert [r["case"] for r in rows] == sorted(r["case"] for r in rows)


def test_cli_csv_shape(run_cli) -> None:
    r = run_cli("position", "--cluster", "data-trustee", "--format", "csv")
    assert r.exit_code == 0, r
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["cluster"] for row in rows} == {"data-trustee"}
    assert len(rows) == sum(1 for c in load_corpus() if c.cluster == "data-trustee")
    assert list(rows[0])[:6] == ["case", "name", "cluster", "profile", "openness", "ecosystem_size"]
    assert all(0 <= float(row["openness"]) <= 1 for row in rows)


def test_cli_cases_and_profile_and_manual(run_cli) -> None:
    r = run_cli("position", "haier-cosmoplat", str(MANUAL), "--profile", str(PROFILE), "--format", "json")
    assert r.exit_code == 0, r
    rows = {row["case"]: row for row in json.loads(r.stdout)}
    assert set(rows) == {"haier-cosmoplat", "manual-position", "profile-open"}
    assert rows["manual-position"]["manual"] is True
    assert rows["profile-open"]["profile"] is True and rows["profile-open"]["cluster"] is None
    text = run_cli("position", str(MANUAL), "--profile", str(PROFILE))
    assert text.exit_code == 0, text
    assert "0.10*" in text.stdout and "* manual position" in text.stdout
    assert "profile-open (profile)" in text.stdout


def test_cli_svg_written_refused_forced(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "map.svg"
    r = run_cli("position", "--svg", str(target), "--format", "json")
    assert r.exit_code == 0, r
    svg = target.read_text()
    assert svg.startswith("<?xml") and svg.rstrip().endswith("</svg>")
    assert "haier-cosmoplat" in svg and "Openness" in svg and "cluster centroid" in svg
    import xml.dom.minidom

    xml.dom.minidom.parseString(svg)
    # refused without --force, and the file is left as it was
    target.write_text("keep me")
    r = run_cli("position", "--svg", str(target))
    assert r.exit_code == 1, r
    assert "already exists" in r.stderr and "--force" in r.stderr
    assert target.read_text() == "keep me"
    r = run_cli("position", "--svg", str(target), "--force", "--format", "csv")
    assert r.exit_code == 0, r
    assert target.read_text() == svg
    assert not [p for p in tmp_path.iterdir() if p.name != "map.svg"]  # no temp file left


def test_cli_svg_missing_folder(run_cli, tmp_path: Path) -> None:
    r = run_cli("position", "--svg", str(tmp_path / "nope" / "map.svg"))
    assert r.exit_code == 1, r
    assert "does not exist" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_cli_unknown_case_did_you_mean(run_cli) -> None:
    r = run_cli("position", "haier-cosmoplatt")
    assert r.exit_code == 1, r
    assert 'did you mean "haier-cosmoplat"' in r.stderr


def test_cli_unknown_cluster(run_cli) -> None:
    r = run_cli("position", "--cluster", "data-trustees")
    assert r.exit_code == 1, r
    assert "data-trustee" in r.stderr


def test_cli_dangling_reference_shows_line(run_cli) -> None:
    path = FIXTURES / "dangling-reference.yaml"
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "ghost" in text)
    r = run_cli("position", str(path))
    assert r.exit_code == 1, r
    assert re.search(rf"dangling-reference\.yaml:{line}:\d+: error", r.stderr), r
    assert "ghost" in r.stderr and "Traceback" not in r.stderr


def test_cli_corpus_with_invalid_file(run_cli, tmp_path: Path) -> None:
    from tests.test_list import make_corpus

    data = make_corpus(tmp_path)
    r = run_cli("position", "--format", "json", "--data", str(data))
    assert r.exit_code == 1, r
    assert {row["case"] for row in json.loads(r.stdout)} == {"haier-cosmoplat", "baowu-digital-virtual-factory"}
    assert "broken.yaml" in r.stderr


def test_cli_cluster_filters_named_cases_but_keeps_a_profile(run_cli) -> None:
    r = run_cli(
        "position", "tire-as-a-service", "airbus-skywise", str(PROFILE), "--cluster", "as-a-service", "-f", "json"
    )
    assert r.exit_code == 0, r
    rows = json.loads(r.stdout)
    assert [row["case"] for row in rows if not row["profile"]] == ["tire-as-a-service"]
    assert len([row for row in rows if row["profile"]]) == 1  # the profile has no cluster yet: placed anyway


def test_cli_cluster_matching_none_of_the_named_cases_is_an_error(run_cli) -> None:
    r = run_cli("position", "airbus-skywise", "--cluster", "as-a-service")
    assert r.exit_code == 1, r
    assert "none of the cases given is in the cluster as-a-service" in r.stderr


def _label_boxes(svg: str) -> dict[str, tuple[float, float, float, float]]:
    """The box of every point label, as bmnav.render.svg estimates text widths."""
    from bmnav.render.svg import CHAR_W

    boxes = {}
    for m in re.finditer(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)" [^>]*data-case="([^"]+)">([^<]+)<', svg):
        x, y, anchor, case, text = float(m[1]), float(m[2]), m[3], m[4], m[5]
        w = CHAR_W * len(text)
        left = x - w if anchor == "end" else x
        boxes[case] = (left, y - 11, left + w, y + 3)
    return boxes


def _points(svg: str) -> list[tuple[float, float]]:
    return [(float(a), float(b)) for a, b in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="5"', svg)]


def _hit(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_svg_labels_overlap_no_label_and_no_point() -> None:
    from bmnav.domain.positions import position as compute
    from bmnav.render.svg import svg_map
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus()
    report = [c for c in corpus.cases.values() if c.origin == "report"]  # the report's own picture
    svg = svg_map([compute(c, corpus) for c in report], cluster_ids=corpus.cluster_ids())
    boxes = _label_boxes(svg)
    assert set(boxes) == {c.id for c in report}
    items = list(boxes.values())
    assert not [(a, b) for i, a in enumerate(items) for b in items[i + 1 :] if _hit(a, b)]
    for x, y in _points(svg):
        assert not [b for b in items if _hit(b, (x - 6, y - 6, x + 6, y + 6))]


def test_svg_crowded_labels_move_apart_with_leader_lines() -> None:
    from bmnav.domain.positions import Position
    from bmnav.render.svg import svg_map

    crowd = [
        Position(
            case=f"case-{i:02d}",
            name=f"Case {i}",
            cluster="marketplace",
            profile=False,
            openness=0.5 + i * 0.002,
            ecosystem_size=0.5,
            manual=False,
            computed_openness=0.5,
            computed_ecosystem_size=0.5,
            organisations=10,
        )
        for i in range(12)
    ]
    svg = svg_map(crowd, cluster_ids=["marketplace"])
    boxes = list(_label_boxes(svg).values())
    assert len(boxes) == 12
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if _hit(a, b)]
    leaders = re.findall(r'data-leader="(case-\d+)"', svg)
    assert leaders, "labels moved more than a line away get a leader line"
    assert len(leaders) < 12  # the nearest labels need none
