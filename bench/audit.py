"""`make audit`: two security scanners, wapiti and sqlmap, against the demo served on this
machine as deployed; a summary of what they found; exit 1 on a high-severity finding.

    make audit                                   # installs .venv-audit, then this
    .venv/bin/python bench/audit.py --minutes 4  # the time the scanners may take in all

wapiti (wapiti3) and sqlmap are GPL programs. They are installed into their own virtual
environment, .venv-audit, from bench/audit-requirements.txt (pinned, with hashes), and run as
external programs against our local server: never imported by this code, never installed
into .venv, never shipped with the app.

The server is bench/soak.py's: a fresh copy of the prepared demo database (SQLite), granian
behind nginx with deploy/nginx/'s page cache, the task worker beside it; `make run`'s
settings (plain HTTP, no second factor). What is scanned, through nginx:

- wapiti over the public site (`/`, its pages and forms), and over the staff pages (`/staff/`)
  with the session cookie of the demo's ward staff, who sees the most. Its modules that need
  the internet (wapp, nikto, ssrf, xxe's and log4shell's outside endpoints, takeover), those
  for other kinds of server (ssl: plain HTTP here; cms, wp_enum, printer, network_device, htp,
  shellshock, spring4shell) and ldap (the app talks to no directory server; its test compares
  page hashes, and every page carries a fresh CSP nonce: 23 "critical" false positives on
  the search's area and kind in the first run) are left out; so are the slow brute-force
  ones (buster, brute_login_form, timesql: sqlmap tries time-based injection). The
  members' pages (`/staff/members/`) are left out of the staff scan: its attacks would sign the
  ward's account out or remove it.
- sqlmap on the public search (every filter of its form), the need form (with its CSRF token),
  and two staff lists with filters, signed in.

Each tool's share of --minutes bounds it (wapiti: --max-scan-time; sqlmap: a timeout). The
report, bench/results/audit-<date>.md, lists each finding with wapiti's level (4 critical, 3
high, 2 medium, 1 low, 0 information) and, where it comes from running locally rather than
from the app, why (EXPLAINED). Exit 1 when a finding is high or critical and not explained,
when sqlmap finds an injection, or when a scanner's input got a 500 (bad input must get a
clear message, never an error).
"""

# ruff: noqa: S603  (a harness: it runs the scanners against its own local server)

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import soak

ROOT = soak.ROOT
TOOLS = ROOT / ".venv-audit" / "bin"
WORK = soak.WORK / "audit"
STAFF = "ward@demo.sasaeai.jp"
MODULES = ["exec", "file", "permanentxss", "redirect", "sql", "upload", "xss", "csrf", "crlf",
           "methods", "backup"]  # fmt: skip
LEVELS = {4: "critical", 3: "high", 2: "medium", 1: "low", 0: "information"}
# What a scanner reports that is not a weakness of the app, and why: by wapiti's category, or
# by (category, path).
EXPLAINED: dict[str | tuple[str, str], str] = {
    "Secure Flag cookie": "local plain HTTP (SECURE_COOKIES=0, as `make run`); production sets "
    "the Secure flag on every cookie (SECURE_COOKIES, docs/configuration.md)",
    "HTTP Strict Transport Security (HSTS)": "local plain HTTP (SECURE_HSTS_SECONDS=0, as "
    "`make run`); production sends a year's HSTS by default (docs/configuration.md)",
    ("Cross Site Request Forgery", "/prefs/text-size/"): "csrf_exempt on purpose "
    "(core/views.py): it only flips the large-text display preference in a cookie, and the "
    "button sits on public pages that nginx shares between visitors, which cannot carry a "
    "visitor's token",
    ("Cross Site Request Forgery", "/prefs/furigana/"): "as /prefs/text-size/: the ふりがな "
    "display preference only",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10, help="the scanners' time in all")
    parser.add_argument(
        "--prepare-again", action="store_true", help="prepare the demo again (else its copy)"
    )
    args = parser.parse_args()
    for tool in ("wapiti", "sqlmap"):
        if not (TOOLS / tool).exists():
            sys.exit(f"{TOOLS / tool} is missing: `make audit` installs .venv-audit first")
    started = dt.datetime.now(dt.UTC).astimezone()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    budget = args.minutes * 60
    database_url = soak.prepare("sqlite", "", args.prepare_again, copy="audit")
    with soak.serving(database_url) as (base, _app, _worker):
        session = soak.Session(base)
        session.sign_in(STAFF)
        cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        soak.say(f"audit: {args.minutes:g} minutes of scans against {base}")
        runs = [
            wapiti(base, "public", "/", budget * 0.25, []),
            wapiti(base, "staff", "/staff/", budget * 0.25, ["-C", cookie]),
        ]
        sqlmaps = sqlmap_all(base, cookie, budget * 0.5)
    findings = [f for run in runs for f in run["findings"]]
    failing = [f for f in findings if f["fails"]]
    failing += [
        {"where": s["target"], "category": "SQL injection (sqlmap)"}
        for s in sqlmaps
        if s["injectable"]
    ]
    path = write_report(started, args, runs, sqlmaps, findings, failing)
    soak.say(f"audit: {len(findings)} wapiti findings, {len(failing)} failing; {path}")
    for finding in failing:
        print(f"FAIL {finding['category']}: {finding['where']}")
    print(f"report: {path.relative_to(ROOT)}")
    return 1 if failing else 0


