"""JSON Schema checking, with every error mapped back to its YAML line.

Valid files take a fast path (a validator compiled once by fastjsonschema);
only a file that fails it is checked again with jsonschema, the reference,
to list every error with its path. Messages are written here, from the
error's keyword, so that they say how to fix the problem and never print a
whole (possibly huge) instance.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from .loading import Loaded
from .problems import Problem, error
from .resources import schema_path
from .suggest import did_you_mean

SCHEMAS = ("usecase", "clusters", "patterns")
#: Fields a profile keeps required; everything else may be missing.
PROFILE_REQUIRED = ["id", "name"]

_YAML11_BOOL = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The schema document `name` (usecase, clusters or patterns)."""
    with schema_path(name).open(encoding="utf-8") as fh:
        return dict(json.load(fh))


@cache
def profile_schema() -> dict[str, Any]:
    """The use-case schema with only `id` and `name` required at the top."""
    schema = copy.deepcopy(load_schema("usecase"))
    schema["required"] = list(PROFILE_REQUIRED)
    schema["$id"] = schema["$id"].replace("usecase", "profile")
    schema["title"] = "bmnav profile to classify"
    return schema


def schema_for(name: str, *, profile: bool = False) -> dict[str, Any]:
    return profile_schema() if profile and name == "usecase" else load_schema(name)


@cache
def _reference(name: str, profile: bool) -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(inline_refs(schema_for(name, profile=profile)))


