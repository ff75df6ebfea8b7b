from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sasaeai.audit.context import Actor, reset, set_actor
from sasaeai.referrals import services


class Command(BaseCommand):
    help = (
        "自治体の保存期間を過ぎたつなぎ（終了から、または未終了なら最後の変更から）の個人情報を"
        "匿名化し、長く手つかずの下書きを削除します（毎日実行してください）。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="今すぐ実行せず、タスクとして登録します。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from sasaeai.referrals.tasks import anonymise_expired_referrals

            anonymise_expired_referrals.enqueue()
            self.stdout.write("enqueued")
            return
        token = set_actor(Actor())
        try:
            anonymised = services.anonymise_expired()
            deleted = services.delete_abandoned_drafts()
        finally:
            reset(token)
        self.stdout.write(f"anonymised {anonymised}, deleted {deleted} abandoned drafts")
