"""A compiled fast path for schema checks (fastjsonschema).

jsonschema stays the reference: it produces every error message, and a test
checks that both give the same verdict on every fixture. The generated
validator code is cached in the user's cache folder, keyed by the schema's
content, so a run does not pay for compiling it again; its byte code is
kept beside it (marshal, keyed by the Python version), so a run does not
compile the generated source either.

bmnav needs only a verdict from it (jsonschema lists the errors), so the
name of the place that the generated sub-checks pass down (used only in an
exception's message) is dropped: building it for every list item took more
time than the checks themselves.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    base = os.environ.get("BMNAV_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or "~/.cache"
    path = Path(base).expanduser()
    return path if os.environ.get("BMNAV_CACHE_DIR") else path / "bmnav"


def compiled(name: str, schema: dict[str, Any]) -> Callable[[Any], Any]:
    """A validator function for `schema`, from cached generated code if possible."""
    text = json.dumps(schema, sort_keys=True)
    import fastjsonschema  # only when a schema is checked: `cache_dir` users stay light

    digest = hashlib.sha256((text + fastjsonschema.VERSION + _VARIANT).encode()).hexdigest()[:16]
    target = cache_dir() / f"schema-{name}-{digest}.py"
    namespace: dict[str, Any] = {}
    # speed: the byte code of the generated module, so a run neither reads nor
    # compiles the source again (compiling it cost ~40 ms per schema and run)
    compiled_path = target.with_suffix(f".{sys.implementation.cache_tag}.marshal")
    try:
        version, code_obj = marshal.loads(compiled_path.read_bytes())
        if version == sys.version and isinstance(code_obj, types.CodeType):
            exec(code_obj, namespace)
            return namespace["validate"]  # type: ignore[no-any-return]
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        namespace = {}
    code: str | None = None
    try:
        stored = target.read_text(encoding="utf-8")
        header, _, body = stored.partition("\n")
        if header == "# sha256:" + hashlib.sha256(body.encode()).hexdigest():
            code = body  # only code this module wrote, unchanged, is used
    except OSError:
        code = None
    if code is None:
        # fastjsonschema knows drafts 4-7; the keywords bmnav's schemas use
        # mean the same there, so the draft 2020-12 marker is set aside.
        draft7 = {k: v for k, v in schema.items() if k != "$id"}  # so the entry point is `validate`
        draft7["$schema"] = "http://json-schema.org/draft-07/schema#"
        code = _verdict_only(draft7)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text("# sha256:" + hashlib.sha256(code.encode()).hexdigest() + "\n" + code, encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only home is fine: compile again next time
    code_obj = compile(code, str(target), "exec")
    try:
        tmp = compiled_path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps((sys.version, code_obj)))
        os.replace(tmp, compiled_path)
    except (OSError, ValueError):
        pass
    exec(code_obj, namespace)
    func: Callable[[Any], Any] = namespace["validate"]
    return func


#: Changes whenever the generated code is produced differently (part of the cache key).
_VARIANT = "|verdict-2"

#: A call of a generated sub-check: `validate____x(value, custom_formats, NAME)`;
#: NAME, built with `str.format(**locals())` inside loops, only names the place
#: in an exception's message.
_SUBCHECK = re.compile(r"^(\s*validate_+\w+\([\w.]+, custom_formats, ).+\)$", re.MULTILINE)


def _verdict_only(schema: dict[str, Any]) -> str:
    """Generated validator code that decides valid or not, as fast as it can.

    It leaves the data as written (no schema defaults filled in), as the
    reference validator does: rules such as `focal-role-external` must see
    what the file says, and the model applies the defaults itself."""
    import fastjsonschema

    return _SUBCHECK.sub(r"\1None)", fastjsonschema.compile_to_code(schema, use_default=False))
