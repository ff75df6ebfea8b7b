"""The staff API's 活動・場所・日程: see staff.py for tokens, scopes and paging."""

from __future__ import annotations

from . import staff

router = staff.router("活動・場所・日程（職員）")
