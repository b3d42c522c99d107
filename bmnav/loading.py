"""Read a YAML file into plain data, safely, with a location for every problem.

Only PyYAML's safe loader is used (libyaml's when present), so no tag can
build a Python object. Before the document is built, files that could be
hostile (large, or using anchors, aliases or tags) are screened on the
parser's event stream: nesting depth, alias expansion and explicit tags are
checked there, because libyaml's composer recurses and jsonschema prints
whole instances, so a bomb must be stopped before either sees it.
Problems are returned, never raised.
"""

from __future__ import annotations

import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from .cache import no_gc
from .limits import HARD_MAX_DEPTH as HARD_MAX_DEPTH
from .limits import Limits as Limits
from .problems import Problem, error

try:  # the libyaml-accelerated classes, when PyYAML was built with them
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

PathItem = str | int
JsonPath = Sequence[PathItem]

#: Files up to this size with no `&`, `*` or `!` cannot nest deeper than
#: libyaml handles safely nor expand aliases, so they skip the event screen.
_FAST_PATH_BYTES = 16_384
_ALLOWED_TAGS = {"tag:yaml.org,2002:str", "!!str"}


def _non_string_key(path: str, key_node: yaml.Node, key: Any) -> tuple[str, Problem]:
    """The text a key that is not a string stands for, and the problem saying so."""
    raw = getattr(key_node, "value", key)
    hint = ""
    if not isinstance(key_node, yaml.ScalarNode):
        raw, hint = "(a list or mapping)", "; keys must be plain texts"
    elif not key_node.style:
        hint = f'; YAML reads {raw} as {type(key).__name__}, write it in quotes: "{raw}"'
        if key is None:
            raw, hint = "(empty or ~)", ": YAML reads it as null; give the key a name"
    line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
    return str(raw), error(path, line, col, "non-string-key", f"key {raw!s} is not a string{hint}")