#: Keywords that only annotate: a `$ref` beside nothing else is replaced by its target.
_ANNOTATIONS = frozenset({"description", "title", "$comment", "examples", "default"})
#: Keywords whose values are data, not subschemas.
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples"})


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with each `{"$ref": "#/$defs/x"}` (plus annotations at most)
    replaced by a copy of its target, for the reference validator.

    jsonschema gives the same errors either way (same keywords in the same
    order, the same instance paths and subschemas), but looking up a
    reference costs more than checking what it points to: a file with
    errors took about twice as long. Other or recursive references stay.
    """
    defs = schema.get("$defs")
    if not isinstance(defs, dict):
        return schema

    def walk(node: Any, within: frozenset[str]) -> Any:
        if isinstance(node, list):
            return [walk(item, within) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and set(node) - {"$ref"} <= _ANNOTATIONS:
            target_name = ref[len("#/$defs/") :]
            target = defs.get(target_name)
            if isinstance(target, dict) and "/" not in target_name and target_name not in within:
                inlined = walk(target, within | {target_name})
                if "$ref" not in inlined:  # (a target that is itself only a reference stays one)
                    return {**inlined, **{k: v for k, v in node.items() if k != "$ref"}}
        return {k: (v if k in _DATA_KEYWORDS else walk(v, within)) for k, v in node.items()}

    return {k: (v if k == "$defs" else walk(v, frozenset())) for k, v in schema.items()}


@cache
def _fast(name: str, profile: bool) -> Callable[[Any], Any] | None:
    try:
        from .fastcheck import compiled
    except ImportError:  # pragma: no cover - fastjsonschema missing
        return None
    return compiled(name, schema_for(name, profile=profile))


def is_valid(data: Any, name: str, *, profile: bool = False) -> bool:
    """True when `data` satisfies the schema (fast path when available)."""
    fast = _fast(name, profile)
    if fast is None:
        return not any(True for _ in _reference(name, profile).iter_errors(data))
    try:
        fast(data)
    except Exception:  # fastjsonschema.JsonSchemaException and friends
        return False
    return True


def check(loaded: Loaded, name: str, *, profile: bool = False) -> list[Problem]:
    """Schema problems of a loaded document, each with its line and column."""
    if loaded.data is None or is_valid(loaded.data, name, profile=profile):
        return []
    validator = _reference(name, profile)
    problems: list[Problem] = []
    for err in validator.iter_errors(loaded.data):
        problems.extend(_problems(err, loaded, name, profile))
    return list(dict.fromkeys(problems))  # one `required` finding comes from several errors


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_path(path: Any) -> str:
    out = ""
    for item in path:
        out += f"[{item}]" if isinstance(item, int) else (f".{item}" if out else str(item))
    return out or "(top level)"


_TYPE_NAMES = {
    "string": "a text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty (null)"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date"
    return type(value).__name__


def _coercion(err: Any, loaded: Loaded, where: str) -> str | None:
    """A YAML 1.1 surprise behind a type error, explained with its fix."""
    import yaml

    node = loaded.exact(list(err.absolute_path))
    if not isinstance(node, yaml.ScalarNode):
        return None
    expected = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
    raw = node.value
    plain = not node.style
    value = err.instance
    if "string" in expected and plain and not isinstance(value, str):
        if isinstance(value, bool) or _YAML11_BOOL.match(raw):
            reading = f"the boolean {str(value).lower()}"
        elif value is None:
            return None
        else:
            reading = _type_of(value)
        return f'{where}: YAML reads {raw} as {reading}, but a text is required; write it in quotes: "{raw}"'
    if isinstance(value, str) and not plain:
        target = next((t for t in expected if t in ("integer", "number", "boolean")), None)
        if target == "integer" and re.fullmatch(r"[+-]?\d+", value.strip()):
            return (
                f"{where}: {raw!r} is quoted, so YAML reads it as a text; a whole number is required: remove the quotes"
            )
        if target == "number" and re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", value.strip()):
            return f"{where}: {raw!r} is quoted, so YAML reads it as a text; a number is required: remove the quotes"
        if target == "boolean" and value.strip().lower() in ("true", "false"):
            return f"{where}: {raw!r} is quoted, so YAML reads it as a text; write true or false without quotes"
    return None


_PATTERN_HINTS = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": (
        "use kebab-case: lowercase letters and digits joined by single hyphens, such as my-case-2"
    ),
    "^[A-Z]{2}$": 'use a two-letter ISO 3166-1 code in capitals, in quotes, such as "DE"',
    "^[A-Z]{3}$": "use a three-letter ISO 4217 code in capitals, such as EUR",
}


def _list_example(key: str, items: Any, value: Any) -> str:
    """'; write it as a list, e.g. ...' built from the schema of the items and
    the value given, so `sources: a report` learns the form `- title: a report`."""
    text = value if isinstance(value, str) and "\n" not in value else "..."
    text = _short(text, 40).strip('"') if text != "..." else text
    if isinstance(items, dict) and items.get("type") == "object":
        required = [k for k in items.get("required", []) if isinstance(k, str)]
        first = required[0] if required else next(iter(items.get("properties") or {}), "name")
        needs = f" (each item needs {', '.join(f'`{k}`' for k in required)})" if required else ""
        return f"; write it as a list of mappings, one item per line under `{key}:`, such as `- {first}: {text}`{needs}"
    return f"; write it as a list, one item per line under `{key}:` such as `- {text}`, or as `{key}: [{text}]`"


def _problems(err: Any, loaded: Loaded, name: str, profile: bool) -> Iterator[Problem]:
    path = list(err.absolute_path)
    where = json_path(path)
    v = err.validator
    inst = err.instance
    line, col = loaded.where(path)
    p = loaded.path
    if v == "required":
        # jsonschema gives one error per missing key, all at the same mapping; one
        # problem names them all (problems at one place with one rule are one finding)
        missing = [k for k in err.validator_value if isinstance(inst, dict) and k not in inst]
        if not missing:
            return
        hint = "add " + ", ".join(f"`{k}:`" for k in missing)
        if "cluster" in missing and name == "usecase" and not profile:
            hint += (
                "; `cluster:` takes a cluster id from clusters.yaml (to check a profile "
                "to classify, which has no cluster, run with --profile)"
            )
        fields = ", ".join(f"`{k}`" for k in missing)
        what = (
            f"the required field {fields} is missing"
            if len(missing) == 1
            else f"the required fields {fields} are missing"
        )
        yield error(p, line, col, "required-field", f"{where}: {what}; {hint}")
        return
    if v == "additionalProperties":
        allowed = list((err.schema.get("properties") or {}).keys())
        for key in inst if isinstance(inst, dict) else []:
            if key in allowed:
                continue
            kl, kc = loaded.where(path, str(key))
            hint = did_you_mean(str(key), allowed) or f"; allowed here: {', '.join(allowed)}"
            yield error(p, kl, kc, "unknown-field", f"{where}: unknown field `{key}`{hint}")
        return
    if v == "enum":
        allowed = [str(a) for a in err.validator_value]
        hint = did_you_mean(str(inst), allowed) if isinstance(inst, str) else ""
        coerced = ""
        if isinstance(inst, bool):
            coerced = "; YAML read the value as a boolean: write it in quotes"
        yield error(
            p,
            line,
            col,
            "invalid-value",
            f"{where}: {_short(inst)} is not allowed{hint}; use one of: {', '.join(allowed)}{coerced}",
        )
        return
    if v == "type":
        msg = _coercion(err, loaded, where)
        if msg:
            yield error(p, line, col, "yaml11-coercion", msg)
            return
        expected = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        want = " or ".join(_TYPE_NAMES.get(str(t), str(t)) for t in expected)
        got = _type_of(inst)
        hint = "; write a value after the colon" if inst is None else ""
        if "array" in expected and inst is not None and path and isinstance(path[-1], str):
            hint = _list_example(path[-1], err.schema.get("items"), inst)
        yield error(p, line, col, "wrong-type", f"{where}: expected {want}, got {got}{hint}")
        return
    if v == "pattern":
        hint = _PATTERN_HINTS.get(str(err.validator_value), f"it must match {err.validator_value}")
        yield error(p, line, col, "bad-format", f"{where}: {_short(inst)} has the wrong form; {hint}")
        return
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = "at least" if "inimum" in v else "at most"
        yield error(p, line, col, "out-of-range", f"{where}: {_short(inst)} must be {bound} {err.validator_value}")
        return
    if v in ("minItems", "minLength"):
        what = (
            "at least one item"
            if err.validator_value == 1 and v == "minItems"
            else ("a non-empty text" if v == "minLength" else f"at least {err.validator_value} items")
        )
        yield error(p, line, col, "empty-value", f"{where}: needs {what}")
        return
    if v == "maxLength":
        yield error(p, line, col, "bad-format", f"{where}: longer than {err.validator_value} characters")
        return
    if v == "uniqueItems":
        seen: set[str] = set()
        dups = []
        for item in inst:
            key = json.dumps(item, sort_keys=True, default=str)
            if key in seen:
                dups.append(item)
            seen.add(key)
        yield error(
            p,
            line,
            col,
            "duplicate-item",
            f"{where}: {', '.join(_short(d) for d in dups)} listed more than once; keep one",
        )
        return
    if v in ("oneOf", "anyOf"):
        yield error(p, line, col, "wrong-type", f"{where}: expected a text or a list of texts, got {_type_of(inst)}")
        return
    yield error(p, line, col, "schema", f"{where}: {err.message[:200]}")
