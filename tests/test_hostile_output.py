"""Hostile text in a case reaches no terminal, CI log, spreadsheet or browser as
markup, and no rule or metric does quadratic work on a large file (issue 13).

The fixtures are in tests/hostile/markup/ (each says in a comment what it
holds); docs/security.md ("Output escaping") describes the guarantees.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

MARKUP = Path(__file__).resolve().parent / "hostile" / "markup"
ROOT = Path(__file__).resolve().parents[1]
#: Any character a terminal acts on or that reorders text: C0 but newline, DEL, C1, bidi controls.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BMNAV_NO_CACHE", "1")


def fixture(name: str) -> str:
    return str(MARKUP / f"{name}.yaml")


def corpus_with(tmp_path: Path, name: str) -> Path:
    """A --data folder whose only case is the fixture `name`."""
    (tmp_path / "data" / "usecases").mkdir(parents=True)
    shutil.copy(MARKUP / f"{name}.yaml", tmp_path / "data" / "usecases")
    return tmp_path / "data"


# ----------------------------------------------------------------- the shared functions


def test_for_terminal_shows_controls_as_escapes() -> None:
    from bmnav.render.safe_text import for_terminal

    assert for_terminal("a\x1b]0;t\x07b\u202ec\x9b\rd\te\nf") == "a\\x1b]0;t\\x07b\\u202ec\\x9b\\rd\\te\nf"
    assert for_terminal("plain, ünïcode 中文") == "plain, ünïcode 中文"


def test_one_line_keeps_a_value_on_its_line() -> None:
    from bmnav.render.safe_text import one_line

    assert one_line("x\n::warning file=a::b\r\u2028") == "x\\n::warning file=a::b\\r\\u2028"


def test_for_csv_cell_neutralises_texts_only() -> None:
    from bmnav.render.safe_text import for_csv_cell

    for text in ("=1+1", "+cmd|", "-@cmd", "@SUM(1)", "\tx", "\rx"):
        assert for_csv_cell(text) == "'" + text
    assert for_csv_cell(-0.5) == -0.5
    assert for_csv_cell(3) == 3
    assert for_csv_cell("a=1") == "a=1"


def test_for_markdown_leaves_no_html_fence_or_marker() -> None:
    from bmnav.render.safe_text import for_markdown

    assert for_markdown("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert for_markdown("```\n# h\n[a](javascript:x) | y") == "\\`\\`\\` \\# h \\[a\\](javascript:x) \\| y"
    assert for_markdown("- item") == "\\- item"
    assert for_markdown("1. item") == "1\\. item"
    assert for_markdown("tire-as-a-service") == "tire-as-a-service"


def test_for_mermaid_and_for_xml() -> None:
    from bmnav.render.safe_text import for_mermaid, for_xml

    assert for_mermaid('a"\n%%{init}%%<b>') == "a#quot; #37;#37;#123;init#125;#37;#37;#lt;b#gt;"
    assert for_xml("a\x01b\x0bc\ufffe\u202e\n\t") == "a\\x01b\\x0bc\\ufffe\\u202e\n\t"


# ----------------------------------------------------------------- terminal escapes


def assert_no_raw_controls(text: str) -> None:
    bad = RAW_CONTROL.search(text)
    assert bad is None, f"raw {bad.group()!r} at {bad.start()}: {text[max(0, bad.start() - 40) : bad.start() + 40]!r}"


@pytest.mark.parametrize(
    "args",
    [
        ["show", "{f}"],
        ["classify", "{f}"],
        ["maturity", "{f}"],
        ["position", "{f}"],
        ["diff", "{f}", "tire-as-a-service"],
        ["graph", "--format", "dot", "{f}"],
        ["graph", "--format", "mermaid", "{f}"],
        ["report", "{f}"],
    ],
    ids=lambda a: " ".join(a[:3]),
)
def test_no_terminal_escape_reaches_the_terminal(run_cli: Any, args: list[str]) -> None:
    r = run_cli(*(a.replace("{f}", fixture("terminal-escapes")) for a in args))
    assert r.exit_code in (0, 1), r
    assert_no_raw_controls(r.stdout)
    assert_no_raw_controls(r.stderr)
    if args[0] != "position":  # (the position table shows the case id, not its name)
        assert "x1b]0;pwned" in r.stdout, r


def test_show_text_escapes_and_json_stays_exact(run_cli: Any) -> None:
    r = run_cli("show", fixture("terminal-escapes"))
    assert "Tire\\x1b]0;pwned\\x07 as a \\x1b[2J\\x1b[31mService\\u202eevil" in r.stdout, r
    assert "Michelin\\x9b31m Solutions\\u2066" in r.stdout, r
    r = run_cli("show", "--format", "json", fixture("terminal-escapes"))
    assert "Tire\\u001b]0;pwned\\u0007 as a" in r.stdout  # JSON's own escapes of the exact text


def test_validate_escapes_a_file_name(run_cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "ok\x1b]0;t\x07\u202e.yaml"
    shutil.copy(MARKUP / "line-injection.yaml", bad)
    for fmt in ("text", "parsable", "github"):
        r = run_cli("validate", "--format", fmt, str(bad))
        assert r.exit_code == 1, r
        assert_no_raw_controls(r.stdout)
        assert "ok\\x1b]0;t\\x07\\u202e.yaml" in r.stdout, r


# ----------------------------------------------------------------- line injection


def test_validate_keeps_one_problem_a_line(run_cli: Any, tmp_path: Path) -> None:
    # the file name carries a newline too, as a forged GitHub workflow command
    bad = tmp_path / "x\n::warning file=ok.yaml::forged.yaml"
    shutil.copy(MARKUP / "line-injection.yaml", bad)
    for fmt in ("text", "parsable", "github"):
        r = run_cli("validate", "--format", fmt, str(bad))
        assert r.exit_code == 1, r
        lines = r.stdout.splitlines()
        assert not [ln for ln in lines if ln.startswith("::warning")], r
        assert_no_raw_controls(r.stdout)
    r = run_cli("validate", "--format", "parsable", str(bad))
    lines = r.stdout.splitlines()
    assert len(lines) == 2, r  # id-matches-filename and cluster-unknown (one error for one mistake), a line each
    assert all(ln.startswith(f"{tmp_path}/x\\n::warning file=ok.yaml::forged.yaml:") for ln in lines)
    assert lines[1].endswith(
        'unknown cluster "as-a-servic\\n::warning file=ok.yaml,line=1::forged by the case '
        'file\\r"; known clusters: efficiency, smart-product-as-a-service, marketplace, '
        "data-trustee, mass-customisation, as-a-service"
    )
    r = run_cli("validate", "--format", "text", str(bad))
    assert [ln.split()[0] for ln in r.stdout.splitlines()[1:3]] == ["4:5", "11:10"], r


def test_problems_printed_by_other_commands_stay_on_one_line(run_cli: Any) -> None:
    r = run_cli("show", fixture("line-injection"))
    assert r.exit_code == 1, r
    assert not [ln for ln in r.stderr.splitlines() if ln.startswith("::")], r
    assert "as-a-servic\\n::warning" in r.stderr


# ----------------------------------------------------------------- Markdown report


def test_markdown_report_passes_no_html_or_fence(run_cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    r = run_cli("report", "--md", str(out), fixture("markdown-html"))
    assert r.exit_code == 0, r
    md = out.read_text(encoding="utf-8")
    for raw in ("<script", "<img", "<iframe"):
        assert raw not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # no link: its `]` is escaped
    fences = [ln for ln in md.splitlines() if ln.lstrip().startswith(("```", "~~~"))]
    assert fences == ["```mermaid", "```"]  # only the network diagram's own
    assert not [ln for ln in md.splitlines() if ln.startswith("# Forged")]
    assert "# &lt;script&gt;alert(1)&lt;/script&gt; Tire &lt;img src=x onerror=alert(2)&gt;" in md
    assert "\\`\\`\\` \\# Forged heading &lt;iframe" in md
    assert "<https://example.org/" not in md  # not an autolink: it would end at the `>`
    # everything after the summary is still there
    assert "## Sources" in md or "Sources" in md.split("\\`\\`\\`")[-1]


# ----------------------------------------------------------------- Mermaid


def test_mermaid_name_cannot_end_the_comment(run_cli: Any, tmp_path: Path) -> None:
    r = run_cli("graph", "--format", "mermaid", fixture("mermaid-injection"))
    assert r.exit_code == 0, r
    lines = r.stdout.splitlines()
    assert lines[0].startswith("%% Tire click n0 href #quot;javascript:alert(1)#quot; #37;#37;#123;init")
    assert lines[1] == "flowchart LR"
    assert not [ln for ln in lines if ln.strip().startswith("click") or "%%{" in ln], r
    out = tmp_path / "r.md"
    assert run_cli("report", "--md", str(out), fixture("mermaid-injection")).exit_code == 0
    block = out.read_text(encoding="utf-8").split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert not [ln for ln in block.splitlines() if ln.strip().startswith("click") or "%%{" in ln]
    assert "<img" not in block


# ----------------------------------------------------------------- CSV


def csv_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def assert_no_formula(cells: list[str]) -> None:
    for c in cells:
        if c[:1] in ("=", "+", "-", "@", "\t", "\r"):
            float(c)  # only a number may start so


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--format", "csv"],
        ["export", "--format", "csv", "--roles"],
        ["export", "--format", "csv", "--flows"],
        ["list", "--format", "csv"],
        ["position", "--format", "csv"],
    ],
    ids=" ".join,
)
def test_csv_neutralises_formulas(run_cli: Any, tmp_path: Path, args: list[str]) -> None:
    r = run_cli(*args, "--data", str(corpus_with(tmp_path, "csv-formula")))
    assert r.exit_code == 0, r
    cells = csv_cells(r.stdout)
    assert_no_formula(cells)
    quoted = {'\'=HYPERLINK("http://evil.example","click")', "'@SUM(1+1)*cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"}
    if "--roles" in args:
        quoted = {"'-@cmd|' /C calc'!A0"}
    if "--flows" in args:
        quoted = {"'-2+3+cmd|' /C calc'!A0"}
    if "position" in args:
        quoted = {"'@SUM(1+1)*cmd|' /C calc'!A0"}
    assert quoted <= set(cells), r


def test_csv_keeps_negative_numbers(run_cli: Any) -> None:
    from bmnav.render.export import to_csv

    text = to_csv([{"a": -0.5, "b": "-0.5", "c": -3, "d": ["-x", "y"], "e": True}], ["a", "b", "c", "d", "e"])
    assert text.splitlines()[1] == "-0.5,'-0.5,-3,'-x;y,true"


def test_compare_csv_neutralises_a_formula_from_clusters_yaml(run_cli: Any, tmp_path: Path) -> None:
    data = corpus_with(tmp_path, "csv-formula")
    text = (ROOT / "data" / "clusters.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Efficiency\n", 'name: "=HYPERLINK(\\"http://evil\\")"\n', 1)
    assert "=HYPERLINK" in text
    (data / "clusters.yaml").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "data" / "patterns.yaml", data)
    r = run_cli("compare", "--format", "csv", "--data", str(data))
    assert r.exit_code == 0, r
    cells = csv_cells(r.stdout)
    assert_no_formula(cells)
    assert '\'=HYPERLINK("http://evil")' in cells


# ----------------------------------------------------------------- XML


def test_graphml_and_svg_always_parse(run_cli: Any, tmp_path: Path) -> None:
    r = run_cli("graph", "--format", "graphml", fixture("xml-controls"))
    assert r.exit_code == 0, r
    root = ET.fromstring(r.stdout.encode("utf-8"))
    texts = [d.text or "" for d in root.iter("{http://graphml.graphdrawing.org/xmlns}data")]
    assert "Product\\x08user\\x7f\\x85" in texts
    html = tmp_path / "r.html"
    assert run_cli("report", "--html", str(html), fixture("xml-controls")).exit_code == 0
    svgs = re.findall(r"<svg\b.*?</svg>", html.read_text(encoding="utf-8"), flags=re.S)
    assert len(svgs) == 2
    for svg in svgs:
        ET.fromstring(svg)
    assert "Tire\\x01as\\x0ba\\x1fService\\ufffe" in svgs[0]
    target = tmp_path / "map.svg"
    assert run_cli("position", "--svg", str(target), fixture("xml-controls")).exit_code == 0
    ET.parse(target)


# ----------------------------------------------------------------- no quadratic work


def big_case(roles: int, *, missing: int = 0) -> dict[str, Any]:
    """A case with `roles` roles in a ring of flows, and `missing` flows to absent roles."""
    flows = [{"from": f"r{i}", "to": f"r{(i + 1) % roles}", "kind": "data"} for i in range(roles)]
    flows += [{"from": f"x{i}", "to": f"r{i}", "kind": "money"} for i in range(missing)]
    return {"network": {"focal": "r0", "roles": [{"id": f"r{i}"} for i in range(roles)], "flows": flows}}


def test_did_you_mean_is_bounded_per_rule_and_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    import difflib

    from bmnav.checking.rules import cases
    from bmnav.storage.loading import load_text

    pools: list[int] = []
    real = difflib.get_close_matches

    def spy(word: str, possibilities: list[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
        pools.append(len(possibilities))
        return real(word, possibilities, n, cutoff)

    monkeypatch.setattr(difflib, "get_close_matches", spy)
    import yaml

    data = big_case(2000, missing=300)
    loaded = load_text(yaml.safe_dump(data), "big.yaml")
    from bmnav.checking.rules import Context
    from bmnav.domain.model import Vocabulary

    ctx = Context(loaded=loaded, data=loaded.data, vocab=Vocabulary())
    problems = list(cases.flow_endpoint_missing(ctx))
    assert len(problems) == 300
    assert len(pools) == cases.HINTS_PER_RULE
    assert max(pools) <= 500
    assert sum("did you mean" in p.message for p in problems) <= cases.HINTS_PER_RULE


def test_metrics_build_the_flows_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import networkx as nx

    from bmnav.domain import model, positions

    metrics = importlib.import_module("bmnav.domain.metrics")

    calls = {"flows": 0}
    real_flows = model.Case.flows.fget
    assert real_flows is not None

    def counting(self: model.Case) -> list[model.Flow]:
        calls["flows"] += 1
        return real_flows(self)

    monkeypatch.setattr(model.Case, "flows", property(counting))
    ks: list[Any] = []
    real_between = nx.betweenness_centrality

    def between(g: Any, k: Any = None, **kw: Any) -> Any:
        ks.append(k)
        return real_between(g, k=k, **kw)

    monkeypatch.setattr(nx, "betweenness_centrality", between)
    for n in (50, 3000):
        calls["flows"] = 0
        case = model.Case(big_case(n))
        m = metrics.metrics(case)
        positions.participants(case, ["data"])
        assert m["roles"] == n
        assert calls["flows"] <= 12, n  # a few passes, not one per role
    assert ks == [None, max(1, metrics.EXACT_BETWEENNESS_STEPS // 6000)]  # exact, then sampled


def test_show_card_lists_a_bounded_number_of_roles_and_flows(run_cli: Any, tmp_path: Path) -> None:
    import yaml

    from bmnav.render.card import CARD_ROWS

    data = yaml.safe_load((ROOT / "data" / "usecases" / "tire-as-a-service.yaml").read_text(encoding="utf-8"))
    n = CARD_ROWS + 100
    data["id"] = "many-roles"
    data["network"] = {
        "focal": "r0",
        "roles": [{"id": f"r{i}"} for i in range(n)],
        "flows": [{"from": f"r{i}", "to": f"r{(i + 1) % n}", "kind": "data"} for i in range(n)],
    }
    path = tmp_path / "many-roles.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    r = run_cli("show", str(path))
    assert r.exit_code == 0, r
    assert r.stdout.count("... and 100 more roles (all are in --format json)") == 2  # roles, reciprocity
    assert "... and 100 more (all are in --format json)" in r.stdout
    # roles in the order of the file (roles table), and sorted by id (reciprocity)
    assert f" r{CARD_ROWS - 1} " in r.stdout and f" r{n - 1} " not in r.stdout
    r = run_cli("show", "--format", "json", str(path))
    assert len(__import__("json").loads(r.stdout)["roles"]) == n
