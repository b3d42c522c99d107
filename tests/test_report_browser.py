"""The HTML report in a real browser: headless Chromium over the DevTools protocol (issue 16).

The report is printed to PDF too, and the PDF's own text (read with pypdf)
must hold the title and, in the network picture printed alone, every line of
every flow label: a label the printer drops cannot pass.

Chromium is Debian's `chromium` package (.ci/run installs it). Where it
cannot be installed the test is skipped and says why; it never passes
without looking.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bmnav.render.browser import find_chromium

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (apt-get install chromium); the browser test cannot run"
)

SVGS = """JSON.stringify(Array.from(document.querySelectorAll('svg')).map(s => {
  const r = s.getBoundingClientRect();
  const shown = Array.from(s.querySelectorAll('text')).filter(t => {
    const b = t.getBBox(), st = getComputedStyle(t);
    return b.width > 0 && b.height > 0 && st.visibility !== 'hidden' && st.display !== 'none' && st.opacity !== '0';
  });
  return {width: r.width, height: r.height, texts: shown.length};
}))"""
LABELS = """JSON.stringify(Array.from(document.querySelectorAll('#flow-labels .flow-label')).map(g => {
  const t = g.querySelector('text'), b = t.getBBox(), st = getComputedStyle(t);
  const lines = Array.from(t.querySelectorAll('tspan')).map(x => x.textContent);
  return {text: lines.join(' '), lines: lines,
          width: b.width, height: b.height, size: parseFloat(st.fontSize), visible: st.visibility !== 'hidden',
          paintOrder: t.getAttribute('paint-order'), box: g.querySelector('rect') !== null};
}))"""
TITLE = "Digital business model review"
NETWORK_ALONE = """(() => {
  const style = document.createElement('style');
  style.textContent = '@media print { header, nav, footer, section:not(#network), #network > :not(figure), '
    + 'figcaption { display: none !important } }';
  document.head.appendChild(style);
  return 1;
})()"""
WIDEST_TABLE = (
    """Math.max(...Array.from(document.querySelectorAll('table')).map(t => t.getBoundingClientRect().right))"""
)


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bmnav.render.report import build_report, render_html
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus()
    out = tmp_path_factory.mktemp("report") / "haier.html"
    notes = "# Our view\n\nTwo **next steps**:\n\n- talk to the platform team\n- <script>alert(1)</script>\n"
    report = build_report(corpus.get("haier-cosmoplat"), corpus)
    html = render_html(report, corpus, title=TITLE, notes=notes, author="A. C.")
    out.write_text(html, encoding="utf-8")
    return out


@needs_chromium
def test_report_renders_in_chromium_without_errors_or_requests(report_html: Path, tmp_path: Path) -> None:
    from tests.cdp import Browser, evaluate, open_page, print_pdf, screenshot

    assert CHROMIUM is not None
    browser = Browser(CHROMIUM, tmp_path / "profile")
    try:
        browser.send("Target.setDiscoverTargets", {"discover": False})
        session = open_page(browser, report_html.as_uri())
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1100, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        svgs = json.loads(evaluate(browser, session, SVGS))
        labels = json.loads(evaluate(browser, session, LABELS))
        screenshot(browser, session, tmp_path / "screen.png")
        # the same page as the printer sees it
        browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
        printed = json.loads(evaluate(browser, session, LABELS))
        screenshot(browser, session, tmp_path / "print.png")
        pdf = print_pdf(browser, session, tmp_path / "report.pdf")
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 700, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        widest = float(evaluate(browser, session, WIDEST_TABLE))
        scripts = evaluate(browser, session, "document.querySelectorAll('script').length")
        # last, the network picture printed alone: the flows table repeats each label's words,
        # so only a PDF without it shows that the labels in the picture survive printing
        evaluate(browser, session, NETWORK_ALONE)
        network_pdf = print_pdf(browser, session, tmp_path / "network.pdf")
        events = list(browser.events)
    finally:
        browser.close()

    errors = [
        e
        for e in events
        if (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "warning", "assert"))
        or e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] in ("error", "warning"))
    ]
    assert errors == []
    requests = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    assert requests and all(u == report_html.as_uri() for u in requests), requests  # the page itself, nothing else
    assert scripts == 0  # the notes' <script> is text, not a script

    assert len(svgs) == 2  # the network and the map
    for svg in svgs:
        assert svg["width"] > 600 and svg["height"] > 300 and svg["texts"] > 10, svg
    assert len(labels) == 23  # one label per flow of the case with a `what`
    for label in labels:
        assert label["size"] >= 12 and label["width"] > 0 and label["height"] > 0, label
        assert label["paintOrder"] is None and label["box"], label  # no halo that print drops
        assert "…" not in label["text"]
    assert printed == labels  # printing keeps every label, as it is on screen
    assert pdf.startswith(b"%PDF-") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 3
    text = pdf_text(pdf)
    assert TITLE in text and "Haier COSMOPlat" in text  # the title, and the case's name under it
    picture = pdf_text(network_pdf)
    assert TITLE not in picture and "Flows" not in picture  # the picture alone (its legend says "flow")
    missing = [line for label in labels for line in label["lines"] if " ".join(line.split()) not in picture]
    assert missing == [], f"flow labels not in the printed picture's text: {missing}"
    assert widest <= 700  # no table runs past the page
    assert (tmp_path / "screen.png").stat().st_size > 10_000 and (tmp_path / "print.png").stat().st_size > 10_000


def pdf_text(pdf: bytes) -> str:
    """The text a reader of the PDF can select or search, its runs of white space as one space."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
