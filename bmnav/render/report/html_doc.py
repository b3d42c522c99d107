"""The report as one self-contained HTML document: inline CSS and SVG, no
scripts and no external resources, so it can be mailed or printed as it is.

One function per section of the report; each returns its lines, and
`render_html` joins the sections the consultant did not leave out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bmnav.domain.model import QUESTIONS
from bmnav.render.report.data import (
    NOTES,
    QUESTION_LABELS,
    SECTIONS,
    View,
    case_from_report,
    cluster_name,
    evidence_shown,
    plain,
)
from bmnav.render.report.pictures import escape, map_svg, network_svg

if TYPE_CHECKING:
    from bmnav.storage.corpus import Corpus

CSS = """
body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:980px;margin:2em auto;padding:0 1em;line-height:1.45}
h1{margin-bottom:.1em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
.sub{color:#666;margin-top:0}table{border-collapse:collapse;margin:.6em 0;width:100%}
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top;font-size:.92em}
td{overflow-wrap:break-word}
th{background:#f4f4f4}.bar{background:#e8e8e8;width:160px;max-width:30vw;height:12px;display:inline-block}
.bar span{background:#4a7bb7;height:12px;display:block}.yes{color:#1a7f37;font-weight:bold}.no{color:#999}
.for{color:#1a7f37}.against{color:#b42318}.note{color:#666;font-size:.9em}
figure{margin:1em 0}figcaption{color:#666;font-size:.9em}svg{max-width:100%;height:auto}
.notes{border-left:4px solid #4a7bb7;padding:.2em 1em;background:#f7f9fc}
nav ul{columns:2}
@page{size:A4;margin:16mm 14mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:10.5pt}nav{display:none}
h2,h3{break-after:avoid;page-break-after:avoid}
tr,li,figure,svg,.notes p{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
footer{break-before:avoid;page-break-before:avoid}
a{color:inherit}
}
"""


def _e(value: Any) -> str:
    """A value as escaped HTML text (None as nothing, booleans as yes/no, lists joined)."""
    return escape(plain(value))


def _table(head: list[str], rows: list[list[str]]) -> str:
    """A table; the cells are HTML already. Columns empty in every row are left out."""
    keep = [i for i in range(len(head)) if any(row[i] for row in rows)] if rows else list(range(len(head)))
    head = [head[i] for i in keep]
    rows = [[row[i] for i in keep] for row in rows]
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _heading(sid: str) -> list[str]:
    return [f'<section id="{sid}">', f"<h2>{escape(dict(SECTIONS)[sid])}</h2>"]


def _notes_html(text: str) -> str:
    """The consultant's notes (Markdown) as HTML: headings, lists, paragraphs,
    **bold** and *emphasis*. Everything is escaped first; no HTML passes through."""

    def inline(line: str) -> str:
        line = escape(line, quote=False)
        line = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", line)
        return re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", r"<em>\1</em>", line)

    bullet, number = r"^\s*[-*]\s+", r"^\s*\d+[.)]\s+"
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [ln.rstrip() for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", lines[0])
        if heading and len(lines) == 1:
            level = len(heading.group(1)) + 2  # under the report's own h2
            out.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif all(re.match(bullet, ln) for ln in lines):
            out.append("<ul>" + "".join(f"<li>{inline(re.sub(bullet, '', ln))}</li>" for ln in lines) + "</ul>")
        elif all(re.match(number, ln) for ln in lines):
            out.append("<ol>" + "".join(f"<li>{inline(re.sub(number, '', ln))}</li>" for ln in lines) + "</ol>")
        else:
            out.append("<p>" + "<br>".join(inline(ln) for ln in lines) + "</p>")
    return "\n".join(out)


def render_html(
    report: dict[str, Any],
    corpus: Corpus,
    *,
    network: str | None = None,
    title: str | None = None,
    author: str | None = None,
    date: str | None = None,
    notes: str | None = None,
    omit: tuple[str, ...] | list[str] = (),
) -> str:
    """The report as one self-contained HTML document (inline CSS and SVG, no scripts).

    `title`, `author` and `date` head the report; `notes` is the consultant's
    own text (Markdown, escaped); `omit` names sections or parts (`OMITTABLE`)
    to leave out; `network` replaces the drawn network picture. Facts read as
    plain words (`bmnav.domain.labels`).
    """
    view = View.of(report, corpus, notes, omit)
    sections: dict[str, Callable[[], list[str]]] = {
        "notes": lambda: _notes_section(notes or ""),
        "card": lambda: _card_section(view),
        "network": lambda: _network_section(view, network),
        "position": lambda: _position_section(view, corpus),
        "classification": lambda: _classification_section(view),
        "maturity": lambda: _maturity_section(view),
        "sources": lambda: _sources_section(view),
    }
    h = _head(view, title, author, date)
    for sid, build in sections.items():
        if view.shows(sid):
            h += build()
    h += _footer()
    return "\n".join(h) + "\n"


def _head(view: View, title: str | None, author: str | None, date: str | None) -> list[str]:
    """The document head, the report's header (title, facts, author and date) and the contents."""
    from bmnav._version import __version__

    c = view.card
    kind = "Profile" if view.report["profile"] else "Case"
    facts = [
        f"{kind} <code>{_e(c['id'])}</code>",
        _e(c.get("company")),
        _e(c.get("country")),
        {"sme": "SME", "large": "large company"}.get(str(c.get("company_size")), _e(c.get("company_size"))),
        _e(c.get("industry")),
        _e(c.get("year")),
    ]
    byline = " · ".join(_e(x) for x in (f"Prepared by {author}" if author else "", date) if x)
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="bmnav {escape(__version__)}">',
        f"<title>{_e(title or c['name'])}: business model report</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(title or c['name'])}</h1>",
        *([f'<p class="sub">{_e(c["name"])}</p>'] if title else []),
        f'<p class="sub">{" · ".join(x for x in facts if x)}</p>',
        *([f'<p class="sub">{byline}</p>'] if author or date else []),
        "</header>",
        "<nav><strong>Contents</strong><ul>"
        + "".join(
            f'<li><a href="#{sid}">{escape(heading)}</a></li>' for sid, heading in (NOTES, *SECTIONS) if view.shows(sid)
        )
        + "</ul></nav>",
    ]


def _notes_section(notes: str) -> list[str]:
    return [
        '<section id="notes">',
        f"<h2>{escape(NOTES[1])}</h2>",
        f'<div class="notes">{_notes_html(notes)}</div>',
        "</section>",
    ]


def _card_section(view: View) -> list[str]:
    """The case: its cluster, summary, the four questions and the offering facts."""
    c = view.card
    h = _heading("card")
    if c.get("cluster"):
        also = f" (also {_e([cluster_name(view.clusters, a) for a in c.get('also') or []])})" if c.get("also") else ""
        h.append(f"<p><strong>Cluster:</strong> {_e(c.get('cluster_name') or c['cluster'])}{also}</p>")
    if c.get("summary"):
        h.append(f"<p>{_e(c['summary'])}</p>")
    h += _questions(c)
    h += _offering(view)
    h.append("</section>")
    return h


def _questions(c: dict[str, Any]) -> list[str]:
    """The four questions and what changed; the unstated ones in one line."""
    bm = c.get("business_model") or {}
    ch = c.get("changes") or {}
    rows, unstated = [], []
    for q in QUESTIONS:
        changed = ch.get(q)
        if not bm.get(q) and changed is None:
            unstated.append(QUESTION_LABELS[q])
            continue
        mark = (
            '<span class="yes">changed</span>'
            if changed
            else '<span class="no">unchanged</span>'
            if changed is False
            else '<span class="no">not stated</span>'
        )
        rows.append([escape(QUESTION_LABELS[q]), _e(bm.get(q)) or '<span class="no">not stated</span>', mark])
    h = ["<h3>The four questions and what changed</h3>"]
    if rows:
        h.append(_table(["Question", "Answer", "Change"], rows))
    if unstated:
        h.append(f'<p class="note">Not stated: {_e(unstated)}.</p>')
    return h


def _offering(view: View) -> list[str]:
    """The offering facts in words; the unknown ones in one line."""
    c, labels = view.card, view.labels
    off_rows, unknown = [], []
    for k, v in (c.get("offering") or {}).items():
        key = f"offering.{k}"
        if v is None or v == []:
            unknown.append(labels.label(key))
        else:
            off_rows.append([_e(labels.label(key)), _e(labels.value(key, v))])
    techs = list(c.get("technologies") or []) + list(c.get("other_technologies") or [])
    for key, value in (("technologies", techs), ("patterns", c.get("patterns"))):
        if value:
            off_rows.append([_e(labels.label(key)), _e(labels.value(key, value))])
        else:
            unknown.append(labels.label(key))
    h = ["<h3>Offering facts</h3>"]
    if off_rows:
        h.append(_table(["Fact", "Value"], off_rows))
    if unknown:
        h.append(f'<p class="note">Not stated: {_e(unknown)}.</p>')
    return h


def _network_section(view: View, picture: str | None) -> list[str]:
    """The value network: the picture, the roles, the flows and the network's metrics."""
    c = view.card
    h = _heading("network")
    if not c.get("roles"):
        return [*h, '<p class="note">No value network recorded (`network` is missing).</p>', "</section>"]
    picture = picture if picture is not None else network_svg(case_from_report(view.report))
    h.append(
        f"<figure>{picture}<figcaption>The value network: roles and the flows between them, coloured by "
        "kind (money and intangible flows dashed).</figcaption></figure>"
    )
    h += ["<h3>Roles</h3>", _roles_table(view)]
    flow_rows = []
    for k, items in (c.get("flows") or {}).items():
        for f in items:
            amount = f"{f['amount']:,.0f}" if f.get("amount") is not None else ""
            flow_rows.append(
                [escape(k), _e(f.get("from_name")), _e(f.get("to_name")), _e(f.get("what")), escape(amount)]
            )
    h += ["<h3>Flows</h3>", _table(["Kind", "From", "To", "What", "Amount"], flow_rows)]
    h += ["<h3>Network metrics</h3>", _metrics_table(c)]
    h.append("</section>")
    return h


def _roles_table(view: View) -> str:
    rows = [
        [
            f"<code>{_e(r['id'])}</code>",
            _e(r["name"]) + (" <strong>(focal)</strong>" if r.get("focal") else ""),
            _e(view.labels.role_types.get(str(r.get("type")), r.get("type")) if r.get("type") else None),
            _e(r.get("actor")),
            "external" if r.get("external") else "internal",
            _e(r.get("count")),
        ]
        for r in view.card["roles"]
    ]
    for row in rows:
        if row[5] == "1":
            row[5] = ""  # one organisation is the default: the column shows only when a role stands for many
    return _table(["Id", "Role", "Type", "Actor", "", "Organisations"], rows)


def _metrics_table(c: dict[str, Any]) -> str:
    """The network's metrics in words, roles by name."""
    m = c.get("metrics") or {}
    role_names = {r["id"]: r["name"] for r in c["roles"]}

    def named(ids: Any) -> str:
        return _e([role_names.get(i, i) for i in ids or []])

    rows = [
        ["Roles / organisations", f"{m.get('roles')} / {m.get('organisations')}"],
        ["Share of roles outside the company", f"{float(m.get('external_share') or 0):.0%}"],
        ["Flows by kind", _e([f"{k} {v}" for k, v in (m.get("flows_by_kind") or {}).items() if v])],
        ["Who orchestrates the network", named([m["orchestrator"]] if m.get("orchestrator") else []) or "none"],
        ["Serves outside suppliers and outside buyers (two-sided)", _e(m.get("two_sided"))],
        ["Roles that collect and pass on data", named(m.get("data_hubs")) or "none"],
        ["Owner and user of the product differ", _e((m.get("owner_user") or {}).get("separated"))],
        ["Roles that get something without giving back, or pay without getting", named(m.get("unbalanced")) or "none"],
    ]
    net = m.get("net_value")
    if net:
        cur = m.get("currency") or "EUR"
        values = [f"{role_names.get(rid, rid)} {v['net']:+,.0f} {cur}" for rid, v in sorted(net.items())]
        rows.append(["Net value per year", _e(values)])
    return _table(["Metric", "Value"], rows)


def _position_section(view: View, corpus: Corpus) -> list[str]:
    """Openness and ecosystem size with the openness components, and the map."""
    h = _heading("position")
    pos = view.report.get("position")
    if pos:
        manual = " (set by hand in the case file)" if pos.get("manual") else ""
        if pos.get("ecosystem_size") is None:
            h.append(
                f"<p><strong>Openness</strong> {pos['openness']:.2f}; <strong>ecosystem size</strong> unknown: "
                "no value network is recorded, so it is left off the map below.</p>"
            )
        else:
            h.append(
                f"<p><strong>Openness</strong> {pos['openness']:.2f} and <strong>ecosystem size</strong> "
                f"{pos['ecosystem_size']:.2f}{manual}, with {pos['organisations']:,} organisations taking part.</p>"
            )
        contrib = [
            [escape(k.replace("_", " ")), _e(pos.get(k)), f"{pos.get(f'{k}_contribution', 0):.3f}"]
            for k in ("access", "external_share", "data_reach", "open_sides")
            if pos.get(k) is not None
        ]
        h.append(_table(["Openness component", "Value (0..1)", "Contribution"], contrib))
    else:
        h.append('<p class="note">Too few facts to place it (give offering.access, data_sharing or a network).</p>')
    h.append(
        f"<figure>{map_svg(view.report, corpus)}<figcaption>Where the case sits among the corpus cases "
        "(the report's Figure 5, computed from the case files).</figcaption></figure>"
    )
    h.append("</section>")
    return h


def _classification_section(view: View) -> list[str]:
    """bmnav's verdict, the ranking, and the evidence, missing facts and similar cases asked for."""
    cls = view.cls
    h = _heading("classification")
    top = cls["ranking"][0]
    recorded = view.report.get("recorded_cluster")
    verdict = f"<strong>{_e(top['name'])}</strong>, confidence <strong>{_e(cls['confidence'])}</strong>"
    if cls.get("also"):
        verdict += f"; also {_e([cluster_name(view.clusters, a) for a in cls['also']])}"
    h.append(f"<p>bmnav's classification: {verdict}; {round(cls['coverage'] * 100)}% of the facts known.</p>")
    if recorded:
        same = "agrees with" if recorded == top["cluster"] else "differs from"
        h.append(
            f'<p class="note">The classification ignores the case\'s recorded cluster and {same} it '
            f"({_e(cluster_name(view.clusters, recorded))}).</p>"
        )
    rank_rows = [
        [
            _e(r["name"]),
            f'<span class="bar"><span style="width:{r["score"] * 100:.1f}%"></span></span>',
            f"{r['score']:.2f}",
            _e(r["confidence"]),
        ]
        for r in cls["ranking"]
    ]
    h.append(_table(["Cluster", "", "Score", "Confidence"], rank_rows))
    shown = [cls["ranking"][0]] + [r for r in cls["ranking"][1:] if r["cluster"] in cls.get("also", [])]
    for r in shown[:3] if view.shows("evidence") else []:
        h += _evidence(view, r)
    if cls.get("missing_facts") and view.shows("missing"):
        h += _missing(view)
    if cls.get("similar") and view.shows("similar"):
        h += _similar(view)
    h.append("</section>")
    return h


def _evidence(view: View, r: dict[str, Any]) -> list[str]:
    """The strongest evidence for and against one cluster, saying what was left out."""
    h = [f"<h3>Evidence for and against {_e(r['name'])}</h3>"]
    ev_rows = []
    left_out = []
    for side in ("for", "against"):
        items = r["evidence"][side]
        keep = evidence_shown(items)
        if len(keep) < len(items):
            left_out.append(f"the strongest {len(keep)} of {len(items)} items {side}")
        for e in keep:
            ev_rows.append(
                [
                    f'<span class="{side}">{side}</span>',
                    _e(view.labels.label(e["fact"])),
                    _e(view.labels.value(e["fact"], e.get("value"))),
                    f"{e['weight']:+.1f}" if side == "for" else f"{-abs(e['weight']):+.1f}",
                    _e(e.get("why")),
                ]
            )
    h.append(
        _table(["", "Fact", "Value", "Weight", "Why"], ev_rows)
        if ev_rows
        else '<p class="note">No evidence either way.</p>'
    )
    if left_out:
        h.append(f'<p class="note">Showing {" and ".join(left_out)}; the JSON report has them all.</p>')
    return h


def _missing(view: View) -> list[str]:
    rows = [
        [_e(view.labels.label(m["fact"])), _e(m.get("question")), _e(m.get("could_change_to"))]
        for m in view.cls["missing_facts"]
    ]
    return [
        "<h3>Facts that would most change the answer</h3>",
        _table(["Fact", "Question", "Could change it to"], rows),
    ]


def _similar(view: View) -> list[str]:
    """The most similar corpus cases with (at most five of) the facts they share."""
    rows = []
    for s in view.cls["similar"]:
        shared = s.get("shared") or []
        rows.append(
            [
                _e(s.get("name") or s["case"]) + f" <code>{_e(s['case'])}</code>",
                _e(cluster_name(view.clusters, s.get("cluster"))),
                f"{s['similarity']:.2f}",
                "; ".join(_e(view.labels.shared(x)) for x in shared[:5])
                + (f" (+{len(s['shared']) - 5} more)" if len(shared) > 5 else ""),
                _e(s.get("section")),
            ]
        )
    return [
        "<h3>Most similar corpus cases</h3>",
        _table(["Case", "Cluster", "Similarity", "Shared facts", "Report"], rows),
    ]


def _maturity_section(view: View) -> list[str]:
    """The maturity path: timeline, current and next stage, forces, recommendations."""
    mat, clusters = view.mat, view.clusters
    h = _heading("maturity")
    if mat.get("timeline"):
        rows = [
            [
                _e(p["phase"]),
                _e(p.get("period")),
                _e([cluster_name(clusters, x) for x in p.get("clusters") or []]),
                _e(p.get("stage")),
                _e(p.get("summary")),
            ]
            for p in mat["timeline"]
        ]
        h.append(_table(["Phase", "Period", "Clusters", "Stage", "Summary"], rows))
    h += _stages(view)
    if mat.get("address_first"):
        h.append("<h3>Constraining forces to address first</h3><ol>")
        for a in mat["address_first"]:
            h.append(f'<li>{_e(a["text"])} <span class="note">({_e(a["category"].replace("_", " "))})</span></li>')
        h.append("</ol>")
    h += _recommendations(view)
    h.append("</section>")
    return h


def _stages(view: View) -> list[str]:
    """The current and the next stage, and a note on the source's duplicated tables."""
    mat = view.mat
    h = []
    if mat.get("stage"):
        h.append(
            f"<p><strong>Current stage:</strong> {_e(mat['stage'])} {_e(mat.get('stage_name'))} "
            f'<span class="note">({_e(mat.get("stage_source"))})</span></p>'
        )
    nxt = mat.get("next")
    if nxt:
        h.append(
            f"<p><strong>Next stage:</strong> {_e(nxt['stage'])} {_e(nxt['name'])}: "
            f"{_e([cluster_name(view.clusters, x) for x in nxt.get('clusters') or []])}</p>"
        )
        if nxt.get("description"):
            h.append(f"<p>{_e(nxt['description'])}</p>")
    elif mat.get("stage"):
        h.append("<p><strong>Next stage:</strong> none; this is the last stage of the report's maturity model.</p>")
    for earlier, later in mat.get("duplicated_tables") or []:
        h.append(
            f'<p class="note">The forces of phase {_e(later)} are identical to those of phase {_e(earlier)} '
            "(in the report, Tables 4 and 5 are the same; likely an error in the source): shown as printed, "
            "not ranked as forces to address first.</p>"
        )
    return h


def _recommendations(view: View) -> list[str]:
    recs = (view.cls.get("recommendations") or []) if view.shows("recommendations") else []
    if not recs:
        return []
    h = ["<h3>Recommendations of the report that apply (§4)</h3><ul>"]
    for r in recs:
        reading = r.get("company_reading")
        h.append(
            f'<li><strong>{_e(r.get("title"))}</strong> <span class="note">({_e(r.get("section"))})</span>'
            f"<br>{_e(r.get('text'))}"
            + (f" <em>bmnav's reading for a company:</em> {_e(reading)}" if reading else "")
            + "</li>"
        )
    h.append("</ul>")
    return h


def _sources_section(view: View) -> list[str]:
    h = _heading("sources")
    srcs = view.card.get("sources") or []
    if srcs:
        h.append("<ul>")
        for s in srcs:
            url = s.get("url")
            link = f' <a href="{escape(url, quote=True)}">{_e(url)}</a>' if url else ""
            h.append(f"<li>{_e(s.get('title'))}{link}</li>")
        h.append("</ul>")
    else:
        h.append('<p class="note">No sources recorded.</p>')
    h.append("</section>")
    return h


def _footer() -> list[str]:
    from bmnav._version import __version__

    return [
        '<footer><p class="note">Clusters, maturity stages and recommendations follow "Value Networks as the '
        'Foundation for Digital Business Models" (Sino-German expert group, 2020). Generated by bmnav '
        f"{escape(__version__)}.</p></footer>",
        "</body>",
        "</html>",
    ]
