"""HTTP throughput and latency with wrk, against the app (granian, one worker) and against
nginx serving a static file of the same size, in alternating rounds; and the app worker's
resident memory after the load. Used by bench/run.py (no Django in this process).

Pinning: the server under test (granian or nginx) on core 0, wrk on core 1.
"""

# ruff: noqa: S603, S310  (a harness: it runs the local tools and fetches local URLs)

from __future__ import annotations

import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import SEARCHES

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
PYTHON = ROOT / ".venv" / "bin" / "python"
GRANIAN = ROOT / ".venv" / "bin" / "granian"
SERVER_CORE, LOAD_CORE = "0", "1"
CONNECTIONS = 8
REGION = "takashimadaira"
# The cheapest answer the app gives: a GET where only POST is allowed (405, empty body),
# through every middleware, with no template and no query. Not a page of the site: the
# ceiling of any page that Django renders here, measured beside the pages.
FLOOR = "/prefs/text-size/"
FLOOR_NAME = "floor"


@dataclass
class Settings:
    rounds: int = 5
    seconds: int = 10
    warmup: int = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except OSError:  # not listening yet (URLError is an OSError)
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)  # polling a starting server, not a test: nothing else to wait on


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return bytes(response.read())


def body(url: str) -> bytes:
    """The body of any answer, an error's too (the floor's 405)."""
    try:
        return fetch(url)
    except urllib.error.HTTPError as error:
        return bytes(error.read())


def app_env(database_url: str, keys: dict[str, str] | None = None) -> dict[str, str]:
    """The production code path, as `make run` serves it (plain HTTP, no MFA); new keys unless
    given (SECRET_KEY, SASAEAI_PERSONAL_DATA_KEYS: a prepared database's own)."""
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SASAEAI_", "DJANGO_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SASAEAI_PERSONAL_DATA_KEYS=Fernet.generate_key().decode(),
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        SASAEAI_REQUIRE_MFA="0",
        SASAEAI_DEFAULT_MUNICIPALITY="131199",
        SASAEAI_VAR_DIR=str(CACHE / "var"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DATABASE_URL=database_url,
    )
    env.update(keys or {})
    return env