def _duplicate_key(path: str, key_node: yaml.Node, key: str, first: yaml.Node) -> Problem:
    """A key repeated in one mapping, reported at the repeat, naming the first."""
    return error(
        path,
        key_node.start_mark.line + 1,
        key_node.start_mark.column + 1,
        "duplicate-key",
        f'key "{key}" appears twice in this mapping (first at line {first.start_mark.line + 1}); '
        "YAML would silently keep the last one: remove or rename one of them",
    )


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, refusing duplicate and non-string keys.

    Duplicate keys are collected (not raised) so that every one in a file is
    reported, each at the repeated key with the line of the first.
    """

    bmnav_path = "<string>"

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.bmnav_problems: list[Problem] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        seen: dict[Any, yaml.Node] = {}
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                key, problem = _non_string_key(self.bmnav_path, key_node, key)
                self.bmnav_problems.append(problem)
            if key in seen:
                self.bmnav_problems.append(_duplicate_key(self.bmnav_path, key_node, key, seen[key]))
            else:
                seen[key] = key_node
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


class _BadScalar(yaml.constructor.ConstructorError):
    """A plain scalar that YAML resolves to a type it then cannot build."""


def _guarded(tag: str) -> Any:
    """The safe constructor for `tag`, with ValueError (a date such as
    2001-13-45, an integer of more than 4300 digits) turned into a located
    error instead of an exception that escapes the loader."""
    base = yaml.constructor.SafeConstructor.yaml_constructors[tag]
    kind = {"int": "an integer", "float": "a number", "timestamp": "a date"}[tag.rsplit(":", 1)[-1]]

    def construct(loader: Any, node: yaml.Node) -> Any:
        try:
            return base(loader, node)
        except (ValueError, OverflowError) as exc:
            value = str(node.value)
            shown = value if len(value) <= 40 else value[:37] + "..."
            reason = str(exc).split(";")[0][:100]
            raise _BadScalar(
                None,
                None,
                f"YAML reads {shown!r} as {kind} but it is not a valid one ({reason}); "
                f'if it is meant as text, write it in quotes: "{shown}"',
                node.start_mark,
            ) from None

    return construct


for _tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"):
    _Loader.add_constructor(_tag, _guarded(_tag))


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SCALAR_NODE = yaml.ScalarNode
_MAPPING_NODE = yaml.MappingNode
#: First characters of plain scalars that YAML's implicit resolvers may turn
#: into something other than a string (bool, int, float, null, timestamp, merge).
_MAYBE_TYPED = frozenset("yYnNtTfFoO-+0123456789.<~=")


class _Composer(_BaseLoader):  # type: ignore[misc,valid-type]
    """libyaml's composer with quicker answers to its calls back into Python.

    The safe loader registers no path resolvers, so the tag of a node depends
    only on its kind and, for a plain scalar, its text; and the resolver's
    bookkeeping of the path (called twice for every node) does nothing.
    """

    # Called as `descend_resolver(parent, index)` and `ascend_resolver()`; with no
    # path resolvers they do nothing, so builtins that take the same arguments and
    # cost almost nothing stand in for them (a type is not bound as a method).
    descend_resolver = slice  # type: ignore[assignment]
    ascend_resolver = tuple  # type: ignore[assignment]

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is _SCALAR_NODE:
            if not implicit[0]:
                return _STR  # quoted (or tagged `!`): always a string
            if value and value[0] not in _MAYBE_TYPED:
                return _STR
            # a plain scalar's tag depends on its text only: remember the short ones
            # (true, false, counts, years), which repeat in every file
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
                if len(value) <= 32 and len(_RESOLVED) < 4096:
                    _RESOLVED[value] = tag
            return tag
        if kind is _MAPPING_NODE:
            return _MAP
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


_RESOLVED: dict[str, str] = {}


_scalars = yaml.constructor.SafeConstructor()
_SCALAR_BUILDERS = _Loader.yaml_constructors  # scalar builders, bad values guarded
#: Tags whose values are immutable and depend on the text only (true, 1, 2019, null),
#: so that a value, once built, is reused: they repeat in every file.
_MEMO_TAGS = frozenset({"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:null"})
_BUILT: dict[tuple[str, str], Any] = {}


def _construct(root: yaml.Node, path: str, max_depth: int) -> tuple[Any, list[Problem], bool]:
    """Plain data from a composed node tree, without recursion.

    For documents without anchors, aliases or tags (the fast path): reports
    duplicate and non-string keys like `_Loader`, and whether the nesting
    exceeds `max_depth`.
    """
    problems: list[Problem] = []
    builders = _SCALAR_BUILDERS
    scalar_node, mapping_node = yaml.ScalarNode, yaml.MappingNode  # the composer makes exactly these

    def scalar(node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag in _MEMO_TAGS:
            key = (tag, node.value)
            if key in _BUILT:
                return _BUILT[key]
            value = builders[tag](_scalars, node)  # may raise for a bad value: never remembered
            if len(_BUILT) < 4096 and len(node.value) <= 32:
                _BUILT[key] = value
            return value
        build = builders.get(tag)
        return build(_scalars, node) if build is not None else node.value

    if isinstance(root, yaml.ScalarNode):
        return scalar(root), problems, False
    top: Any = {} if isinstance(root, yaml.MappingNode) else []
    stack: list[tuple[yaml.Node, Any, int]] = [(root, top, 1)]
    while stack:
        node, target, depth = stack.pop()
        if depth > max_depth:
            return None, problems, True
        if node.__class__ is not mapping_node:  # a sequence
            append = target.append
            for item in node.value:
                if item.__class__ is scalar_node:
                    append(item.value if item.tag == _STR else scalar(item))
                else:
                    child: Any = {} if item.__class__ is mapping_node else []
                    append(child)
                    stack.append((item, child, depth + 1))
            continue
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is scalar_node:
                key = key_node.value if key_node.tag == _STR else scalar(key_node)
            else:
                key = None
            if not isinstance(key, str):
                key, problem = _non_string_key(path, key_node, key)
                problems.append(problem)
            if key in seen:
                problems.append(_duplicate_key(path, key_node, key, seen[key]))
            else:
                seen[key] = key_node
            if value_node.__class__ is scalar_node:
                target[key] = value_node.value if value_node.tag == _STR else scalar(value_node)
            else:
                child = {} if value_node.__class__ is mapping_node else []
                target[key] = child
                stack.append((value_node, child, depth + 1))
    return top, problems, False


@dataclass
class Loaded:
    """A loaded file: its data (None when it could not be read) and problems.

    The node tree used to give schema errors a line is composed only when
    asked for, so that valid files never pay for it.
    """

    path: str
    text: str | None
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    _root: yaml.Node | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(p.level.value == "error" for p in self.problems)

    def _tree(self) -> yaml.Node | None:
        if self._root is None and self.text is not None:
            try:
                with no_gc():
                    self._root = yaml.compose(self.text, Loader=_BaseLoader)  # type: ignore[no-any-return]
            except yaml.YAMLError:
                return None
        return self._root

    def node(self, path: JsonPath) -> yaml.Node | None:
        """The YAML node at a JSON path, or the deepest node found on the way."""
        node = self._tree()
        for item in path:
            child = _child(node, item)
            if child is None:
                break
            node = child
        return node

    def key_node(self, path: JsonPath, key: str) -> yaml.Node | None:
        """The key node `key` in the mapping at `path` (for unknown keys)."""
        parent = self.node(path)
        if isinstance(parent, yaml.MappingNode):
            for k, _ in parent.value:
                if isinstance(k, yaml.ScalarNode) and k.value == key:
                    return k
        return parent

    def where(self, path: JsonPath, key: str | None = None) -> tuple[int, int]:
        """1-based (line, column) of a path (or of a key inside it); (1, 1) if unknown."""
        node = self.key_node(path, key) if key is not None else self.node(path)
        if node is None:
            return (1, 1)
        return node.start_mark.line + 1, node.start_mark.column + 1

    def exact(self, path: JsonPath) -> yaml.Node | None:
        """The node at exactly `path`, or None when the path is not in the file."""
        node = self._tree()
        for item in path:
            node = _child(node, item)
            if node is None:
                return None
        return node


def _child(node: yaml.Node | None, item: PathItem) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == str(item):
                return v  # type: ignore[no-any-return]
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(item, int):
        return node.value[item] if 0 <= item < len(node.value) else None
    return None


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _bytes_line_col(data: bytes, index: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, index) + 1
    col = index - (data.rfind(b"\n", 0, index) + 1) + 1
    return line, col


def _decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 (with or without BOM) or a located encoding problem."""
    boms = {
        b"\xff\xfe\x00\x00": "UTF-32",
        b"\x00\x00\xfe\xff": "UTF-32",
        b"\xff\xfe": "UTF-16",
        b"\xfe\xff": "UTF-16",
    }
    for bom, name in boms.items():
        if raw.startswith(bom):
            return None, error(
                path, 1, 1, "encoding", f"the file is encoded as {name}; bmnav reads UTF-8 only: save it as UTF-8"
            )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _bytes_line_col(raw, nul)
        looks_utf16 = raw[1::2].count(0) > len(raw) // 4 or raw[0::2].count(0) > len(raw) // 4
        hint = (
            "it looks like UTF-16 without a byte-order mark: save it as UTF-8"
            if looks_utf16
            else "remove the NUL character; a YAML text file cannot contain one"
        )
        return None, error(path, line, col, "nul-byte", f"the file contains a NUL byte: {hint}")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line, col = _bytes_line_col(raw, exc.start)
        byte = raw[exc.start]
        guess = raw[exc.start : exc.start + 1].decode("latin-1")
        return None, error(
            path,
            line,
            col,
            "encoding",
            f"byte 0x{byte:02X} is not valid UTF-8 (in Latin-1 it would be {guess!r}); "
            "the file seems to use another encoding such as Latin-1 or Windows-1252: "
            "save it as UTF-8",
        )