def wapiti(base: str, name: str, start: str, seconds: float, extra: list[str]) -> dict[str, Any]:
    """One wapiti scan from `start` (its folder the scope); its findings."""
    out = WORK / f"wapiti-{name}.json"
    command = [
        str(TOOLS / "wapiti"), "-u", base + start, "--scope", "folder", "-m", ",".join(MODULES),
        "-f", "json", "-o", str(out), "--flush-session",
        "--store-session", str(WORK / "wapiti-session"),
        "--store-config", str(WORK / "wapiti-config"),
        "-d", "3", "--max-links-per-page", "40", "--max-files-per-dir", "30",
        # The scan time bounds the crawl; each module then has its own attack time.
        "--max-scan-time", str(int(seconds * 0.4)),
        "--max-attack-time", str(max(5, int(seconds * 0.6 / len(MODULES)))),
        "-t", "20", "--tasks", "4", "-v", "1", "--no-bugreport",
        "-x", base + "/staff/members/*", "-x", base + "/accounts/*", "-x", base + "/admin/*",
        *extra,
    ]  # fmt: skip
    soak.say(f"audit: wapiti over {start} ({seconds:.0f} s at most)")
    began = time.monotonic()
    # wapiti checks its time between steps: on a busy machine it may overrun by minutes.
    try:
        done = subprocess.run(
            command, cwd=WORK, capture_output=True, text=True, timeout=seconds * 2 + 240
        )
        code, output = done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired as stopped:
        code, output = -1, text_of(stopped.stdout) + text_of(stopped.stderr)
    (WORK / f"wapiti-{name}.log").write_text(output)
    report = json.loads(out.read_text()) if out.exists() else {}
    findings = []
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, items in (report.get(section) or {}).items():
            for item in items:
                level = int(item.get("level", 0))
                path = str(item.get("path", ""))
                explained = EXPLAINED.get((category, path)) or EXPLAINED.get(category, "")
                error = section == "anomalies" and "500" in (item.get("info") or "")
                findings.append(
                    {
                        "scan": name,
                        "section": section,
                        "category": category,
                        "level": level,
                        "where": f"{item.get('method', '')} {item.get('path', '')}"
                        + (f" ({item['parameter']})" if item.get("parameter") else ""),
                        "info": (item.get("info") or "").replace("\n", " ")[:200],
                        "explained": explained,
                        "fails": (level >= 3 and not explained) or error,
                    }
                )
    info = report.get("infos") or {}
    return {
        "name": name,
        "start": start,
        "seconds": round(time.monotonic() - began),
        "exit": code if code >= 0 else "stopped",
        "crawled": info.get("crawled_pages_nbr", len(info.get("crawled_pages", []) or [])),
        "findings": findings,
    }


def text_of(captured: bytes | str | None) -> str:
    """What a process stopped at its timeout had printed (bytes, whatever `text` said)."""
    if isinstance(captured, bytes):
        return captured.decode("utf-8", "replace")
    return captured or ""


def sqlmap_all(base: str, cookie: str, seconds: float) -> list[dict[str, Any]]:
    search = urllib.parse.urlencode(
        {"q": "体操", "area": "takashimadaira", "kind": "", "weekday": "", "time": "",
         "free": "", "near": "", "radius": "", "page": "1"}
    )  # fmt: skip
    need = {"area": "takashimadaira", "what": "買い物を手伝ってほしい", "website": ""}
    targets: list[tuple[str, list[str]]] = [
        ("GET /activities/?…", ["-u", f"{base}/activities/?{search}"]),
        (
            "POST /needs/new/",
            [
                "-u",
                f"{base}/needs/new/",
                "--data",
                urllib.parse.urlencode(need) + "&csrfmiddlewaretoken=x",
                "--csrf-token",
                "csrfmiddlewaretoken",
                "--csrf-url",
                f"{base}/needs/new/",
            ],
        ),
        (
            "GET /staff/activities/?… (signed in)",
            ["-u", f"{base}/staff/activities/?q=体操&status=&in_year=&page=1", "--cookie", cookie],
        ),
        (
            "GET /staff/needs/?… (signed in)",
            [
                "-u",
                f"{base}/staff/needs/?status=&dated=&area=takashimadaira&start=&end=",
                "--cookie",
                cookie,
            ],
        ),
    ]
    results = []
    for label, target in targets:
        results.append(sqlmap(label, target, seconds / len(targets)))
    return results


