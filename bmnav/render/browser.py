"""A headless Chromium for printing a report to PDF (`bmnav report --pdf`).

bmnav draws its pictures as SVG and lays out pages with CSS; a browser's
print engine is what turns that into a faithful PDF, so bmnav uses one when
it is installed rather than a PDF library of its own. The browser is started
with no profile of the user's, no extensions, no background networking and
no sandbox-escaping flags beyond `--no-sandbox` (needed as root in
containers); the report it prints has no external resources, so nothing
leaves the machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from bmnav.checking.problems import BmnavError

__all__ = ["CHROMIUM_NAMES", "HEADLESS_FLAGS", "find_chromium", "print_pdf"]

#: Program names tried in order (BMNAV_CHROMIUM names a program first).
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
#: Flags for a quiet, private, offline headless run.
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
)
HOW_TO_GET = (
    "no Chromium found to print the PDF; install one (Debian/Ubuntu: `apt-get install chromium`; "
    "macOS: `brew install --cask chromium`) or set BMNAV_CHROMIUM to a Chrome or Chromium program; "
    "or write --html and print it from a browser"
)


def find_chromium() -> str | None:
    """The path of a Chromium or Chrome program, or None."""
    named = os.environ.get("BMNAV_CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() and os.access(named, os.X_OK) else None)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html: str, *, timeout: float = 120.0) -> bytes:
    """The PDF that Chromium prints of `html` (A4, no browser header or footer)."""
    program = find_chromium()
    if program is None:
        raise BmnavError(HOW_TO_GET, exit_code=1)
    with tempfile.TemporaryDirectory(prefix="bmnav-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        pdf = Path(tmp) / "report.pdf"
        command = [
            program,
            *HEADLESS_FLAGS,
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BmnavError(f"Chromium ({program}) could not print the PDF: {exc}", exit_code=1) from None
        if not pdf.is_file() or pdf.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise BmnavError(f"Chromium ({program}) wrote no PDF (exit {done.returncode}: {tail[0]})", exit_code=1)
        return pdf.read_bytes()
