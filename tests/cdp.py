"""A tiny Chrome DevTools Protocol client over `--remote-debugging-pipe` (standard library only).

Chromium reads NUL-terminated JSON commands on file descriptor 3 and writes
responses and events on 4; no port is opened, so nothing on the machine (or
off it) can talk to the browser but this test.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any

from bmnav.render.browser import HEADLESS_FLAGS


class Browser:
    """One headless Chromium, driven over a pipe; events are kept in `events`."""

    def __init__(self, program: str, profile: Path) -> None:
        to_chrome_r, self._out = os.pipe()
        self._in, from_chrome_w = os.pipe()
        # above 4, so that moving them onto 3 and 4 in the child cannot clobber one another, and
        # close-on-exec: only the copies on 3 and 4 (dup2 makes them inheritable) reach Chromium
        high_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD_CLOEXEC, 10)
        high_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_chrome_r)
        os.close(from_chrome_w)

        def child() -> None:
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            [program, *HEADLESS_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            close_fds=False,  # Python's own descriptors are close-on-exec (PEP 446); closing would take 3 and 4
            preexec_fn=child,  # only dup2, before exec
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(high_r)
        os.close(high_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def _read(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._in], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise ConnectionError("Chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None) -> Any:
        """Send a command and return its result (events met on the way go to `events`)."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read(60)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 60) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            event = self._read(deadline - time.monotonic())
            self.events.append(event)
            if event.get("method") == method:
                return event
        raise TimeoutError(method)

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (OSError, ConnectionError, TimeoutError, RuntimeError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._in)
        os.close(self._out)


def open_page(browser: Browser, url: str) -> str:
    """Open `url` in a new tab with console, log and network events on; return the session id."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = str(browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"])
    for domain in ("Runtime", "Log", "Network", "Page"):
        browser.send(f"{domain}.enable", session=session)
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for("Page.loadEventFired")
    return session


def evaluate(browser: Browser, session: str, expression: str) -> Any:
    result = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
    return result["result"].get("value")


def screenshot(browser: Browser, session: str, path: Path) -> Path:
    data = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)
    path.write_bytes(base64.b64decode(data["data"]))
    return path


def print_pdf(browser: Browser, session: str, path: Path) -> bytes:
    data = browser.send("Page.printToPDF", {"preferCSSPageSize": True}, session=session)
    raw = base64.b64decode(data["data"])
    path.write_bytes(raw)
    return raw
