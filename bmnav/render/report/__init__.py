"""A self-contained report on one case or profile, for a client (`bmnav report`).

The package is three rooms and a picture gallery:

- `data`: `build_report(case, corpus)` gathers everything the report shows
  into one JSON-ready dict: the case card (`bmnav.domain.cards`), the classification
  with its evidence (`bmnav.classifying.classifier`), the maturity path
  (`bmnav.domain.evolution`) and the position among the corpus cases
  (`bmnav.domain.positions`).
- `html_doc`: `render_html()` turns that dict into one HTML file with inline
  CSS and inline SVG, no scripts and no external resources, so it can be
  mailed or printed as it is; one function per section.
- `markdown_doc`: `render_markdown()` writes the same sections as Markdown,
  the network as a Mermaid diagram and the map as a link to an SVG file
  written beside it (GitHub strips data: URIs).
- `pictures`: the value network (`network_svg`) and the position map (`map_svg`).

Output is deterministic (no dates, sorted where order carries no meaning),
so a report can be committed and diffed. The names below are the package's
public interface; each submodule's name differs from them, so importing one
never hides a function.
"""

from __future__ import annotations

from collections.abc import Callable

from bmnav.render.report.data import OMITTABLE, SECTIONS, build_report
from bmnav.render.report.html_doc import render_html
from bmnav.render.report.markdown_doc import render_markdown
from bmnav.render.report.pictures import map_svg, network_svg

__all__ = ["OMITTABLE", "SECTIONS", "build_report", "map_svg", "network_svg", "render_html", "render_markdown"]

#: `report` in the render layer's table (`bmnav.render.render("report", "html", result, corpus=...)`).
RENDERERS: dict[str, dict[str, Callable[..., str]]] = {"report": {"html": render_html, "markdown": render_markdown}}
