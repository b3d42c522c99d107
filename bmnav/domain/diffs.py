"""A semantic diff of two cases (or two revisions of one case).

Not a text diff: the two files are read as cases and compared by meaning.

* scalar fields: old -> new (`offering.access: closed -> open`); a field
  that appears or disappears has `old` or `new` None;
* list fields whose order carries no meaning (`technologies`, `patterns`,
  `offering.revenue`, `also`, `sources`, a phase's `clusters`, ...) as sets:
  added and removed items, so reordering is no change;
* roles matched by `id`: added, removed, and changed attributes (the
  contract's defaults applied, so `external: true` written out is no change);
* flows matched by `(from, to, kind)`: added, removed, and changed `what` /
  `amount`;
* the four questions of `business_model` word by word (difflib on words);
* `maturity.history` phases matched by their `phase` number;
* derived changes, computed through bmnav's own functions: the
  classification ranking (`bmnav.classifying.classifier.classify`), the position
  (`bmnav.domain.positions.position`) and the maturity stage
  (`bmnav.domain.evolution.case_stage`).

`diff(a, b, corpus)` returns a `DiffResult`; `as_dict()` is the JSON shape
documented in docs/diff.md, `stat()` the `--stat` summary. No printing here.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from bmnav.checking.problems import BmnavError, Problem
from bmnav.domain.model import QUESTIONS, Case

if TYPE_CHECKING:
    from bmnav.storage.corpus import Corpus
    from bmnav.storage.limits import Limits

#: Defaults of the contract: a field missing on one side equals its default.
FIELD_DEFAULTS: dict[str, Any] = {"currency": "EUR"}
ROLE_DEFAULTS: dict[str, Any] = {"external": True, "count": 1}
ROLE_FIELDS = ("name", "type", "actor", "external", "count")
FLOW_FIELDS = ("what", "amount")
#: Paths with their own matching (not walked as plain fields).
SPECIAL = {"network.roles", "network.flows", "maturity.history"} | {f"business_model.{q}" for q in QUESTIONS}


@dataclass(frozen=True)
class FieldChange:
    """A scalar that changed; `old` None means added, `new` None removed."""

    path: str
    old: Any
    new: Any

    @property
    def change(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "change": self.change, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class SetChange:
    """A list compared as a set: the items added and removed."""

    path: str
    added: list[Any]
    removed: list[Any]

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "added": list(self.added), "removed": list(self.removed)}


@dataclass(frozen=True)
class AttrChange:
    """One attribute of a matched role or flow."""

    field: str
    old: Any
    new: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass
class RoleDiff:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    #: (role id, its attribute changes)
    changed: list[tuple[str, list[AttrChange]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "removed": self.removed,
            "changed": [{"id": rid, "changes": [c.as_dict() for c in cs]} for rid, cs in self.changed],
        }


@dataclass
class FlowDiff:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    #: ((from, to, kind), its attribute changes)
    changed: list[tuple[tuple[str, str, str], list[AttrChange]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "removed": self.removed,
            "changed": [
                {"from": k[0], "to": k[1], "kind": k[2], "changes": [c.as_dict() for c in cs]} for k, cs in self.changed
            ],
        }


@dataclass(frozen=True)
class WordOp:
    """A run of words: `equal`, `delete` (only in a) or `insert` (only in b)."""

    op: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"op": self.op, "text": self.text}


@dataclass
class QuestionDiff:
    """One of the four questions (who, what, how, value), word by word."""

    question: str
    old: str | None
    new: str | None
    words: list[WordOp]

    @property
    def added_words(self) -> int:
        return sum(len(w.text.split()) for w in self.words if w.op == "insert")

    @property
    def removed_words(self) -> int:
        return sum(len(w.text.split()) for w in self.words if w.op == "delete")

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "old": self.old,
            "new": self.new,
            "words": [w.as_dict() for w in self.words],
        }


@dataclass
class Derived:
    """One derived value before and after (None where it cannot be computed)."""

    old: Any
    new: Any

    @property
    def changed(self) -> bool:
        return bool(self.old != self.new)

    def as_dict(self) -> dict[str, Any]:
        return {"changed": self.changed, "old": self.old, "new": self.new}


@dataclass
class Side:
    """What was compared: the reference given, the case id and its file."""

    ref: str
    id: str
    path: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"ref": self.ref, "id": self.id, "path": self.path}


@dataclass
class DiffResult:
    """The semantic difference of case `a` (old) and case `b` (new)."""

    a: Side
    b: Side
    fields: list[FieldChange] = field(default_factory=list)
    lists: list[SetChange] = field(default_factory=list)
    roles: RoleDiff = field(default_factory=RoleDiff)
    flows: FlowDiff = field(default_factory=FlowDiff)
    questions: list[QuestionDiff] = field(default_factory=list)
    derived: dict[str, Derived] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        """True when nothing of meaning differs (derived values follow the content)."""
        return not (self.fields or self.lists or self.roles or self.flows or self.questions)

    @property
    def exit_code(self) -> int:
        """As diff(1): 0 identical, 1 different."""
        return 0 if self.identical else 1

    def stat(self) -> dict[str, Any]:
        """Counts of the changes, as `--stat` shows them."""
        return {
            "fields": len(self.fields),
            "lists": {
                "changed": len(self.lists),
                "added": sum(len(s.added) for s in self.lists),
                "removed": sum(len(s.removed) for s in self.lists),
            },
            "roles": {
                "added": len(self.roles.added),
                "removed": len(self.roles.removed),
                "changed": len(self.roles.changed),
            },
            "flows": {
                "added": len(self.flows.added),
                "removed": len(self.flows.removed),
                "changed": len(self.flows.changed),
            },
            "questions": {
                "changed": len(self.questions),
                "words_added": sum(q.added_words for q in self.questions),
                "words_removed": sum(q.removed_words for q in self.questions),
            },
            "derived": sorted(k for k, d in self.derived.items() if d.changed),
        }

    def as_dict(self, *, stat_only: bool = False) -> dict[str, Any]:
        """The JSON shape (docs/diff.md)."""
        head: dict[str, Any] = {
            "a": self.a.as_dict(),
            "b": self.b.as_dict(),
            "identical": self.identical,
            "stat": self.stat(),
        }
        if stat_only:
            return head
        return {
            **head,
            "fields": [f.as_dict() for f in self.fields],
            "lists": [s.as_dict() for s in self.lists],
            "roles": self.roles.as_dict(),
            "flows": self.flows.as_dict(),
            "questions": [q.as_dict() for q in self.questions],
            "derived": {k: d.as_dict() for k, d in self.derived.items()},
        }


# --- the walk -----------------------------------------------------------------


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _set_change(path: str, old: list[Any], new: list[Any]) -> SetChange | None:
    old_keys = {_canon(v): v for v in old}
    new_keys = {_canon(v): v for v in new}
    added = [v for k, v in new_keys.items() if k not in old_keys]
    removed = [v for k, v in old_keys.items() if k not in new_keys]
    if not added and not removed:
        return None
    return SetChange(path, added, removed)


def _walk(path: str, old: Any, new: Any, result: DiffResult) -> None:
    if path in SPECIAL:
        return
    if old is None and path in FIELD_DEFAULTS:
        old = FIELD_DEFAULTS[path]
    if new is None and path in FIELD_DEFAULTS:
        new = FIELD_DEFAULTS[path]
    if _both(old, new, dict):
        o = old or {}
        n = new or {}
        for key in list(o) + [k for k in n if k not in o]:
            _walk(f"{path}.{key}" if path else str(key), o.get(key), n.get(key), result)
        return
    if _both(old, new, list):
        change = _set_change(path, old or [], new or [])
        if change:
            result.lists.append(change)
        return
    if not _same(old, new):
        result.fields.append(FieldChange(path, old, new))


def _both(old: Any, new: Any, kind: type) -> bool:
    """Both values are of `kind`, or one is and the other is missing."""
    if not (isinstance(old, kind) or isinstance(new, kind)):
        return False
    return old is None or new is None or (isinstance(old, kind) and isinstance(new, kind))


def _same(old: Any, new: Any) -> bool:
    """Equal values; `true` is not `1` (Python would say it is)."""
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    return bool(old == new)


def _role_dict(raw: dict[str, Any], focal: str | None) -> dict[str, Any]:
    d = {k: raw.get(k, ROLE_DEFAULTS.get(k)) for k in ROLE_FIELDS}
    if raw.get("id") == focal:
        d["external"] = False  # the focal role is always internal
    return d


def _roles(a: Case, b: Case, by: str = "id") -> RoleDiff:
    """Roles matched by `id`, or with `by="type"` by role `type` (falling back
    to the id for a role without a type or whose type another role of the
    case shares), so that two cases of one archetype line up row by row like
    the report's Table 2."""

    def raw(case: Case) -> dict[str, dict[str, Any]]:
        roles = [r for r in (case.data.get("network") or {}).get("roles") or [] if isinstance(r, dict) and "id" in r]
        if by != "type":
            return {str(r["id"]): r for r in roles}
        types = [r.get("type") for r in roles]
        return {
            (str(r["type"]) if r.get("type") and types.count(r.get("type")) == 1 else str(r["id"])): r for r in roles
        }

    old, new = raw(a), raw(b)
    result = RoleDiff()
    for rid, r in new.items():
        if rid not in old:
            result.added.append(dict(r))
    for rid, r in old.items():
        if rid not in new:
            result.removed.append(dict(r))
            continue
        o, n = _role_dict(r, a.focal), _role_dict(new[rid], b.focal)
        changes = [
            AttrChange(k, o[k], n[k]) for k in ROLE_FIELDS if o[k] != n[k] and not (by == "type" and k == "type")
        ]
        if changes:
            result.changed.append((rid, changes))
    return result


