"""Static files as deployed: collected with content hashes in their names, so a page always
names the version it was made with and a browser may keep each file for a year; sent
compressed to a browser that accepts it."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_name_hashed_files_that_browsers_keep_and_get_compressed(
    itabashi: Any, settings: Any, tmp_path: Path
) -> None:
    settings.STATIC_ROOT = tmp_path
    deployed = {"BACKEND": settings.DEPLOYED_STATIC_STORAGE}  # the tests' own serves as is
    settings.STORAGES = {**settings.STORAGES, "staticfiles": deployed}
    settings.WHITENOISE_AUTOREFRESH = settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", "--noinput", "--ignore=admin", verbosity=0)
    client = Client()  # its WhiteNoise reads the collected files when first asked

    page = client.get("/").content.decode()
    stylesheet = re.search(r'href="(/static/css/site\.([0-9a-f]{12})\.css)"', page)
    assert stylesheet, "the home page names its stylesheet by content hash"
    plain = client.get(stylesheet.group(1))
    assert plain.status_code == 200
    assert plain["Cache-Control"] == "max-age=315360000, public, immutable"
    served = b"".join(plain.streaming_content)  # type: ignore[attr-defined]
    assert b".site-header" in served

    packed = client.get(stylesheet.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(packed.streaming_content)) == served  # type: ignore[attr-defined]
    assert "Accept-Encoding" in packed["Vary"]

    unhashed = client.get("/static/css/site.css")
    unhashed.close()
    assert "immutable" not in unhashed.get("Cache-Control", "")  # may change: not kept a year
