from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sasaeai.core import backup


class Command(BaseCommand):
    help = (
        "Write one archive of the database and the uploaded files (MEDIA_ROOT, or the S3 "
        "bucket when SASAEAI_S3_BUCKET is set), with a manifest of checksums (encrypted when "
        "SASAEAI_BACKUP_KEY is set). Safe while the site runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="where to write the archive")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if path.exists():
            raise CommandError(f"すでにあります: {path}")
        try:
            done = backup.backup(
                path,
                settings.DATABASES["default"],
                storages["default"],  # MEDIA_ROOT, or the bucket of SASAEAI_S3_BUCKET
                key=backup.key_from_environment(),
                progress=self.stdout.write,
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"書き出しました: {path}（{done.tables} 表・{done.rows} 行、ファイル {done.files} 件、"
            f"{done.bytes / 1e6:.1f} MB）"
        )
