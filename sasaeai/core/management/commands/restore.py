from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from sasaeai.core import backup


class Command(BaseCommand):
    help = (
        "Restore an archive of `backup` into an empty database and an empty file storage "
        "(MEDIA_ROOT, or the S3 bucket when SASAEAI_S3_BUCKET is set), after checking it "
        "against its manifest, and verify the result (row counts and checksums)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the archive written by `backup`")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        connections.close_all()  # the restore writes the database with its own tools
        try:
            done = backup.restore(
                path,
                settings.DATABASES["default"],
                storages["default"],  # MEDIA_ROOT, or the bucket of SASAEAI_S3_BUCKET
                key=backup.key_from_environment(),
                progress=self.stdout.write,
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"戻しました: {done.tables} 表・{done.rows} 行、ファイル {done.files} 件。"
            "目録と一致しています。"
        )
