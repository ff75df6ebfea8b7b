"""The real nginx in front of the application, configured with deploy/nginx/: anonymous public
pages come from its cache, signed-in visitors never see a shared copy, and a change shows on
the public page within a second."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from sasaeai.directory.tests.builders import make_activity
from sasaeai.test import load_itabashi, load_other_town, make_role_users

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEPLOY = Path(settings.BASE_DIR) / "deploy" / "nginx"

pytestmark = pytest.mark.proxy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def nginx_config(folder: Path, port: int, app: str) -> str:
    """A whole nginx.conf around the two files an operator includes."""
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "\n".join(f"  {t}_temp_path {folder}/{t};" for t in kinds)
    return f"""
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
{temp}
  proxy_cache_path {folder}/cache levels=1:2 keys_zone=sasaeai_pages:1m inactive=10s
                   use_temp_path=off;
  include {DEPLOY}/cache-maps.conf;
  upstream sasaeai {{ server {app}; keepalive 4; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{ include {DEPLOY}/sasaeai-proxy.conf; proxy_cache_lock off; }}
    location /areas/ {{ include {DEPLOY}/sasaeai-proxy.conf; proxy_cache_lock on; }}
  }}
}}
"""


@pytest.fixture
def proxy(transactional_db: Any, live_server: Any) -> Iterator[str]:
    """nginx on a free port, forwarding to the live server; yields its base URL."""
    folder = Path(tempfile.mkdtemp(prefix="sasaeai-proxy-test-"))
    port = free_port()
    (folder / "nginx.conf").write_text(nginx_config(folder, port, live_server.url[7:]))
    command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")]
    if os.geteuid() == 0:
        command += ["-g", "user root;"]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)  # noqa: S603
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:  # wait for nginx to listen: connect attempts, no sleeping
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, (folder / "error.log").read_text()
                assert time.monotonic() < deadline, "nginx did not start"
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def get(url: str, **headers: str) -> tuple[str, str, bytes]:
    """(cache status, content encoding, body) of a GET through the proxy."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our local proxy
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return (
            response.headers.get("X-Cache-Status", ""),
            response.headers.get("Content-Encoding", ""),
            response.read(),
        )


def statuses(url: str, **headers: str) -> list[str]:
    return [get(url, **headers)[0] for _ in range(5)]


def hit(url: str, **headers: str) -> bool:
    """Copies live for half a second: of five quick requests after the first, one is a hit
    (the first renders templates for the first time and may be slow)."""
    return "HIT" in statuses(url, **headers)[1:]


def test_anonymous_pages_come_from_the_cache_and_changes_show_within_a_second(
    proxy: str,
) -> None:
    load_itabashi()
    activity = make_activity("高島平いきいきサロン")
    page = f"{proxy}/activities/{activity.pk}/"
    assert hit(page)
    assert hit(f"{proxy}/areas/takashimadaira/")

    activity.name = "高島平ふれあいサロン"
    activity.save()
    changed = time.monotonic()
    while "ふれあいサロン" not in get(page)[2].decode():
        assert time.monotonic() - changed < 1.0, "the change did not appear within a second"


def test_signed_in_staff_never_get_or_make_a_shared_copy(proxy: str) -> None:
    load_other_town()
    load_itabashi()
    staff = make_role_users()["ward"]
    client = Client()
    client.force_login(staff)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    assert set(statuses(f"{proxy}/", Cookie=cookie)) == {"BYPASS"}
    # An anonymous visitor's copy holds no staff menu.
    get(f"{proxy}/")
    status, _encoding, body = get(f"{proxy}/")
    assert "職員ページ".encode() not in body and status in {"HIT", "EXPIRED", "MISS"}


def test_large_text_and_compressed_copies_are_kept_apart(proxy: str) -> None:
    load_itabashi()
    plain = [get(f"{proxy}/") for _ in range(3)]
    large = [get(f"{proxy}/", Cookie="sasaeai_text=large") for _ in range(3)]
    packed = [get(f"{proxy}/", **{"Accept-Encoding": "gzip"}) for _ in range(3)]
    assert all(b'class="text-large"' not in body and not enc for _s, enc, body in plain)
    assert all(b'class="text-large"' in body for _s, _e, body in large)
    assert all(enc == "gzip" and b"<html" in gzip.decompress(body) for _s, enc, body in packed)
    assert hit(f"{proxy}/", Cookie="sasaeai_text=large")
    assert hit(f"{proxy}/", **{"Accept-Encoding": "gzip"})


def test_forms_and_posts_pass_through(proxy: str) -> None:
    load_itabashi()
    assert set(statuses(f"{proxy}/activities/propose/")) == {"MISS"}


def test_the_application_sees_the_client_behind_the_proxy(proxy: str, settings: Any) -> None:
    import http.client

    from sasaeai.audit.models import AuditEntry

    settings.SASAEAI_TRUSTED_PROXIES = ["127.0.0.1"]  # nginx, as docs/deploy.md sets it
    load_itabashi()
    # A visitor at 127.0.0.3 (not a proxy) claims another address; a session that ran out is
    # logged with the address the application believes.
    host, port = proxy[len("http://") :].split(":")
    visitor = http.client.HTTPConnection(host, int(port), source_address=("127.0.0.3", 0))
    headers = {"Cookie": "sasaeai_signed_in=1", "X-Forwarded-For": "203.0.113.5"}
    visitor.request("GET", "/activities/propose/", headers=headers)
    assert visitor.getresponse().status == 200
    visitor.close()
    assert AuditEntry.objects.get(action="session_expired").ip == "127.0.0.3"
