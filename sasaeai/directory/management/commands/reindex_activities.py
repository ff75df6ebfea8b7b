from typing import Any

from django.core.management.base import BaseCommand

from sasaeai.directory.models import Activity, Place
from sasaeai.directory.search_reindex import reindex


class Command(BaseCommand):
    """manage.py reindex_activities: rewrite every activity's search tokens (readings
    included), e.g. after an upgrade that changes how they are made."""

    help = "Rewrite every activity's search tokens (with the readings of words in kanji)."

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"検索の索引を作り直しています: {done:,} / {total:,} 件")

        done = reindex(Activity, Place, progress)
        self.stdout.write(self.style.SUCCESS(f"{done:,} 件の活動の検索の索引を作り直しました。"))
