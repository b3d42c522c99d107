"""Ids of the checks done while loading and by the schema, for the docs.

They are found by the loader and `bmnav.schema`, not by rule functions, but
they share the registry so that every rule id a user can see is documented.
"""

from __future__ import annotations

from bmnav.problems import Level

from . import register

_LOAD = {
    "path-not-found": "A path given on the command line (or a file removed during the run) does not exist.",
    "path-unreadable": "A file that cannot be read (permissions, or a folder given where a file is needed).",
    "symlink-loop": "A path whose symbolic links loop; it is skipped and the rest is checked.",
    "file-too-large": "A file over the size limit (2 MiB; --max-file-size or BMNAV_MAX_FILE_SIZE).",
    "encoding": "A file that is not UTF-8 (UTF-16, UTF-32, Latin-1, Windows-1252...). A UTF-8 BOM is accepted.",
    "nul-byte": "A NUL byte in the file; often a sign of UTF-16 saved without a byte-order mark.",
    "empty-file": "An empty file, or one holding only comments.",
    "yaml-syntax": "A YAML syntax error, at the place the parser found it.",
    "multiple-documents": "More than one YAML document (`---`) in one file.",
    "tag-not-allowed": "An explicit tag such as `!!binary`, `!include` or `!!python/object`; only `!!str` is allowed.",
    "nesting-too-deep": "Collections nested deeper than the limit (64; --max-depth or BMNAV_MAX_DEPTH).",
    "alias-limit": "Aliases that expand the document beyond the node or alias limit (an alias bomb).",
    "not-a-mapping": "A top level that is a list, a scalar or null instead of a mapping.",
    "duplicate-key": "A key repeated in one mapping; reported at the repeat, naming the first line.",
    "non-string-key": "A key that YAML reads as a number, boolean, date or null; quote it.",
}
_SCHEMA = {
    "required-field": "A required field is missing (in a corpus case, `cluster` among them).",
    "unknown-field": "A field the format does not define, usually a typo; a close name is suggested.",
    "invalid-value": "A value outside the field's allowed set (an enum); a close value is suggested.",
    "wrong-type": "A value of the wrong type, such as a list where a text is needed.",
    "yaml11-coercion": "A YAML 1.1 surprise: `NO`, `yes`, `on`, `off` or a number where a text is needed "
    "(write it in quotes), or a quoted number where a number is needed.",
    "bad-format": "A text of the wrong form: ids in kebab-case, country codes as two capitals, URLs.",
    "out-of-range": "A number outside its range (counts from 1, positions 0 to 1, stages 1 to 3).",
    "empty-value": "An empty text or list where at least one item is needed.",
    "duplicate-item": "The same item twice in a list that must not repeat.",
    "schema": "Any other schema violation.",
}

for _id, _doc in _LOAD.items():
    register(_id, Level.ERROR, "load", _doc)
for _id, _doc in _SCHEMA.items():
    register(_id, Level.ERROR, "schema", _doc)
