from typing import Any

from django.core.management.base import BaseCommand

from sasaeai.accounts.models import Role
from sasaeai.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Build deterministic Itabashi demo data and one demo user per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        users = load_demo()
        self.stdout.write(f"デモ用アカウント（パスワードはすべて {DEMO_PASSWORD}）:")
        for demo in users:
            self.stdout.write(f"  {demo.email}  … {Role(demo.role).label}")