def _flow_key(f: dict[str, Any]) -> tuple[str, str, str]:
    return (str(f.get("from")), str(f.get("to")), str(f.get("kind")))


def _flow_attrs(f: dict[str, Any]) -> dict[str, Any]:
    amount = f.get("amount")
    if isinstance(amount, (int, float)) and not isinstance(amount, bool):
        amount = float(amount)
    return {"what": f.get("what"), "amount": amount}


def _flows(a: Case, b: Case) -> FlowDiff:
    def grouped(case: Case) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
        out: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for f in (case.data.get("network") or {}).get("flows") or []:
            if isinstance(f, dict):
                out.setdefault(_flow_key(f), []).append(f)
        return out

    old, new = grouped(a), grouped(b)
    result = FlowDiff()
    for key in list(old) + [k for k in new if k not in old]:
        olds, news = list(old.get(key, [])), list(new.get(key, []))
        # flows equal in every attribute match first, whatever their order
        for f in list(olds):
            twin = next((g for g in news if _flow_attrs(g) == _flow_attrs(f)), None)
            if twin is not None:
                olds.remove(f)
                news.remove(twin)
        # the rest pair up in order: same endpoints and kind, other attributes
        while olds and news:
            f, g = olds.pop(0), news.pop(0)
            fo, go = _flow_attrs(f), _flow_attrs(g)
            result.changed.append((key, [AttrChange(k, fo[k], go[k]) for k in FLOW_FIELDS if fo[k] != go[k]]))
        result.removed += [dict(f) for f in olds]
        result.added += [dict(g) for g in news]
    return result


