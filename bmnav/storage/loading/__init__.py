"""Read a YAML file into plain data, safely, with a location for every problem.

Only PyYAML's safe loader is used (libyaml's when present), so no tag can
build a Python object. Before the document is built, files that could be
hostile (large, or using anchors, aliases or tags) are screened on the
parser's event stream: nesting depth, alias expansion and explicit tags are
checked there, because libyaml's composer recurses and jsonschema prints
whole instances, so a bomb must be stopped before either sees it.
Problems are returned, never raised.

The rooms, in the order a file goes through them:

- `reading`: a file's or a stream's bytes within the size limit, decoded as UTF-8;
- `screening`: the event-stream screen of files that could be hostile;
- `fast`: the quick composer and the loop that builds plain documents;
- `safe_loader`: the strict safe loader for the rest, and what YAML's errors mean;
- `document`: `Loaded`, the result, which finds a JSON path's line on demand;
- `loader`: `load_text` and `load_file`, which send a document through them.
"""

from __future__ import annotations

from bmnav.storage.limits import HARD_MAX_DEPTH as HARD_MAX_DEPTH
from bmnav.storage.limits import Limits as Limits
from bmnav.storage.loading.document import JsonPath as JsonPath
from bmnav.storage.loading.document import Loaded as Loaded
from bmnav.storage.loading.document import PathItem as PathItem
from bmnav.storage.loading.loader import load_file as load_file
from bmnav.storage.loading.loader import load_text as load_text
from bmnav.storage.loading.reading import read_bytes as read_bytes
from bmnav.storage.loading.reading import read_stream as read_stream

__all__ = [
    "HARD_MAX_DEPTH",
    "JsonPath",
    "Limits",
    "Loaded",
    "PathItem",
    "load_file",
    "load_text",
    "read_bytes",
    "read_stream",
]
