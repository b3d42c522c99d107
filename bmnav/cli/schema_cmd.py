"""`bmnav schema`: print a JSON Schema for editors and other tools."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from bmnav.cli.console import write

COMMAND = "schema"
ORDER = 90


class SchemaName(str, Enum):
    usecase = "usecase"
    profile = "profile"
    clusters = "clusters"
    patterns = "patterns"


def schema(
    name: Annotated[SchemaName, typer.Argument(help="Which schema to print.")] = SchemaName.usecase,
) -> None:
    """Print a JSON Schema (draft 2020-12) of bmnav's files.

    \b
    Examples:
      bmnav schema > usecase.schema.json
      bmnav schema profile
      bmnav schema usecase | check-jsonschema --schemafile /dev/stdin case.yaml
    """
    from bmnav.checking.schema import json_schema
    from bmnav.render import json_text

    write(json_text(json_schema(name.value)))
