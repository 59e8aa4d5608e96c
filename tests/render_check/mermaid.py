"""Parse Mermaid blocks the way GitHub renders them: with the real `mermaid` library in
a real headless Chromium.

The library (npm package ``mermaid``, file ``dist/mermaid.min.js``) is not committed:
``npm pack`` downloads the pinned version once into ``/var/tmp/self-healing-mermaid/<version>/``
(or ``$SELF_HEALING_MERMAID_DIR``), kept while its SHA-256 matches. Chromium is Debian's
``chromium``, which ``.ci/run`` installs.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.github.fake_github.fetch_spec import SpecUnavailableError, npm_member

PACKAGE = "mermaid"
VERSION = "11.12.1"
MEMBER = "package/dist/mermaid.min.js"
SHA256 = "198b19442f86f0b46a17e56d3abf744c3a28a3427e66fa8dada3b589a77babcc"
TIMEOUT = 120


class RenderCheckUnavailableError(RuntimeError):
    """Chromium or the Mermaid library is missing and cannot be had."""


def library() -> Path:
    root = os.environ.get("SELF_HEALING_MERMAID_DIR") or "/var/tmp/self-healing-mermaid"
    target = Path(root) / VERSION / "mermaid.min.js"
    if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == SHA256:
        return target
    try:
        return npm_member(PACKAGE, VERSION, MEMBER, SHA256, target)
    except SpecUnavailableError as exc:
        raise RenderCheckUnavailableError(str(exc)) from None


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RenderCheckUnavailableError(
            "Debian's chromium is not installed (.ci/run installs it)"
        )
    return found


def headless(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def mermaid_blocks(markdown: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", markdown, flags=re.DOTALL)


def parse_errors(blocks: list[str]) -> list[str]:
    """One entry per block: "ok", or the parser's first line of complaint."""
    page = f"""<!doctype html><html><body><pre id="out">pending</pre>
<script src="{library().as_uri()}"></script>
<script>
const blocks = {json.dumps(blocks)};
(async () => {{
  mermaid.initialize({{startOnLoad: false}});
  const found = [];
  for (const block of blocks) {{
    try {{ await mermaid.parse(block); found.push("ok"); }}
    catch (e) {{ found.push("error: " + String(e.message || e).split("\\n").slice(0, 3).join(" ")); }}
  }}
  document.getElementById("out").textContent = JSON.stringify(found);
}})();
</script></body></html>"""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "check.html"
        path.write_text(page, encoding="utf-8")
        done = headless("--virtual-time-budget=20000", "--dump-dom", path.as_uri())
    match = re.search(r'<pre id="out">(.*?)</pre>', done.stdout, flags=re.DOTALL)
    if match is None or match.group(1) == "pending":
        raise RenderCheckUnavailableError(f"chromium gave no result: {done.stderr[-500:]}")
    return list(json.loads(html.unescape(match.group(1))))
