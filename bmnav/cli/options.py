"""Option types shared by the commands, as `Annotated` aliases."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

DataOpt = Annotated[
    str | None,
    typer.Option(
        "--data",
        envvar="BMNAV_DATA",
        metavar="DIR",
        help="Corpus folder holding usecases/ (and optionally its own clusters.yaml, "
        "patterns.yaml, lexicon.yaml and textcues.yaml); default: the bundled corpus.",
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")]


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    parsable = "parsable"


class DataFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


class TextJson(str, Enum):
    text = "text"
    json = "json"
