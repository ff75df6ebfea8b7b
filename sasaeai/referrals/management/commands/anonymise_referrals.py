from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sasaeai.audit.context import Actor, reset, set_actor
from sasaeai.referrals import services


class Command(BaseCommand):
    help = (
        "終了後、自治体の保存期間を過ぎたつなぎの個人情報を匿名化します（毎日実行してください）。"
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
            done = services.anonymise_expired()
        finally:
            reset(token)
        self.stdout.write(f"anonymised {done}")
