"""The openness / ecosystem-size map as an SVG picture for a report.

The same content as the terminal map (`bmnav.render.mapplot`): axes with ticks and
titles, one colour per cluster with a legend, labelled points, cluster
centroids, profiles as diamonds and manual positions marked with `*`. The
output is plain, deterministic SVG 1.1 text (no scripts, no external
resources), so it can be committed and diffed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape as _xml_escape

from bmnav.domain.positions import Position, centroids
from bmnav.render.mapplot import PROFILE_STYLE, cluster_colours
from bmnav.render.safe_text import for_xml

__all__ = ["svg_map"]

WIDTH, HEIGHT = 880, 600
CHAR_W, LINE_H = 6.6, 14.0  # approximate size of a 12px label character and line
LEFT, RIGHT, TOP, BOTTOM = 70, 220, 50, 60


def escape(value: str, entities: dict[str, str] | None = None) -> str:
    """XML text: markup characters as entities, and the characters XML forbids
    (a control character in a case name) as visible escapes, so the SVG parses."""
    return _xml_escape(for_xml(value), entities or {})


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_label(
    x: float, y: float, width: float, *, prefer_end: bool, taken: list[Box], area: Box
) -> tuple[float, float, str, bool]:
    """Where the label of the point (x, y) goes: (text x, baseline, anchor,
    whether it needs a leader line back to its point).

    Tried in order of distance: beside the point on the preferred side, one
    line up or down, and so on, then the same on the other side; the first
    spot that overlaps no box in `taken` (other points, centroids, labels
    placed before) and stays in `area` wins, and is added to `taken`. A
    label more than a line away from its point gets a leader line. With no
    free spot, the label goes beside the point on the preferred side.
    """
    sides = ("end", "start") if prefer_end else ("start", "end")
    options = []
    for n, anchor in enumerate(sides):
        for step in range(13):
            k = (step + 1) // 2 * (-1 if step % 2 else 1)  # 0, -1, +1, -2, +2, ...
            options.append((abs(k) + 3 * n, anchor, k))
    options.sort(key=lambda o: o[0])
    for _, anchor, k in options:
        tx = x - 8 if anchor == "end" else x + 8
        base = y + 4 + k * LINE_H
        left = tx - width if anchor == "end" else tx
        box = (left, base - 11, left + width, base + 3)
        inside = area[0] <= box[0] and box[2] <= area[2] and area[1] <= box[1] and box[3] <= area[3]
        if inside and not any(_overlaps(box, t) for t in taken):
            taken.append(box)
            return tx, base, anchor, abs(k) > 1
    tx = x - 8 if prefer_end else x + 8
    return tx, y + 4, sides[0], False


def svg_map(
    items: Sequence[Position],
    *,
    cluster_ids: Sequence[str] | None = None,
    cluster_names: Mapping[str, str] | None = None,
    title: str = "Openness versus ecosystem size",
    show_centroids: bool = True,
) -> str:
    """Return the map of `items` as an SVG document (a string ending in a newline).

    Drawn in layers, each by its own function: the frame (grid, axes, ticks),
    the centroids, the ranges over estimated counts, the points with their
    labels, the legend, and the cases that have no place on the map.

    >>> svg_map([]).startswith('<?xml')
    True
    """
    unknown = [p for p in items if not p.size_known]  # no network: no ecosystem size, so no place on the map
    items = [p for p in items if p.size_known]
    seen = sorted({p.cluster for p in items if p.cluster and not p.profile})
    order = [c for c in (cluster_ids or []) if c in seen] + [c for c in seen if c not in (cluster_ids or [])]
    canvas = _Canvas(
        cluster_colours(list(cluster_ids or []) + [c for c in seen if c not in (cluster_ids or [])]),
        dict(cluster_names or {}),
    )
    out = _frame(title)
    if show_centroids:
        out += _centroid_marks(canvas, items)
    out += _ranges(canvas, items)
    out += _points(canvas, items, show_centroids)
    out += _legend(canvas, items, order, show_centroids)
    if unknown:
        left_off = ", ".join(p.case for p in unknown)
        out.append(
            f'<text id="not-on-map" x="{LEFT}" y="{HEIGHT - 6}" font-size="12" fill="#555555">'
            f"Not on the map (no value network, so the ecosystem size is unknown): {escape(left_off)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


#: the plot area inside the margins
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


class _Canvas:
    """What every layer of one map shares: the clusters' colours and names."""

    def __init__(self, colours: Mapping[str, tuple[str, str]], names: dict[str, str]) -> None:
        self.colours = colours
        self.names = names

    def colour(self, p: Position) -> str:
        """A point's colour: its cluster's, or the profiles' for a profile or a case without one."""
        return PROFILE_STYLE[1] if (p.profile or not p.cluster) else self.colours[p.cluster][1]