def _screen_plain(text: str, path: str, limits: Limits) -> tuple[Problem | None, bool]:
    """`_screen`'s problem, and whether the document turned out to be plain:
    read to its end without anchors, aliases, tags or a plain `<<` or `=`
    (YAML's merge and value keys, which only the full loader handles), so
    that the quick composer reads it exactly as the full loader would."""
    plain = [True]
    problem = _screen(text, path, limits, plain)
    return problem, problem is None and plain[0]


#: Plain scalars that resolve to YAML's merge (`<<`) and value (`=`) tags.
_SPECIAL_PLAIN = ("<<", "=")


def _screen(text: str, path: str, limits: Limits, plain: list[bool] | None = None) -> Problem | None:
    """Check depth, alias expansion, tags and document count on the event
    stream, stopping at the first excess so a bomb costs almost nothing.
    `plain[0]` is set to False unless the document is plain (see `_screen_plain`)."""
    seen = plain if plain is not None else [True]
    depth = 0
    sizes: list[int] = []  # running node count of each open collection
    anchored: dict[str, int] = {}
    anchors_open: list[str | None] = []
    aliases = 0
    documents = 0
    try:
        for ev in yaml.parse(text, Loader=_BaseLoader):
            mark: Any = ev.start_mark
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    return error(
                        path,
                        mark.line + 1,
                        mark.column + 1,
                        "multiple-documents",
                        "the file holds more than one YAML document; "
                        "put each case in its own file and remove the extra '---'",
                    )
            tag = getattr(ev, "tag", None)
            if tag or getattr(ev, "anchor", None):
                seen[0] = False  # (an alias event has an anchor too)
            if (
                tag
                and tag not in _ALLOWED_TAGS
                and isinstance(ev, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent))
            ):
                implicit = ev.implicit if isinstance(ev, yaml.ScalarEvent) else (ev.implicit,)
                if not any(implicit) or tag.startswith("!"):
                    return error(
                        path,
                        mark.line + 1,
                        mark.column + 1,
                        "tag-not-allowed",
                        f"the tag {tag} is not allowed: bmnav files are plain data and "
                        "no tag may build objects or include other files; remove the tag",
                    )
            if isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > limits.max_depth:
                    return _too_deep(path, mark.line + 1, mark.column + 1, limits.max_depth)
                sizes.append(0)
                anchors_open.append(ev.anchor)
            elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
                size = sizes.pop() + 1
                anchor = anchors_open.pop()
                if anchor:
                    anchored[anchor] = size
                if sizes:
                    sizes[-1] += size
            elif isinstance(ev, yaml.ScalarEvent):
                if ev.anchor:
                    anchored[ev.anchor] = 1
                if sizes:
                    sizes[-1] += 1
                if ev.implicit[0] and ev.value in _SPECIAL_PLAIN:
                    seen[0] = False
            elif isinstance(ev, yaml.AliasEvent):
                if ev.anchor in anchors_open:
                    return error(
                        path,
                        mark.line + 1,
                        mark.column + 1,
                        "alias-limit",
                        f"the alias *{ev.anchor} refers to the collection it is inside of, which "
                        "would make the document endless; write the values out instead",
                    )
                aliases += 1
                added = anchored.get(ev.anchor or "", 1)
                if sizes:
                    sizes[-1] += added
                total = sum(sizes)
                if aliases > limits.max_aliases or total > limits.max_nodes:
                    return error(
                        path,
                        mark.line + 1,
                        mark.column + 1,
                        "alias-limit",
                        f"aliases expand this document beyond {limits.max_nodes} nodes "
                        f"or {limits.max_aliases} aliases (an alias bomb?); "
                        "write the values out instead of repeating *aliases "
                        "(or raise --max-nodes / --max-aliases)",
                    )
    except yaml.MarkedYAMLError as exc:
        if _LIBYAML_DEPTH in str(exc):  # newer libyaml stops deep nesting itself, early
            mark = exc.problem_mark or exc.context_mark
            return _too_deep(path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, limits.max_depth)
        seen[0] = False
        return None  # syntax errors are reported, with their location, by the loader
    except yaml.YAMLError:  # pragma: no cover
        seen[0] = False
        return None
    return None


