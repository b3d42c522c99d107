"""Issue 16, consultant: narrow terminals, plain language, the report a client reads."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACME = str(ROOT / "examples" / "acme-profile.yaml")
CLUSTERS = ["as-a-service", "smart-product-as-a-service", "marketplace", "efficiency", "mass-customisation"]


# ------------------------------------------------------------------ labels in data


def test_every_fact_and_value_has_a_label_in_data() -> None:
    from bmnav.classifying.classify_facts import fact_specs
    from bmnav.domain.labels import labels_for

    labels = labels_for()
    for name, spec in fact_specs().items():
        assert labels.label(name) != name, f"no label for {name} in data/facts.yaml"
        if spec.kind != "bool" and name not in ("patterns", "network.focal_type"):
            for v in spec.values:
                assert labels.value(name, v) != "", (name, v)
                assert name in labels.facts and str(v) in labels.facts[name]["values"], f"no text for {name}={v}"


def test_labels_is_a_new_top_level_key_of_facts_yaml() -> None:
    doc = yaml.safe_load((ROOT / "data" / "facts.yaml").read_text(encoding="utf-8"))
    assert {"version", "stem_exceptions", "role_types", "words", "labels"} <= set(doc)
    assert doc["labels"]["facts"]["offering.ownership"]["label"] == "Who owns the asset in use"


def test_labels_read_shared_facts_and_reasons() -> None:
    from bmnav.domain.labels import labels_for

    labels = labels_for()
    assert labels.shared("offering.ownership=provider") == "Who owns the asset in use: the provider"
    assert labels.shared("network.owner_user_split=true") == "Owner and user of the product differ"
    assert labels.because("data_sharing=bilateral") == "With whom data is shared: single partners, one at a time"
    assert labels.because("always") == "applies to every company"
    assert labels.value("offering.access", None) == "not stated"
    assert labels.label("some.new_fact") == "some.new_fact"  # unknown facts fall back to their key


# ------------------------------------------------------------------ classify at 80 and 200 columns


def _classify(run_cli, columns: str, *extra: str) -> str:  # type: ignore[no-untyped-def]
    res = run_cli("classify", ACME, *extra, env={"COLUMNS": columns})
    assert res.exit_code == 0, res
    return str(res.stdout)


def test_classify_at_80_columns_is_stacked_and_breaks_no_word(run_cli) -> None:  # type: ignore[no-untyped-def]
    text = _classify(run_cli, "80")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "┃" not in text and "│" not in text  # no table: one evidence item per block
    words = set(text.split())
    for cid in CLUSTERS:
        assert cid in words, cid  # cluster ids whole
    assert "daikin-baridi-baridi-cooling" in words
    assert "confidence" in words
    # every line break falls between words: no line ends or starts inside one
    assert not [ln for ln in lines if re.search(r"[a-z]-$", ln)]
    top = _strongest_for()
    assert f"  {top['weight']:+.1f} for: Who owns the asset in use: the provider" in lines


def _strongest_for(*, all_items: bool = False) -> Any:
    """The library's evidence for the example's first cluster (the same call the CLI makes)."""
    from bmnav import classify, load_corpus, load_profile

    corpus = load_corpus()
    result = classify(load_profile(ROOT / "examples" / "acme-profile.yaml", corpus), corpus)
    items = result.ranking[0].evidence_for
    return items if all_items else items[0]


def test_classify_at_200_columns_keeps_tables(run_cli) -> None:  # type: ignore[no-untyped-def]
    text = _classify(run_cli, "200")
    assert "┃         ┃ fact " in text
    assert "│ for     │ Who owns the asset in use " in text


@pytest.mark.parametrize("columns", ["80", "200"])
def test_classify_speaks_plain_language_and_keys_only_with_verbose(run_cli, columns: str) -> None:  # type: ignore[no-untyped-def]
    plain = _classify(run_cli, columns)
    assert not re.search(r"\b(offering|network|changes)\.[a-z]", plain) and "company_size" not in plain
    shown = len(_strongest_for(all_items=True))
    assert f"Showing the strongest 5 of {shown} items for; --verbose shows all." in plain
    verbose = _classify(run_cli, columns, "--verbose")
    assert "offering.ownership" in verbose and "network.owner_user_split" in verbose
    assert "Showing the strongest" not in verbose
    assert "changes.what" in verbose  # the seventh, weakest item


def test_classify_json_keeps_internal_keys(run_cli) -> None:  # type: ignore[no-untyped-def]
    import json

    res = run_cli("classify", ACME, "--format", "json")
    facts = {e["fact"] for e in json.loads(res.stdout)["ranking"][0]["evidence"]["for"]}
    assert "offering.ownership" in facts


# ------------------------------------------------------------------ the report


def test_report_takes_title_author_date_notes_and_omit(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes.md"
    notes.write_text("# Our view\n\nWe met **Acme** on <b>Monday</b>.\n\n- one\n- two\n", encoding="utf-8")
    out = tmp_path / "r.html"
    res = run_cli(
        "report", ACME, "--html", str(out), "--title", "Review", "--author", "A. Consultant",
        "--date", "1 May 2024", "--notes", str(notes), "--omit", "evidence", "--omit", "sources",
    )  # fmt: skip
    assert res.exit_code == 0, res
    html = out.read_text(encoding="utf-8")
    assert "<h1>Review</h1>" in html and "Prepared by A. Consultant · 1 May 2024" in html
    assert "<h3>Our view</h3>" in html and "<strong>Acme</strong>" in html
    assert "&lt;b&gt;Monday&lt;/b&gt;" in html and "<b>Monday" not in html  # the notes' HTML is text
    assert "<li>one</li><li>two</li>" in html
    assert "Evidence for and against" not in html and '<section id="sources">' not in html
    assert 'href="#sources"' not in html and '<section id="classification">' in html


def test_report_omit_names_a_part(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("report", ACME, "--html", str(tmp_path / "r.html"), "--omit", "bogus")
    assert res.exit_code == 2
    assert "--omit bogus: not a part of the report" in res.stderr
    assert not (tmp_path / "r.html").exists()


def test_report_html_speaks_plain_language(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.html"
    assert run_cli("report", "haier-cosmoplat", "--html", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"\b(offering|network)\.[a-z_]+", html)
    assert "e3value" not in html and "company_size=" not in html
    assert "Who may take part" in html and "Showing the strongest 5 of" in html


def test_report_markdown_links_a_map_written_beside_it(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    md = tmp_path / "client.md"
    res = run_cli("report", ACME, "--md", str(md))
    assert res.exit_code == 0, res
    text = md.read_text(encoding="utf-8")
    assert "data:image" not in text and "base64" not in text
    assert "![Position map](client-map.svg)" in text
    svg = (tmp_path / "client-map.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and 'data-case="acme-pumps"' in svg
    assert max(len(line) for line in text.splitlines()) < 1000


def test_report_md_dash_prints_and_a_terminal_is_refused(run_cli) -> None:  # type: ignore[no-untyped-def]
    import os
    import pty
    import subprocess
    import sys

    res = run_cli("report", ACME, "--md", "-")
    assert res.exit_code == 0 and res.stdout.startswith("# Acme pumping as a service")
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bmnav", "report", ACME],
            stdout=follower, stderr=subprocess.PIPE, timeout=120, check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        )  # fmt: skip
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    assert b"a report is not for the terminal" in done.stderr and b"--md -" in done.stderr


def test_report_pdf_without_chromium_says_how_to_get_one(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("report", ACME, "--pdf", str(tmp_path / "r.pdf"), env={"BMNAV_CHROMIUM": str(tmp_path / "none")})
    assert res.exit_code == 1
    assert "no Chromium found" in res.stderr and "apt-get install chromium" in res.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_network_flow_labels_are_whole_large_and_print_safe() -> None:
    from bmnav.render.report import network_svg
    from bmnav.storage.corpus import load_corpus

    case = load_corpus().get("haier-cosmoplat")
    svg = network_svg(case)
    assert "paint-order" not in svg and 'font-size="9.5"' not in svg
    assert svg.count('<g class="flow-label">') == sum(1 for f in case.flows if f.what)
    long = next(f.what for f in case.flows if f.what and len(f.what) > 30)
    words = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert long.split()[-1] in " ".join(words) and "…" not in " ".join(words)


# ------------------------------------------------------------------ missing data is unknown


NO_NETWORK = "id: nonet-co\nname: No network company\noffering: {access: open, data_sharing: multilateral}\n"


def test_a_profile_without_network_has_unknown_size(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    profile = tmp_path / "nonet.yaml"
    profile.write_text(NO_NETWORK, encoding="utf-8")
    data = json.loads(run_cli("report", str(profile), "--format", "json").stdout)
    assert data["position"]["ecosystem_size"] is None and data["position"]["organisations"] is None
    assert data["position"]["openness"] == 1.0
    cls = json.loads(run_cli("classify", str(profile), "--format", "json").stdout)
    assert cls["position"]["ecosystem_size"] is None
    out = tmp_path / "r.html"
    assert run_cli("report", str(profile), "--html", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "ecosystem size</strong> unknown" in html and "1 organisations" not in html
    assert 'data-case="nonet-co"' not in html  # not on the map ...
    assert "Not on the map (no value network, so the ecosystem size is unknown): nonet-co" in html  # ... with a note
    text = run_cli("position", str(profile)).stdout
    assert "unknown" in text and "Not on the map" in text


# ------------------------------------------------------------------ profile modelines


def test_a_profile_schema_is_installed_and_profiles_point_at_it(tmp_path: Path) -> None:
    import json

    import jsonschema

    from bmnav.checking.schema import profile_schema
    from bmnav.domain.newcase import schema_ref
    from bmnav.storage.resources import schema_path

    installed = json.loads(schema_path("profile").read_text(encoding="utf-8"))
    assert installed == profile_schema()  # regenerate with `bmnav schema profile > schemas/profile.schema.json`
    text = Path(ACME).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/profile.schema.json"
    data = yaml.safe_load(text)
    assert list(jsonschema.Draft202012Validator(installed).iter_errors(data)) == []
    usecase = json.loads(schema_path("usecase").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(usecase).iter_errors(data))  # what editors marked before
    # with no schema saved near it, a profile's modeline names the installed profile schema
    assert schema_ref(tmp_path, ("profile", "usecase")).endswith("profile.schema.json")
    assert schema_ref(tmp_path).endswith("usecase.schema.json")