def sqlmap(label: str, target: list[str], seconds: float) -> dict[str, Any]:
    command = [
        str(TOOLS / "sqlmap"), *target, "--batch", "--level", "1", "--risk", "1",
        "--time-sec", "2", "--timeout", "20", "--flush-session", "--disable-coloring",
        # Pages differ at each answer by their CSP nonce (and forms by their token): compare
        # the text only.
        "--text-only", "--output-dir", str(WORK / "sqlmap"),
        "--skip", "csrfmiddlewaretoken,website,sessionid,csrftoken",
    ]  # fmt: skip
    soak.say(f"audit: sqlmap on {label} ({seconds:.0f} s at most)")
    began = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds)
        output, finished = done.stdout + done.stderr, True
    except subprocess.TimeoutExpired as stopped:
        output, finished = text_of(stopped.stdout) + text_of(stopped.stderr), False
    name = re.sub(r"\W+", "-", label).strip("-")
    (WORK / f"sqlmap-{name}.log").write_text(output)
    tested = sorted(set(re.findall(r"for SQL injection on \S+ parameter '([^']+)'", output)))
    return {
        "target": label,
        "seconds": round(time.monotonic() - began),
        "finished": finished,
        "injectable": "identified the following injection point" in output
        or bool(re.search(r"parameter '[^']+' is vulnerable", output)),
        "parameters": tested,
        "last": next((line for line in reversed(output.splitlines()) if "[" in line), "")[:200],
    }


def write_report(
    started: dt.datetime,
    args: argparse.Namespace,
    runs: list[dict[str, Any]],
    sqlmaps: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    failing: list[dict[str, Any]],
) -> Path:
    path = soak.RESULTS / f"audit-{started:%Y-%m-%d-%H%M}.md"
    versions = {
        tool: subprocess.run([str(TOOLS / tool), "--version"], capture_output=True, text=True)
        .stdout.strip()
        .splitlines()[-1]
        for tool in ("wapiti", "sqlmap")
    }
    lines = [
        f"# Security scan, {started:%Y-%m-%d %H:%M %Z}",
        "",
        "Made by `make audit` (`bench/audit.py`: what it scans and how it judges is in its "
        "docstring and bench/README.md, *Audit*). wapiti "
        + versions["wapiti"]
        + ", sqlmap "
        + versions["sqlmap"]
        + f"; {args.minutes:g} minutes of scans in all, against the demo "
        "on this machine (granian behind nginx, `make run`'s settings: plain HTTP, no MFA).",
        "",
        f"**{'FAIL' if failing else 'pass'}**: {len(failing)} failing finding(s); "
        f"{len(findings)} wapiti finding(s) in all, "
        f"{sum(1 for s in sqlmaps if s['injectable'])} injection(s) found by sqlmap.",
        "",
        "## wapiti",
        "",
        "| scan | from | seconds | pages crawled | findings | exit |",
        "|---|---|---|---|---|---|",
        *(
            f"| {r['name']} | `{r['start']}` | {r['seconds']} | {r['crawled']} | "
            f"{len(r['findings'])} | {r['exit']} |"
            for r in runs
        ),
        "",
    ]
    # wapiti's "additionals" (information: the methods each page allows, …) are counted only.
    listed = [f for f in findings if f["section"] != "additionals"]
    counted: dict[str, int] = {}
    for f in findings:
        if f["section"] == "additionals":
            counted[f"{f['scan']}: {f['category']}"] = (
                counted.get(f"{f['scan']}: {f['category']}", 0) + 1
            )
    if counted:
        lines += ["Information only: " + "; ".join(f"{k} ×{n}" for k, n in counted.items()), ""]
    if listed:
        lines += [
            "| scan | level | category | where | info | judged |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {f['scan']} | {f['level']} {LEVELS.get(f['level'], '')} | {f['category']} | "
            f"`{f['where']}` | {f['info'].replace('|', '/')} | "
            + (
                "**FAIL**"
                if f["fails"]
                else ("EXPLAINED: " + f["explained"] if f["explained"] else "listed")
            )
            + " |"
            for f in listed
        ]
    else:
        lines.append("No finding.")
    lines += [
        "",
        "## sqlmap",
        "",
        "| target | seconds | finished | parameters tested | injectable | last line |",
        "|---|---|---|---|---|---|",
        *(
            f"| {s['target']} | {s['seconds']} | "
            f"{'yes' if s['finished'] else 'stopped at its time'} "
            f"| {', '.join(s['parameters']) or '—'} | {'**YES**' if s['injectable'] else 'no'} | "
            f"{s['last'].replace('|', '/')} |"
            for s in sqlmaps
        ),
        "",
        "Logs of each run (not committed): `bench/.cache/soak/audit/`.",
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


if __name__ == "__main__":
    sys.exit(main())