#: What libyaml (0.2.5 and later, as in recent PyYAML wheels) says when it
#: refuses nesting beyond its own limit of 1,000 levels, above bmnav's cap.
_LIBYAML_DEPTH = "maximum nesting depth"


def _too_deep(path: str, line: int, col: int, limit: int) -> Problem:
    return error(
        path,
        line,
        col,
        "nesting-too-deep",
        f"collections are nested more than {limit} levels deep; "
        "a case file needs far fewer (raise the limit with --max-depth "
        f"or BMNAV_MAX_DEPTH, up to {HARD_MAX_DEPTH}, if this is intended)",
    )


def _syntax_problem(
    exc: yaml.YAMLError, path: str, source: str | None = None, max_depth: int = HARD_MAX_DEPTH
) -> Problem:
    mark: Any = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if _LIBYAML_DEPTH in str(exc):
        return _too_deep(path, line, col, max_depth)
    if isinstance(exc, yaml.reader.ReaderError):
        if source is not None and 0 <= exc.position <= len(source):
            line, col = _line_col(source, exc.position)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return error(
            path,
            line,
            col,
            "yaml-syntax",
            f"the character U+{ord(char):04X} is not allowed in a YAML file ({exc.reason}); remove it",
        )
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"{context}, {problem}" if context else str(problem)
    if isinstance(exc, _BadScalar):
        return error(path, line, col, "yaml-syntax", str(problem))
    if isinstance(exc, yaml.constructor.ConstructorError) and "merging" in text:
        return error(
            path,
            line,
            col,
            "yaml-syntax",
            f"{text}; a `<<` merge key takes an alias of a mapping (or a list of them): "
            "fix it, or write the keys out instead",
        )
    if isinstance(exc, yaml.composer.ComposerError) and "single document" in text:
        return error(
            path,
            line,
            col,
            "multiple-documents",
            "the file holds more than one YAML document; put each case in its own file and remove the extra '---'",
        )
    if isinstance(exc, yaml.constructor.ConstructorError):
        return error(path, line, col, "tag-not-allowed", f"{text}; bmnav files are plain data: remove the tag")
    hint = "check the indentation, and quote values that contain ': ' or start with a special character"
    lines = source.splitlines() if source is not None else []
    at = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
    if "'\\t'" in text or "\\t" in text or at == "\t":
        hint = "YAML does not allow tabs for indentation: use spaces"
    elif "found undefined alias" in text:
        hint = "an *alias must refer to an &anchor defined earlier in the file"
    return error(path, line, col, "yaml-syntax", f"YAML syntax error: {text}; {hint}")