def word_diff(old: str | None, new: str | None) -> list[WordOp]:
    """The words of `old` and `new` as equal, deleted and inserted runs.

    >>> [(w.op, w.text) for w in word_diff("fleet operators of trucks", "fleet operators of buses")]
    [('equal', 'fleet operators of'), ('delete', 'trucks'), ('insert', 'buses')]
    """
    a, b = (old or "").split(), (new or "").split()
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(WordOp("equal", " ".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            ops.append(WordOp("delete", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            ops.append(WordOp("insert", " ".join(b[j1:j2])))
    return ops


def _questions(a: Case, b: Case) -> list[QuestionDiff]:
    qa = a.data.get("business_model") or {}
    qb = b.data.get("business_model") or {}
    out = []
    for q in QUESTIONS:
        old, new = qa.get(q), qb.get(q)
        if (old or "").split() != (new or "").split():
            out.append(QuestionDiff(q, old, new, word_diff(old, new)))
    return out


def _history(a: Case, b: Case, result: DiffResult) -> None:
    def phases(case: Case) -> dict[int, dict[str, Any]]:
        history = (case.data.get("maturity") or {}).get("history") or []
        return {int(p["phase"]): p for p in history if isinstance(p, dict) and isinstance(p.get("phase"), int)}

    old, new = phases(a), phases(b)
    for number in sorted(set(old) | set(new)):
        o, n = old.get(number), new.get(number)
        base = f"maturity.history[phase={number}]"
        if o is None or n is None:
            result.fields.append(FieldChange(base, o, n))
            continue
        for key in list(o) + [k for k in n if k not in o]:
            if key != "phase":
                _walk(f"{base}.{key}", o.get(key), n.get(key), result)


# --- derived values -------------------------------------------------------------


def _safe(func: Callable[[Case, Corpus], Any], case: Case, corpus: Corpus) -> Any:
    try:
        return func(case, corpus)
    except BmnavError:
        return None


def _ranking(case: Case, corpus: Corpus) -> list[dict[str, Any]]:
    from bmnav.classifying.classifier import classify

    result = classify(case, corpus)
    return [{"cluster": r.cluster, "score": round(r.score, 4)} for r in result.ranking]


def _position(case: Case, corpus: Corpus) -> dict[str, Any]:
    from bmnav.domain.positions import position

    p = position(case, corpus)
    return {"openness": round(p.openness, 4), "ecosystem_size": round(p.ecosystem_size, 4), "manual": p.manual}


def _maturity(case: Case, corpus: Corpus) -> dict[str, Any]:
    from bmnav.domain.evolution import case_stage

    stage, source = case_stage(case, corpus)
    return {"stage": stage, "source": source}


#: Derived values by name; each takes (case, corpus) and may raise BmnavError.
DERIVED: dict[str, Callable[[Case, Corpus], Any]] = {
    "classification": _ranking,
    "position": _position,
    "maturity": _maturity,
}


def derived_changes(a: Case, b: Case, corpus: Corpus) -> dict[str, Derived]:
    """The classification ranking, position and maturity stage of both sides
    (computed once when both sides are one case, as for a file and itself)."""
    out = {}
    for name, func in DERIVED.items():
        old = _safe(func, a, corpus)
        out[name] = Derived(old, copy.deepcopy(old) if b is a else _safe(func, b, corpus))
    return out


# --- the public function --------------------------------------------------------


def _side(case: Case, ref: str | None) -> Side:
    return Side(ref if ref is not None else (case.path or case.id), case.id, case.path)


def diff(
    a: Case, b: Case, corpus: Corpus, *, a_ref: str | None = None, b_ref: str | None = None, by: str = "id"
) -> DiffResult:
    """The semantic diff of case `a` (old) and case `b` (new); `by="type"` matches roles by type.

    >>> r = diff(corpus.get("tire-as-a-service"), corpus.resolve("v2.yaml"), corpus)   # doctest: +SKIP
    >>> r.exit_code, [f.path for f in r.fields]
    (1, ['offering.access'])
    """
    # each side's graph, facts and position computed once (a file diffed with itself: one side)
    same = b is a
    a = a.snapshot()
    b = a if same else b.snapshot()
    result = DiffResult(_side(a, a_ref), _side(b, b_ref))
    _walk("", a.data, b.data, result)
    _history(a, b, result)
    result.roles = _roles(a, b, by)
    result.flows = _flows(a, b)
    result.questions = _questions(a, b)
    result.derived = derived_changes(a, b, corpus)
    return result


def same_file(a_ref: str | Path, b_ref: str | Path) -> bool:
    """True when both references are one file, or two files with the same bytes
    (`bmnav diff` then exits 0 at once, as diff(1) does)."""
    pa, pb = Path(a_ref), Path(b_ref)
    if not (pa.is_file() and pb.is_file()):
        return False
    try:
        if pa.samefile(pb):
            return True
        if pa.stat().st_size != pb.stat().st_size:
            return False
        return pa.read_bytes() == pb.read_bytes()
    except OSError:
        return False


#: Rules that do not apply to a revision of a case outside the corpus folder
#: (git's temporary files have other names than the case id).
REVISION_IGNORES = ("id-matches-filename",)


#: The reference that reads standard input.
STDIN = "-"


def load_side(ref: str, corpus: Corpus, *, stdin: BinaryIO | None = None, limits: Limits | None = None) -> Case:
    """A case from a corpus id, a file, `-` (standard input), a pipe such as
    `<(git show HEAD~1:x.yaml)`, or `REV:path` (read with `git show`);
    `/dev/null` (git's side of an added or deleted file) is an empty case.
    Errors raise `BmnavError` with exit code 2 (diff(1)'s "trouble") carrying
    validate's problems. Whatever is read obeys the loader's size limit."""
    from bmnav.storage.limits import Limits

    if ref in ("/dev/null", "nul", "NUL"):
        return Case({}, ref)
    limits = limits or Limits.from_env()
    try:
        raw = _read_stream(ref, stdin, limits)
        if raw is not None:
            from bmnav.storage.collector import no_gc
            from bmnav.storage.corpus import case_from_loaded
            from bmnav.storage.loading import load_text

            label = "<stdin>" if ref == STDIN else ref
            with no_gc():  # (as `corpus.load_case` does)
                return case_from_loaded(load_text(raw, label, limits=limits), corpus.vocab, ignore=REVISION_IGNORES)
        return corpus.resolve(ref, ignore=REVISION_IGNORES)
    except BmnavError as exc:
        raise BmnavError(exc.message, problems=exc.problems, exit_code=2) from None


def _read_stream(ref: str, stdin: BinaryIO | None, limits: Limits) -> bytes | None:
    """The bytes of a side that is not a plain file or case id: `-`, a pipe
    (process substitution) or `REV:path`; None for the others."""
    from bmnav.storage import gitread
    from bmnav.storage.loading import read_stream

    if ref == STDIN:
        if stdin is None:
            import sys

            stdin = sys.stdin.buffer
        return _checked_read(read_stream(stdin, "<stdin>", limits))
    try:
        mode = os.stat(ref).st_mode
    except OSError:
        mode = 0
    if stat.S_ISFIFO(mode):
        # `<(git show REV:path)` names a pipe: named on purpose, so read it (once)
        with open(ref, "rb") as fh:
            return _checked_read(read_stream(fh, ref, limits))
    revision = gitread.split_revision(ref)
    if revision is not None:
        return gitread.show(*revision, limits=limits)
    return None


def _checked_read(result: tuple[bytes | None, Problem | None]) -> bytes:
    raw, problem = result
    if problem is not None:
        raise BmnavError(f"{problem.path}: {problem.message}", problems=[problem])
    assert raw is not None
    return raw