def _xy(x: float, y: float) -> tuple[float, float]:
    """Map coordinates (0..1, clipped) to the picture's, y growing downwards."""
    return LEFT + min(1.0, max(0.0, x)) * PLOT_W, TOP + (1 - min(1.0, max(0.0, y))) * PLOT_H


def _f(v: float) -> str:
    return f"{v:.1f}"


def _frame(title: str) -> list[str]:
    """The document's head, the title, the grid, the axes and their ticks and titles."""
    pw, ph = PLOT_W, PLOT_H
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="{TOP - 22}" font-size="16" font-weight="bold">{escape(title)}</text>',
        '<g id="grid" stroke="#dddddd" stroke-width="1">',
    ]
    for i in range(5):
        x, _ = _xy(i / 4, 0)
        _, y = _xy(0, i / 4)
        out.append(f'<line x1="{_f(x)}" y1="{TOP}" x2="{_f(x)}" y2="{TOP + ph}"/>')
        out.append(f'<line x1="{LEFT}" y1="{_f(y)}" x2="{LEFT + pw}" y2="{_f(y)}"/>')
    out.append("</g>")
    out.append('<g id="axes" stroke="#333333" stroke-width="1.5">')
    out.append(f'<line x1="{LEFT}" y1="{TOP + ph}" x2="{LEFT + pw}" y2="{TOP + ph}"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + ph}"/>')
    out.append("</g>")
    out.append('<g id="ticks" fill="#333333">')
    for i in range(5):
        v = i / 4
        x, _ = _xy(v, 0)
        _, y = _xy(0, v)
        out.append(f'<text x="{_f(x)}" y="{TOP + ph + 18}" text-anchor="middle">{v:.2f}</text>')
        out.append(f'<text x="{LEFT - 8}" y="{_f(y + 4)}" text-anchor="end">{v:.2f}</text>')
    out.append(
        f'<text x="{_f(LEFT + pw / 2)}" y="{TOP + ph + 44}" text-anchor="middle" font-size="14">'
        "Openness (0 closed … 1 open)</text>"
    )
    cy = TOP + ph / 2
    out.append(
        f'<text x="20" y="{_f(cy)}" text-anchor="middle" font-size="14" transform="rotate(-90 20 {_f(cy)})">'
        "Ecosystem size (log scale)</text>"
    )
    out.append("</g>")
    return out


def _centroid_marks(canvas: _Canvas, items: Sequence[Position]) -> list[str]:
    """A cross at the mean position of each cluster's cases."""
    out = ['<g id="centroids" stroke-width="3">']
    for cid, (cx_, cy_) in centroids(items).items():
        x, y = _xy(cx_, cy_)
        out.append(
            f'<path d="M{_f(x - 8)},{_f(y)} H{_f(x + 8)} M{_f(x)},{_f(y - 8)} V{_f(y + 8)}" '
            f'stroke="{canvas.colours[cid][1]}" opacity="0.6">'
            f"<title>{escape(canvas.names.get(cid, cid))} centroid</title></path>"
        )
    out.append("</g>")
    return out


def _ranges(canvas: _Canvas, items: Sequence[Position]) -> list[str]:
    """How far each computed position can move over its estimated counts: a box (or bar)."""
    out = ['<g id="ranges" fill="none" stroke-width="1" stroke-dasharray="3,2">']
    for p in sorted(items, key=lambda p: p.case):
        if p.manual or not p.rests_on_estimates:
            continue
        x0, y1 = _xy(p.openness_range[0], p.ecosystem_size_range[0])
        x1, y0 = _xy(p.openness_range[1], p.ecosystem_size_range[1])
        out.append(
            f'<rect x="{_f(x0 - 2)}" y="{_f(y0 - 2)}" width="{_f(x1 - x0 + 4)}" height="{_f(y1 - y0 + 4)}" '
            f'stroke="{canvas.colour(p)}" opacity="0.7" data-range="{_attr(p.case)}"><title>'
            + escape(
                f"{p.case} rests on estimates: openness {p.openness_range[0]:.2f}-{p.openness_range[1]:.2f}, "
                f"ecosystem size {p.ecosystem_size_range[0]:.2f}-{p.ecosystem_size_range[1]:.2f}"
            )
            + "</title></rect>"
        )
    out.append("</g>")
    return out