def _only_comments(text: str) -> bool:
    for line in text.splitlines():
        s = line.strip()
        if s and not s.startswith("#") and s not in ("---", "..."):
            return False
    return True


def load_text(
    text: str | bytes, path: str = "<string>", *, limits: Limits | None = None, expect_mapping: bool = True
) -> Loaded:
    """Load one YAML document from text or bytes; problems are returned, not raised."""
    limits = limits or Limits.from_env()
    if isinstance(text, bytes):
        if len(text) > limits.max_bytes:
            return Loaded(path, None, problems=[_too_large(path, len(text), limits)])
        decoded, problem = _decode(text, path)
        if problem is not None:
            return Loaded(path, None, problems=[problem])
        assert decoded is not None
        text = decoded
    else:
        if text.startswith("\ufeff"):
            text = text[1:]
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:  # lone surrogates cannot come from a file, only from a caller
            line, col = _line_col(text, exc.start)
            return Loaded(
                path,
                None,
                problems=[error(path, line, col, "encoding", "the text holds a lone surrogate, which is not UTF-8")],
            )
    if len(text) > limits.max_bytes:
        return Loaded(path, None, problems=[_too_large(path, len(text.encode("utf-8", "replace")), limits)])
    loaded = Loaded(path, text)
    if not text or text.isspace():  # (as `not text.strip()`, without copying the text)
        loaded.problems.append(
            error(path, 1, 1, "empty-file", "the file is empty: a case needs at least `id` and `name`")
        )
        return loaded
    risky = len(text) > _FAST_PATH_BYTES or "&" in text or "*" in text or "!" in text
    # a risky file that the screen found plain (a large one, or an `&` in a text) is
    # read by the quick composer too; anything else it holds goes to the full loader
    quick = not risky
    if risky:
        problem, quick = _screen_plain(text, path, limits)
        if problem is not None:
            loaded.problems.append(problem)
            loaded.text = None  # never compose a hostile document later
            return loaded
    too_deep = False
    data: Any = None
    if quick:
        composer = _Composer(text)
        try:
            # the collector off while the tree is built (see `cache.no_gc`): for 2 MB, its
            # collections walking the growing tree took two thirds of the reading time
            with no_gc():
                root = composer.get_single_node()
                if root is not None:
                    loaded._root = root
                    data, key_problems, too_deep = _construct(root, path, limits.max_depth)
                    loaded.problems.extend(key_problems)
        except yaml.YAMLError as exc:  # a syntax error, or a value such as 2001-13-45 (see _guarded)
            if not risky:
                loaded.problems.append(_syntax_problem(exc, path, text, limits.max_depth))
                return loaded
            # the full loader reports it, as it always has (it may meet another bad value first)
            loaded._root, data, too_deep, quick = None, None, False, False
        finally:
            composer.dispose()
    if not quick:
        # screened already; the full safe loader handles anchors, aliases and merges
        loader = _Loader(text)
        loader.bmnav_path = path
        try:
            with no_gc():
                data = loader.get_single_data()
        except yaml.YAMLError as exc:
            loaded.problems.append(_syntax_problem(exc, path, text, limits.max_depth))
            return loaded
        except RecursionError:  # pragma: no cover - the screen should prevent it
            loaded.problems.append(error(path, 1, 1, "nesting-too-deep", "the file is nested too deeply"))
            loaded.text = None
            return loaded
        finally:
            loader.dispose()
        loaded.problems.extend(loader.bmnav_problems)
    if too_deep:
        # the event screen finds where (a small file: it costs little)
        loaded.problems.append(
            _screen(text, path, limits)
            or error(path, 1, 1, "nesting-too-deep", f"collections are nested more than {limits.max_depth} levels deep")
        )
        loaded.text = None
        return loaded
    if data is None:
        if _only_comments(text):
            loaded.problems.append(
                error(path, 1, 1, "empty-file", "the file holds only comments: a case needs at least `id` and `name`")
            )
        else:
            loaded.problems.append(
                error(
                    path,
                    1,
                    1,
                    "not-a-mapping",
                    "the document is null; a case file is one mapping of keys such as `id:` and `name:`",
                )
            )
        return loaded
    if expect_mapping and not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single {type(data).__name__} value"
        line, col = loaded.where(())
        loaded.problems.append(
            error(
                path,
                line,
                col,
                "not-a-mapping",
                f"the document is {kind}; a case file is one mapping of keys "
                "such as `id:` and `name:` at the top level",
            )
        )
        return loaded
    loaded.data = data
    return loaded


