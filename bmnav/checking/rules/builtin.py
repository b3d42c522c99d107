"""Ids of the checks done while loading and by the schema, for the docs.

They are found by the loader and `bmnav.checking.schema`, not by rule functions, but
they share the registry so that every rule id a user can see is documented.
The schema's rules are written down in `bmnav.checking.schema`, next to the code that
raises them, and only put in the registry here.
"""

from __future__ import annotations

from bmnav.checking.problems import Level
from bmnav.checking.rules import register
from bmnav.checking.schema import SCHEMA_RULES

_LOAD = {
    "path-not-found": """A path given on the command line (or a file removed during the run) does not exist.

    PASS: `bmnav validate data/usecases/airbus-skywise.yaml`.
    FAIL: `bmnav validate data/usecases/airbus-skywse.yaml` (no such file), or a link to a missing file.""",
    "path-unreadable": """A file that cannot be read: no permission, or not a regular file.

    PASS: a readable YAML file. FAIL: a file with mode 000, or a pipe (FIFO) or device
    named on the command line (bmnav never opens one, so it cannot block).""",
    "symlink-loop": """A path whose symbolic links loop; it is skipped and the rest is checked.

    PASS: a link to a real file. FAIL: `a.yaml -> b.yaml -> a.yaml`, or a folder
    holding a link to its own parent.""",
    "file-too-large": """A file over the size limit (2 MiB; --max-file-size or BMNAV_MAX_FILE_SIZE).

    PASS: a case file of a few kilobytes. FAIL: a 50 MB file named `case.yaml`.""",
    "encoding": """A file that is not UTF-8 (UTF-16, UTF-32, Latin-1, Windows-1252...).

    PASS: UTF-8, with or without a byte-order mark.
    FAIL: a file saved as UTF-16 or Latin-1 (save it as UTF-8).""",
    "nul-byte": """A NUL byte in the file; often a sign of UTF-16 saved without a byte-order mark.

    PASS: plain text. FAIL: a file holding the byte 0x00.""",
    "empty-file": """An empty file, or one holding only comments.

    PASS: a file with at least `id:` and `name:`. FAIL: a file with nothing but `# comments`.""",
    "yaml-syntax": """A YAML syntax error, at the place the parser found it.

    PASS: `name: [a, b]`. FAIL: `name: [a, b` (the list is not closed), or a tab used for indentation.""",
    "multiple-documents": """More than one YAML document (`---`) in one file.

    PASS: one case per file. FAIL: two cases in one file, separated by `---`.""",
    "tag-not-allowed": """An explicit tag such as `!!binary`, `!include` or `!!python/object`; only `!!str` is allowed.

    PASS: `year: !!str 2019` (a text). FAIL: `name: !!python/object/apply:os.system [...]`
    or `network: !include network.yaml` (nothing is built, run or included).""",
    "nesting-too-deep": """Collections nested deeper than the limit (64; --max-depth or BMNAV_MAX_DEPTH, at most 200).

    PASS: a case file (about six levels). FAIL: `also: [[[[...]]]]` nested 65 or 50,000 deep.""",
    "alias-limit": """Aliases that expand the document beyond the node or alias limit (an alias bomb).

    PASS: a few `&anchor`/`*alias` pairs. FAIL: the "billion laughs", nine levels of nine aliases.""",
    "not-a-mapping": """A top level that is a list, a scalar or null instead of a mapping.

    PASS: `id: x` and `name: y` at the top. FAIL: `- id: x` (a list) or a lone sentence.""",
    "duplicate-key": """A key repeated in one mapping; reported at the repeat, naming the first line.

    PASS: each key once. FAIL: `name:` on lines 2 and 6 (YAML would silently keep the second).""",
    "non-string-key": """A key that YAML reads as a number, boolean, date or null; quote it.

    PASS: `"1": one`. FAIL: `1: one` or `yes: two` (an int and a boolean key).""",
}
for _id, _doc in _LOAD.items():
    register(_id, Level.ERROR, "load", _doc)
for _id, _doc in SCHEMA_RULES.items():
    register(_id, Level.ERROR, "schema", _doc)
register(
    "id-unique",
    Level.ERROR,
    "run",
    """Case ids are unique across the files of a run (checked by `bmnav.checking.validation.unique_ids`).

    PASS: every file has its own `id`. FAIL: two files both with `id: airbus-skywise`
    (reported at the second, naming the first).""",
)
