"""Screening a file that could be hostile, on the parser's event stream,
before any document is built.

libyaml's composer recurses and jsonschema prints whole instances, so a
nesting or alias bomb must be stopped before either sees it. The screen counts
depth and alias expansion and refuses explicit tags and extra documents,
stopping at the first excess, so a bomb costs almost nothing. It also says
whether the document turned out plain, so that the quick composer may read it.
"""

from __future__ import annotations

from typing import Any

import yaml

from bmnav.checking.problems import Problem, error
from bmnav.storage.limits import Limits
from bmnav.storage.loading.safe_loader import LIBYAML_DEPTH, BaseLoader, too_deep

_ALLOWED_TAGS = {"tag:yaml.org,2002:str", "!!str"}
#: Plain scalars that resolve to YAML's merge (`<<`) and value (`=`) tags.
_SPECIAL_PLAIN = ("<<", "=")
_COLLECTION_START = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_COLLECTION_END = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_TAGGED = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)


def screen(text: str, path: str, limits: Limits) -> Problem | None:
    """The first excess of depth, alias expansion, tags or documents, or None."""
    return _Screen(path, limits).run(text)


def screen_plain(text: str, path: str, limits: Limits) -> tuple[Problem | None, bool]:
    """`screen`'s problem, and whether the document turned out to be plain:
    read to its end without anchors, aliases, tags or a plain `<<` or `=`
    (YAML's merge and value keys, which only the full loader handles), so
    that the quick composer reads it exactly as the full loader would."""
    screening = _Screen(path, limits)
    problem = screening.run(text)
    return problem, problem is None and screening.plain


class _Screen:
    """One pass over a document's events, keeping the counts the limits need."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.path, self.limits = path, limits
        self.plain = True
        self.depth = 0
        self.sizes: list[int] = []  # running node count of each open collection
        self.anchored: dict[str, int] = {}  # nodes under each anchor, for what an alias adds
        self.anchors_open: list[str | None] = []
        self.aliases = 0
        self.documents = 0

    def run(self, text: str) -> Problem | None:
        try:
            for ev in yaml.parse(text, Loader=BaseLoader):
                problem = self._event(ev)
                if problem is not None:
                    return problem
        except yaml.MarkedYAMLError as exc:
            if LIBYAML_DEPTH in str(exc):  # newer libyaml stops deep nesting itself, early
                mark = exc.problem_mark or exc.context_mark
                return too_deep(
                    self.path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, self.limits.max_depth
                )
            self.plain = False
            return None  # syntax errors are reported, with their location, by the loader
        except yaml.YAMLError:  # pragma: no cover
            self.plain = False
            return None
        return None

    def _event(self, ev: Any) -> Problem | None:
        if isinstance(ev, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                return self._error(
                    ev,
                    "multiple-documents",
                    "the file holds more than one YAML document; "
                    "put each case in its own file and remove the extra '---'",
                )
        tag = getattr(ev, "tag", None)
        if tag or getattr(ev, "anchor", None):
            self.plain = False  # (an alias event has an anchor too)
        if tag and tag not in _ALLOWED_TAGS and isinstance(ev, _TAGGED):
            implicit = ev.implicit if isinstance(ev, yaml.ScalarEvent) else (ev.implicit,)
            if not any(implicit) or tag.startswith("!"):
                return self._error(
                    ev,
                    "tag-not-allowed",
                    f"the tag {tag} is not allowed: bmnav files are plain data and "
                    "no tag may build objects or include other files; remove the tag",
                )
        if isinstance(ev, _COLLECTION_START):
            return self._open(ev)
        if isinstance(ev, _COLLECTION_END):
            self._close()
        elif isinstance(ev, yaml.ScalarEvent):
            self._scalar(ev)
        elif isinstance(ev, yaml.AliasEvent):
            return self._alias(ev)
        return None

    def _open(self, ev: Any) -> Problem | None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            mark = ev.start_mark
            return too_deep(self.path, mark.line + 1, mark.column + 1, self.limits.max_depth)
        self.sizes.append(0)
        self.anchors_open.append(ev.anchor)
        return None

    def _close(self) -> None:
        self.depth -= 1
        size = self.sizes.pop() + 1
        anchor = self.anchors_open.pop()
        if anchor:
            self.anchored[anchor] = size
        if self.sizes:
            self.sizes[-1] += size

    def _scalar(self, ev: yaml.ScalarEvent) -> None:
        if ev.anchor:
            self.anchored[ev.anchor] = 1
        if self.sizes:
            self.sizes[-1] += 1
        if ev.implicit[0] and ev.value in _SPECIAL_PLAIN:
            self.plain = False

    def _alias(self, ev: yaml.AliasEvent) -> Problem | None:
        """Count what an alias adds; refuse one inside its own anchor, and too many nodes or aliases."""
        if ev.anchor in self.anchors_open:
            return self._error(
                ev,
                "alias-limit",
                f"the alias *{ev.anchor} refers to the collection it is inside of, which "
                "would make the document endless; write the values out instead",
            )
        self.aliases += 1
        added = self.anchored.get(ev.anchor or "", 1)
        if self.sizes:
            self.sizes[-1] += added
        limits = self.limits
        if self.aliases > limits.max_aliases or sum(self.sizes) > limits.max_nodes:
            return self._error(
                ev,
                "alias-limit",
                f"aliases expand this document beyond {limits.max_nodes} nodes "
                f"or {limits.max_aliases} aliases (an alias bomb?); "
                "write the values out instead of repeating *aliases "
                "(or raise --max-nodes / --max-aliases)",
            )
        return None

    def _error(self, ev: Any, rule: str, message: str) -> Problem:
        mark = ev.start_mark
        return error(self.path, mark.line + 1, mark.column + 1, rule, message)
