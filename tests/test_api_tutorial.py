"""docs/tutorial.md cannot drift: its commands run as shown and print the lines it shows.

The tutorial cuts long output (marked "…"), so each line it shows must be a
line of the real output. Numbers and score bars are compared as placeholders
and the rows of tables are left out, so that tuning the evidence model does
not break the tutorial while a changed command, option, heading, cluster or
confidence does. The transcript of the prompt of `bmnav new` mixes prompts
and typed answers, so there only its first and last lines are compared.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "docs" / "tutorial.md"
#: What the reader types at the prompt of `bmnav new --from-profile` in the tutorial
#: (the source first, then Enter for the proposed cluster and for no further clusters).
NEW_INPUT = "Interview with Nordlicht Sensorik, March 2026\nhttps://example.com/nordlicht\n\n\n"


TABLE_ROW = tuple("│┃┏┡└┗├┢╇")


def _norm(line: str) -> str:
    line = re.sub(r"[█░]+", "▒", line.rstrip())
    return re.sub(r"\d[\d,]*(\.\d+)?", "#", line)


def _commands(text: str) -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found:
                found[-1][1].append(line)
    return found


def test_tutorial_commands_print_what_it_shows(run_cli, tmp_path):
    text = TUTORIAL.read_text(encoding="utf-8")
    profile = re.search(r"`nordlicht.yaml`:\n\n```yaml\n(.*?)```", text, flags=re.S)
    assert profile, "the tutorial's profile block"
    (tmp_path / "nordlicht.yaml").write_text(profile.group(1), encoding="utf-8")
    ran = 0
    for command, shown in _commands(text):
        args = shlex.split(command)
        if args[0] != "bmnav":
            continue
        redirect = None
        if ">" in args:
            redirect = args[args.index(">") + 1]
            args = args[: args.index(">")]
        is_new = args[1] == "new"
        result = run_cli(*args[1:], cwd=tmp_path, input=NEW_INPUT if is_new else None)
        assert result.exit_code in (0, 1), result
        if redirect:
            (tmp_path / redirect).write_text(result.stdout, encoding="utf-8")
        real = [_norm(line) for line in (result.stdout + result.stderr).splitlines()]
        joined = "".join(real)
        expected = [_norm(line) for line in shown if line.strip() and line.strip() != "…"]
        if is_new:
            assert expected[0] in real, result
            assert expected[-1] in joined, result
            continue
        for line in expected:
            if line.lstrip().startswith(TABLE_ROW):
                continue
            assert line in real, f"tutorial shows a line `{command}` no longer prints:\n{line}\n{result!r}"
        ran += 1
    assert ran >= 8
    assert (tmp_path / "nordlicht-data-pool.yaml").is_file()
    # the modeline the tutorial shows: the schema saved beside the case
    modeline = (tmp_path / "nordlicht-data-pool.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert modeline == "# yaml-language-server: $schema=usecase.schema.json"
    assert (tmp_path / "nordlicht.html").is_file()
