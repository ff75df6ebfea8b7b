"""The staff API's 支援の依頼: see staff.py for tokens, scopes and paging."""

from __future__ import annotations

from . import staff

router = staff.router("支援の依頼（職員）")
