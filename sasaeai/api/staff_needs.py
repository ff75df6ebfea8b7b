"""The staff API's 困りごと: see staff.py for tokens, scopes and paging."""

from __future__ import annotations

from . import staff

router = staff.router("困りごと（職員）")