def _points(canvas: _Canvas, items: Sequence[Position], show_centroids: bool) -> list[str]:
    """Each case as a circle (a profile as a diamond) with its label, placed where it
    covers no point, centroid or earlier label; the labels drawn above everything."""
    out = ['<g id="points">']
    ordered = sorted(items, key=lambda p: (p.profile, p.cluster or "", p.case))
    spots = [_xy(p.openness, p.ecosystem_size) for p in ordered]
    # what a label must not cover: every point, every centroid, the labels placed so far
    taken: list[Box] = [(x - 6, y - 6, x + 6, y + 6) for x, y in spots]
    if show_centroids:
        taken += [(x - 9, y - 9, x + 9, y + 9) for x, y in (_xy(*c) for c in centroids(items).values())]
    area: Box = (LEFT + 2, TOP - 12, WIDTH - RIGHT + 12, TOP + PLOT_H - 2)
    labels: list[str] = []
    for p, (x, y) in zip(ordered, spots, strict=True):
        colour = canvas.colour(p)
        out.append(_mark(p, x, y, colour))
        label = p.case + ("*" if p.manual else "")
        tx, ty, anchor, leader = place_label(
            x, y, CHAR_W * len(label), prefer_end=p.openness > 0.75, taken=taken, area=area
        )
        if leader:  # the label had to move away: a thin line shows whose it is
            out.append(
                f'<line x1="{_f(x)}" y1="{_f(y)}" x2="{_f(tx)}" y2="{_f(ty - 4)}" stroke="{colour}" '
                f'stroke-width="0.8" opacity="0.7" data-leader="{_attr(p.case)}"/>'
            )
        labels.append(
            f'<text x="{_f(tx)}" y="{_f(ty)}" text-anchor="{anchor}" fill="{colour}" '
            f'data-case="{_attr(p.case)}">{escape(label)}</text>'
        )
    out += labels  # drawn last: above every point and leader line
    out.append("</g>")
    return out


def _mark(p: Position, x: float, y: float, colour: str) -> str:
    """One point: a diamond for a profile or a case without a cluster, else a circle."""
    tip = escape(
        f"{p.name} ({p.case}): openness {p.openness:.2f}, ecosystem size {p.ecosystem_size:.2f}"
        + (", manual" if p.manual else "")
    )
    if p.profile or not p.cluster:
        shape = (
            f'<path d="M{_f(x)},{_f(y - 7)} L{_f(x + 7)},{_f(y)} L{_f(x)},{_f(y + 7)} '
            f'L{_f(x - 7)},{_f(y)} Z" fill="{colour}">'
        )
        return f"{shape}<title>{tip}</title></path>"
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="5" fill="{colour}" stroke="#ffffff"><title>{tip}</title></circle>'


def _legend(canvas: _Canvas, items: Sequence[Position], order: list[str], show_centroids: bool) -> list[str]:
    """One row per cluster shown, then the marks the map uses: profile, centroid,
    manual position, range over estimated counts (each only when the map has one)."""
    out = [f'<g id="legend" transform="translate({WIDTH - RIGHT + 20},{TOP})">']
    row = 0
    for cid in order:
        out.append(f'<circle cx="6" cy="{row * 20 + 6}" r="5" fill="{canvas.colours[cid][1]}"/>')
        out.append(f'<text x="18" y="{row * 20 + 10}">{escape(canvas.names.get(cid, cid))}</text>')
        row += 1
    marks = [
        (
            any(p.profile or not p.cluster for p in items),
            '<path d="M6,{y} L12,{y6} L6,{y12} L0,{y6} Z" fill="#000000"/>',
            "profile",
        ),
        (
            show_centroids and bool(order),
            '<path d="M0,{y6} H12 M6,{y} V{y12}" stroke="#666666" stroke-width="3"/>',
            "cluster centroid",
        ),
        (any(p.manual for p in items), "", "* manual position"),
        (
            any(p.rests_on_estimates and not p.manual for p in items),
            '<rect x="0" y="{y}" width="12" height="12" fill="none" stroke="#666666" stroke-dasharray="3,2"/>',
            "range over estimated counts",
        ),
    ]
    for shown, symbol, text in marks:
        if not shown:
            continue
        y = row * 20
        if symbol:
            out.append(symbol.format(y=y, y6=y + 6, y12=y + 12))
        out.append(f'<text x="{0 if not symbol else 18}" y="{y + 10}">{text}</text>')
        row += 1
    out.append("</g>")
    return out
