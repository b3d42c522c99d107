"""`bmnav report`: a self-contained HTML or Markdown report on a case or profile."""

from __future__ import annotations

import json
import re
import xml.dom.minidom
from pathlib import Path

import pytest

from bmnav.domain.model import Case
from bmnav.render.report import SECTIONS, build_report, network_svg, render_html
from bmnav.storage.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "acme-profile.yaml"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


def test_html_report_of_a_case(run_cli, tmp_path):
    target = tmp_path / "haier.html"
    result = run_cli("report", "haier-cosmoplat", "--html", str(target))
    assert result.exit_code == 0, result
    assert f"wrote {target}" in result.stderr.replace("\n", "")
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    for sid, title in SECTIONS:
        assert f'<section id="{sid}">' in html
        assert f"<h2>{title}</h2>" in html.replace("&#x27;", "'")
    # self-contained: inline CSS and SVG, no scripts, no external resources
    assert "<style>" in html
    assert "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html.split('<section id="sources">')[0])
    assert "<link" not in html
    svgs = _svgs(html)
    assert len(svgs) == 2  # the value network and the position map
    for svg in svgs:
        xml.dom.minidom.parseString(svg)  # well-formed
    network, position_map = svgs
    assert 'data-role="cosmoplat"' in network or "data-role=" in network
    assert 'data-case="haier-cosmoplat" font-weight="bold"' in position_map
    # the classification with its evidence, and the maturity path
    assert "Evidence for and against" in html
    assert "Current stage:</strong> 3" in html
    # Tables 4 and 5 of the report are identical: flagged, and their rows not ranked
    assert "Tables 4 and 5 are the same" in html
    assert "Constraining forces to address first" not in html
    assert "recorded cluster" in html


def test_html_report_of_a_profile(run_cli, tmp_path):
    target = tmp_path / "acme.html"
    result = run_cli("report", str(PROFILE), "--html", str(target))
    assert result.exit_code == 0, result
    html = target.read_text(encoding="utf-8")
    assert "Profile <code>acme-pumps</code>" in html
    assert "Value adding services in operation" in html  # the classifier's top cluster
    assert "Most similar corpus cases" in html
    assert "Next stage:" in html
    assert len(_svgs(html)) == 2


def test_markdown_report(run_cli, tmp_path):
    target = tmp_path / "tire.md"
    result = run_cli("report", "tire-as-a-service", "--md", str(target))
    assert result.exit_code == 0, result
    md = target.read_text(encoding="utf-8")
    assert md.startswith("# Tire as a Service\n")
    for sid, title in SECTIONS:
        assert f'<a id="{sid}"></a>' in md
        assert f"## {title}" in md
    assert "```mermaid\n" in md
    # the map is an SVG file beside the Markdown, linked (GitHub strips data: URIs)
    assert "data:image" not in md and "![Position map](tire-map.svg)" in md
    assert (tmp_path / "tire-map.svg").read_text(encoding="utf-8").startswith("<svg")


def test_both_files_and_json_summary(run_cli, tmp_path):
    result = run_cli(
        "report",
        "tire-as-a-service",
        "--html",
        str(tmp_path / "t.html"),
        "--md",
        str(tmp_path / "t.md"),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result
    assert json.loads(result.stdout) == {
        "case": "tire-as-a-service",
        "written": {"html": str(tmp_path / "t.html"), "map": str(tmp_path / "t-map.svg"), "md": str(tmp_path / "t.md")},
    }


def test_stdout_markdown_and_json(run_cli):
    result = run_cli("report", "tire-as-a-service")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("# Tire as a Service")
    result = run_cli("report", "tire-as-a-service", "--format", "json")
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    assert set(data) == {
        "id",
        "name",
        "profile",
        "recorded_cluster",
        "case",
        "classification",
        "maturity",
        "position",
        "map",
    }
    assert data["classification"]["ranking"][0]["cluster"] == "as-a-service"
    assert all(s["case"] != "tire-as-a-service" for s in data["classification"]["similar"])


def test_never_overwrites_without_force(run_cli, tmp_path):
    target = tmp_path / "r.html"
    target.write_text("keep\n", encoding="utf-8")
    result = run_cli("report", "tire-as-a-service", "--html", str(target))
    assert result.exit_code == 1, result
    assert "already exists; use --force" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep\n"
    result = run_cli("report", "tire-as-a-service", "--html", str(target), "--force")
    assert result.exit_code == 0, result
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # no temporary file left


def test_missing_folder_and_unknown_case(run_cli, tmp_path):
    result = run_cli("report", "tire-as-a-service", "--html", str(tmp_path / "no" / "r.html"))
    assert result.exit_code == 1, result
    assert "does not exist" in result.stderr
    result = run_cli("report", "tire-as-a-servce", "--html", str(tmp_path / "r.html"))
    assert result.exit_code == 1, result
    assert 'did you mean "tire-as-a-service"' in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_report_is_deterministic(corpus):
    case = corpus.get("airbus-skywise")
    assert render_html(build_report(case, corpus), corpus) == render_html(build_report(case, corpus), corpus)


def test_network_svg_draws_every_role_and_flow(corpus):
    case = corpus.get("tire-as-a-service")
    svg = network_svg(case)
    xml.dom.minidom.parseString(svg)
    assert svg.count("<g data-role=") == len(case.roles)
    assert svg.count(" data-kind=") == len(case.flows)
    assert "focal role" in svg


def test_network_svg_of_a_single_role():
    svg = network_svg(Case({"id": "x", "name": "X", "network": {"focal": "a", "roles": [{"id": "a", "name": "A"}]}}))
    xml.dom.minidom.parseString(svg)
    assert svg.count("<g data-role=") == 1


def test_escapes_markup_from_the_case(corpus, tmp_path):
    data = dict(corpus.get("tire-as-a-service").data)
    data["name"] = "<script>alert(1)</script> & Co"
    case = Case(data, None)
    html = render_html(build_report(case, corpus), corpus)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


BARE = ROOT / "tests" / "fixtures" / "networks" / "profile-bare.yaml"


def test_markdown_report_hides_what_is_empty(run_cli):
    """A profile that states little: no empty Sources section, no all-empty
    column, the unstated questions on one line, no empty orchestrator clause."""
    result = run_cli("report", str(BARE), "--md", "-")
    assert result.exit_code == 0, result
    md = result.stdout
    assert "## Sources" not in md and "(#sources)" not in md
    assert "| Id | Role | Type | External | Organisations |" in md  # no Actor column: no role names one
    assert "| Question | Answer |" not in md
    assert "Not stated: Who: customers, What: value proposition, How: value chain, Value: revenue mechanism." in md
    assert "orchestrator ," not in md and "Roles 2, organisations 2, external share 50%, two-sided no." in md


def test_html_report_hides_an_empty_sources_section(run_cli, tmp_path):
    target = tmp_path / "bare.html"
    assert run_cli("report", str(BARE), "--html", str(target)).exit_code == 0
    html = target.read_text(encoding="utf-8")
    assert '<section id="sources">' not in html and 'href="#sources"' not in html
    assert "<th>Actor</th>" not in html
    assert "Who orchestrates the network</td><td>none</td>" in html


def test_markdown_report_keeps_stated_questions_in_a_table(run_cli):
    result = run_cli("report", "haier-cosmoplat", "--md", "-")
    assert result.exit_code == 0, result
    assert "| Question | Answer | Changed |" in result.stdout
    assert "## Sources" in result.stdout
