"""Page weight (a first load in a fresh phone-sized Chromium, map tiles left out) and
Lighthouse (npm `lighthouse`, mobile profile) of the public home, search results and activity
pages, against a running app server. Used by bench/run.py (no Django in this process).
"""

# ruff: noqa: S603, S607  (a harness: it runs the local tools and fetches local URLs)

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import urllib.parse
from pathlib import Path
from typing import Any

from http_part import REGION, fetch

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE_VERSION = "12"


def pages(base: str) -> dict[str, str]:
    """name → path of the public pages weighed and audited."""
    results = "/activities/?" + urllib.parse.urlencode({"q": "体操", "area": REGION})
    listing = fetch(base + results).decode()
    match = re.search(r'href="(/activities/\d+/)"', listing)
    assert match, "no activity link on the search page"
    return {"home": "/", "search": results, "activity": match.group(1)}


def is_local(url: str, base: str) -> bool:
    return url.startswith(base) or url.startswith("data:")


def weight(base: str) -> dict[str, Any]:
    """Bytes transferred by a first load (empty cache) of each page, without map tiles:
    every request to another host (the tile server) is refused and counted apart."""
    from playwright.sync_api import sync_playwright

    figures: dict[str, Any] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, path in pages(base).items():
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            blocked: list[str] = []

            def refuse(route: Any, request: Any) -> None:
                if is_local(request.url, base):
                    route.continue_()
                else:
                    blocked.append(request.url)  # noqa: B023  (used before the loop moves on)
                    route.abort()

            page.route("**/*", refuse)
            finished: list[Any] = []
            page.on("requestfinished", lambda request, into=finished: into.append(request))
            page.goto(base + path, wait_until="networkidle")
            total, by_type = 0, {}
            for request in finished:
                sizes = request.sizes()
                size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
                total += size
                kind = request.resource_type
                by_type[kind] = by_type.get(kind, 0) + size
            figures[name] = {
                "path": path,
                "kb": round(total / 1024, 1),
                "requests": len(finished),
                "by_type_kb": {k: round(v / 1024, 1) for k, v in sorted(by_type.items())},
                "left_out_tiles": len(blocked),
            }
            context.close()
        browser.close()
    return figures


def lighthouse_command() -> list[str]:
    """The lighthouse CLI, installed into bench/.cache by npm on first use."""
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(CACHE),
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
            capture_output=True,
        )
    return [str(binary)]


def lighthouse(base: str) -> dict[str, Any]:
    """Lighthouse's mobile profile (its default: a moto g power, slow 4G, 4x CPU slowdown)."""
    command = lighthouse_command()
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    figures: dict[str, Any] = {}
    for name, path in pages(base).items():
        with tempfile.TemporaryDirectory(prefix="sasaeai-bench-lh-") as folder:
            report = Path(folder) / "report.json"
            arguments = [
                *command,
                base + path,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--only-categories=performance,accessibility,best-practices",
                "--blocked-url-patterns=*cyberjapandata*",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ]
            # Once more if it fails: Chromium's start now and then times out on a busy machine.
            # A second failure stops the part, with Lighthouse's own last words.
            for attempt in (1, 2):
                run = subprocess.run(arguments, env=env, capture_output=True, timeout=300)
                if run.returncode == 0:
                    break
                if attempt == 2:
                    tail = run.stderr.decode(errors="replace")[-600:]
                    raise RuntimeError(f"lighthouse failed on {path}: {tail}")
            data = json.loads(report.read_text())
        categories = data["categories"]
        audits = data["audits"]
        failed = [
            key
            for key, audit in audits.items()
            if audit.get("score") is not None
            and audit["score"] < 1
            and audit.get("scoreDisplayMode") in ("binary", "metricSavings")
        ]
        console_items = audits["errors-in-console"].get("details", {}).get("items", [])
        figures[name] = {
            "path": path,
            "performance": categories["performance"]["score"],
            "accessibility": categories["accessibility"]["score"],
            "best_practices": categories["best-practices"]["score"],
            "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
            "total_byte_weight_kb": round(audits["total-byte-weight"]["numericValue"] / 1024, 1),
            "failed_audits": sorted(failed),
            "console_errors": [console_error(item) for item in console_items],
        }
    return figures


def console_error(item: dict[str, Any]) -> str:
    url = item.get("sourceLocation", {}).get("url") or item.get("url", "")
    return f"{url}: {str(item.get('description', ''))[:120]}"