@contextmanager
def app_server(database_url: str, keys: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """Serve the app with granian (one worker, pinned to core 0); yield (base URL, pid)."""
    env = app_env(database_url, keys)
    (CACHE / "var").mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    log = open(CACHE / "granian.log", "w")  # noqa: SIM115
    command = [
        "taskset",
        "-c",
        SERVER_CORE,
        str(GRANIAN),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--blocking-threads",
        "4",
        "sasaeai.wsgi:application",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/")
        yield base, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@contextmanager
def nginx_running(folder: Path, http: str, probe: str) -> Iterator[str]:
    """nginx (one worker, pinned to core 0) with `http` as its http block's own lines, run from
    `folder` (removed afterwards); yields its base URL once `probe` answers."""
    port = free_port()
    temp = "\n".join(
        f"  {t}_temp_path {folder}/{t};"
        for t in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(f"""
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
user root;
events {{ worker_connections 1024; }}
http {{
  access_log off;
{temp}
{http.replace("PORT", str(port))}
}}
""")
    config = str(folder / "nginx.conf")
    command = ["taskset", "-c", SERVER_CORE, "nginx", "-p", str(folder), "-c", config]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + probe, timeout=15)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def nginx_server(sizes: dict[str, int]) -> Iterator[str]:
    """nginx serving /<name>.html of each given size."""
    folder = Path(tempfile.mkdtemp(prefix="sasaeai-bench-nginx-"))
    www = folder / "www"
    www.mkdir()
    for name, size in sizes.items():
        filler = ("<!doctype html><title>static</title>" + "あ" * size).encode()[:size]
        (www / f"{name}.html").write_bytes(filler.ljust(size, b" "))
    http = f"""
  default_type text/html;
  server {{
    listen 127.0.0.1:PORT;
    root {www};
  }}"""
    with nginx_running(folder, http, f"/{next(iter(sizes))}.html") as base:
        yield base


@contextmanager
def proxy_server(app_base: str) -> Iterator[str]:
    """nginx in front of the app with the page cache exactly as deployed: the include files
    of deploy/nginx/ (docs/deploy.md)."""
    folder = Path(tempfile.mkdtemp(prefix="sasaeai-bench-proxy-"))
    deploy = ROOT / "deploy" / "nginx"
    http = f"""
  proxy_cache_path {folder}/cache levels=1:2 keys_zone=sasaeai_pages:50m inactive=10s
                   use_temp_path=off;
  include {deploy}/cache-maps.conf;
  upstream sasaeai {{ server {app_base.removeprefix("http://")}; keepalive 16; }}
  server {{
    listen 127.0.0.1:PORT;
    location / {{ include {deploy}/sasaeai-proxy.conf; proxy_cache_lock off; }}
    location /areas/ {{ include {deploy}/sasaeai-proxy.conf; proxy_cache_lock on; }}
  }}"""
    with nginx_running(folder, http, "/") as base:
        yield base


WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors": %d, "status_errors": %d,'
    .. ' "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def wrk_script(paths: list[str], delay_ms: float = 0.0) -> Path:
    """A wrk Lua script: requests cycle through `paths`; optional per-connection delay."""
    quoted = ", ".join(json.dumps(p) for p in paths)
    lua = f"local paths = {{{quoted}}}\nlocal i = 0\n"
    lua += "request = function()\n  i = i % #paths + 1\n"
    lua += '  return wrk.format("GET", paths[i])\nend\n'
    if delay_ms:
        lua += f"delay = function() return {delay_ms:.3f} end\n"
    lua += WRK_DONE
    handle, name = tempfile.mkstemp(prefix="sasaeai-bench-", suffix=".lua")
    os.write(handle, lua.encode())
    os.close(handle)
    return Path(name)


def wrk(base: str, script: Path, seconds: int, connections: int = CONNECTIONS) -> dict[str, Any]:
    command = [
        "taskset",
        "-c",
        LOAD_CORE,
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "30s",  # a slow page is measured, not dropped (wrk's default is 2 s)
        "-s",
        str(script),
        base + "/",
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^WRKJSON (.*)$", out, re.MULTILINE)
    assert match, out
    result: dict[str, Any] = json.loads(match.group(1))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def search_paths() -> list[str]:
    """The public search page with bench/search_bench.py's varied queries."""
    return ["/activities/" + ("?" + urllib.parse.urlencode(p) if p else "") for _l, p in SEARCHES]


def targets(base: str) -> dict[str, tuple[str, list[str]]]:
    """name → (server, paths). The app's floor, the search page with varied queries, one
    activity page, the home page and a region page straight from the app (uncached: what a
    render costs, held against the floor); the home, activity and region pages through the
    proxy (cached, as deployed)."""
    listing = fetch(base + "/activities/?" + urllib.parse.urlencode({"area": REGION})).decode()
    match = re.search(r'href="(/activities/\d+/)"', listing)
    assert match, "no activity link on the search page"
    activity = match.group(1)
    return {
        "search": ("app", search_paths()),
        "activity": ("app", [activity]),
        "home": ("app", ["/"]),
        "region": ("app", [f"/areas/{REGION}/"]),
        "floor": ("app", [FLOOR]),
        "home_cached": ("proxy", ["/"]),
        "activity_cached": ("proxy", [activity]),
        "region_cached": ("proxy", [f"/areas/{REGION}/"]),
    }


def rss_of_workers(pid: int) -> dict[str, float]:
    """Resident memory (MB) of the granian process tree: the main process and its workers."""

    def rss(p: int) -> float:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo += children.get(p, [])
    sizes = {}
    for p in tree:
        try:
            name = Path(f"/proc/{p}/comm").read_text().strip()
            sizes[f"{p} {name}"] = round(rss(p), 1)
        except OSError:
            continue
    return sizes


def run(base: str, database_url: str, settings: Settings, log: Any = print) -> dict[str, Any]:
    """Alternating rounds app-or-proxy/nginx per page, p99 at half the search page's maximum,
    then how soon a change shows through the proxy. Returns the figures."""
    pages = targets(base)
    with proxy_server(base) as proxy_base:
        servers = {"app": base, "proxy": proxy_base}
        figures = measure(servers, pages, settings, log)
        figures["freshness"] = freshness(proxy_base, database_url, pages["activity"][1][0])
    return figures


def measure(
    servers: dict[str, str],
    pages: dict[str, tuple[str, list[str]]],
    settings: Settings,
    log: Any,
) -> dict[str, Any]:
    sizes = {name: len(body(servers[server] + paths[0])) for name, (server, paths) in pages.items()}
    scripts = {name: wrk_script(paths) for name, (_server, paths) in pages.items()}
    statics = {name: wrk_script([f"/{name}.html"]) for name in pages}
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {n: {"app": [], "nginx": []} for n in pages}
    with nginx_server(sizes) as static_base:
        for name, (server, _paths) in pages.items():  # warm-up: caches, connections, imports
            wrk(servers[server], scripts[name], settings.warmup)
            wrk(static_base, statics[name], settings.warmup)
        for round_no in range(settings.rounds):
            for name, (server, _paths) in pages.items():
                runs[name]["app"].append(wrk(servers[server], scripts[name], settings.seconds))
                runs[name]["nginx"].append(wrk(static_base, statics[name], settings.seconds))
                log(
                    f"    round {round_no + 1}/{settings.rounds} {name}: "
                    f"{server} {runs[name]['app'][-1]['rps']:.0f} rps, "
                    f"nginx {runs[name]['nginx'][-1]['rps']:.0f} rps"
                )
    figures: dict[str, Any] = {"connections": CONNECTIONS, "pages": {}}
    for name, (server, paths) in pages.items():
        app_rps = statistics.median(r["rps"] for r in runs[name]["app"])
        median_p99_us = statistics.median(r["p99_us"] for r in runs[name]["app"])
        nginx_rps = statistics.median(r["rps"] for r in runs[name]["nginx"])
        figures["pages"][name] = {
            "server": server,
            "path": paths[0] if len(paths) == 1 else "/activities/?…",
            "bytes": sizes[name],
            "app_rps": round(app_rps, 1),
            "nginx_rps": round(nginx_rps, 1),
            "ratio": round(app_rps / nginx_rps, 4),
            "app_p99_ms": round(median_p99_us / 1000, 1),
            # The page's rate as a share of the floor's, round by round (each round measures
            # both within a minute: the machine's share of its CPU moves less between them).
            "floor_ratio": floor_ratio(runs[name]["app"], runs[FLOOR_NAME]["app"])
            if server == "app" and FLOOR_NAME in runs
            else None,
            "errors": sum(
                r["errors"] + (0 if paths == [FLOOR] else r["status_errors"])
                for r in runs[name]["app"]
            ),
        }
    # p99 at half the search page's maximum throughput. wrk paces each connection with a
    # delay between its requests; a calibration run tells how long the requests themselves
    # take at that pace, and the delay is shortened by that much.
    base, search = servers["app"], pages["search"][1]
    target = figures["pages"]["search"]["app_rps"] / 2
    cycle_ms = CONNECTIONS * 1000 / target  # each connection's time per request
    probe = wrk_script(search, delay_ms=cycle_ms)
    busy_ms = CONNECTIONS * 1000 / wrk(base, probe, settings.seconds)["rps"] - cycle_ms
    probe.unlink()
    paced = wrk_script(search, delay_ms=max(1.0, cycle_ms - max(0.0, busy_ms)))
    half = [wrk(base, paced, settings.seconds) for _ in range(max(1, settings.rounds // 2))]
    figures["half_load"] = {
        "target_rps": round(target, 1),
        "achieved_rps": round(statistics.median(r["rps"] for r in half), 1),
        "p50_ms": round(statistics.median(r["p50_us"] for r in half) / 1000, 1),
        "p99_ms": round(statistics.median(r["p99_us"] for r in half) / 1000, 1),
    }
    for script in [*scripts.values(), *statics.values(), paced]:
        script.unlink(missing_ok=True)
    return figures


def floor_ratio(page: list[dict[str, Any]], floor: list[dict[str, Any]]) -> float:
    """The median over the rounds of the page's rps divided by the floor's in the same round."""
    return round(
        statistics.median(p["rps"] / f["rps"] for p, f in zip(page, floor, strict=True)), 4
    )


CHANGE = """
import sys, time
from sasaeai.directory.models import Activity
activity = Activity.objects.get(pk={pk})
for line in sys.stdin:
    activity.name = line.strip()
    activity.save()  # as a staff edit saves it
    print(time.time(), flush=True)
"""


def freshness(proxy_base: str, database_url: str, path: str, trials: int = 5) -> dict[str, Any]:
    """How long after a saved change the cached activity page shows it, through the proxy.

    A Django process renames the activity (Activity.save, committed) and prints the time;
    the page, cached a moment before, is fetched again and again until the new name is on it.
    The original name is saved back at the end."""
    pk = int(path.strip("/").rsplit("/", 1)[1])
    page = proxy_base + path
    original = re.search(r"<h1[^>]*>(.*?)</h1>", fetch(page).decode(), re.S)
    assert original, "no heading on the activity page"
    command = [str(PYTHON), "manage.py", "shell", "--no-imports", "-c", CHANGE.format(pk=pk)]
    child = subprocess.Popen(
        command, cwd=ROOT, env=app_env(database_url), text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )  # fmt: skip
    assert child.stdin and child.stdout
    delays = []
    try:
        for trial in range(trials):
            name = f"鮮度確認サロン{trial}"
            for _ in range(3):  # the page is in the cache (a hit) before the change
                fetch(page)
            child.stdin.write(name + "\n")
            child.stdin.flush()
            saved = float(child.stdout.readline())
            while name not in fetch(page).decode():
                if time.time() - saved > 10:
                    raise AssertionError(f"change not visible after 10 s ({name})")
            delays.append((time.time() - saved) * 1000)
    finally:
        child.stdin.write(html.unescape(re.sub(r"<[^>]+>", "", original.group(1))).strip() + "\n")
        child.stdin.close()
        child.wait(timeout=60)
    return {
        "trials": trials,
        "max_ms": round(max(delays), 1),
        "median_ms": round(statistics.median(delays), 1),
        "delays_ms": [round(d, 1) for d in delays],
    }


def memory(pid: int) -> dict[str, Any]:
    """Resident size of the app worker: the largest process of granian's tree (the main
    process only supervises)."""
    processes = rss_of_workers(pid)
    return {"processes_mb": processes, "worker_rss_mb": max(processes.values())}
