"""nginx's client_max_body_size (deploy/nginx/sasaeai-proxy.conf) lets through the largest
upload the application takes, with room for the form around it, and not much more."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from sasaeai.budgets.forms import MAX_RECEIPT_BYTES
from sasaeai.directory.services import PHOTO_MAX_BYTES
from sasaeai.events.forms import MATERIAL_MAX_BYTES
from sasaeai.lib.import_views import MAX_BYTES as IMPORT_MAX_BYTES

MB = 1024 * 1024


def test_the_proxy_takes_the_largest_upload_and_little_more() -> None:
    conf = (Path(settings.BASE_DIR) / "deploy/nginx/sasaeai-proxy.conf").read_text()
    found = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", conf, re.MULTILINE)
    assert len(found) == 1, "one client_max_body_size, in megabytes"
    body = int(found[0]) * MB
    largest = max(MATERIAL_MAX_BYTES, IMPORT_MAX_BYTES, MAX_RECEIPT_BYTES, PHOTO_MAX_BYTES)
    assert largest + 64 * 1024 <= body <= largest + 2 * MB
