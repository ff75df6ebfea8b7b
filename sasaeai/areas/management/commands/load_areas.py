from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sasaeai.areas.loader import AreaFileError, load_areas


class Command(BaseCommand):
    help = "Load or update a municipality's area tree from a CSV file (see data/areas/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            report = load_areas(path)
        except AreaFileError as error:
            raise CommandError(f"{error.path} {error.line}行目: {error.reason}") from error
        self.stdout.write(report.summary())
        for code in report.kept:
            self.stdout.write(f"  ファイルにないがデータがあるため残しました: {code}")
