"""The staff API's 研修・催し: see staff.py for tokens, scopes and paging."""

from __future__ import annotations

from . import staff

router = staff.router("研修・催し（職員）")