def _too_large(path: str, size: int, limits: Limits) -> Problem:
    return error(
        path,
        0,
        0,
        "file-too-large",
        f"the file is {size:,} bytes, over the limit of {limits.max_bytes:,}; case files "
        "are a few kilobytes (raise the limit with --max-file-size or BMNAV_MAX_FILE_SIZE)",
    )


def read_bytes(path: Path, limits: Limits) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or a problem that says why it cannot be read."""
    name = str(path)
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            return None, error(name, 0, 0, "path-unreadable", "this is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            # a FIFO, socket or device would block or never end: never open one
            return None, error(
                name, 0, 0, "path-unreadable", "not a regular file (a pipe, socket or device); give a YAML file"
            )
        size = st.st_size
        if size > limits.max_bytes:
            return None, _too_large(name, size, limits)
        with path.open("rb") as fh:
            # the size seen, and a byte more to notice a file that grew since; asking
            # for the whole limit at once allocated 2 MiB for every small file
            raw = fh.read(size + 1)
            if len(raw) > size:
                raw += fh.read(limits.max_bytes + 1 - len(raw))
    except FileNotFoundError:
        return None, error(name, 0, 0, "path-not-found", "no such file (was it removed or renamed?); check the path")
    except IsADirectoryError:
        return None, error(name, 0, 0, "path-unreadable", "this is a folder, not a file")
    except PermissionError:
        return None, error(
            name, 0, 0, "path-unreadable", "permission denied: make the file readable (chmod +r) or leave it out"
        )
    except OSError as exc:
        rule = "symlink-loop" if exc.errno == 40 else "path-unreadable"
        return None, error(name, 0, 0, rule, f"cannot read the file: {exc.strerror or exc}")
    if len(raw) > limits.max_bytes:
        return None, _too_large(name, len(raw), limits)
    return raw, None


def read_stream(stream: BinaryIO, name: str, limits: Limits) -> tuple[bytes | None, Problem | None]:
    """The bytes of a pipe or standard input, read up to the size limit (a
    stream has no size to check first); a longer stream is a problem."""
    try:
        raw = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        return None, error(name, 0, 0, "path-unreadable", f"cannot read: {exc.strerror or exc}")
    if len(raw) > limits.max_bytes:
        return None, _too_large(name, len(raw), limits)
    return raw, None


def load_file(path: str | Path, *, limits: Limits | None = None, expect_mapping: bool = True) -> Loaded:
    """Load a YAML file; never raises for a bad or missing file."""
    limits = limits or Limits.from_env()
    p = Path(path)
    raw, problem = read_bytes(p, limits)
    if problem is not None:
        return Loaded(str(path), None, problems=[problem])
    assert raw is not None
    return load_text(raw, str(path), limits=limits, expect_mapping=expect_mapping)
