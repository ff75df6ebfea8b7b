from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area, AreaKind
from sasaeai.lib.import_files import SourceRow
from sasaeai.lib.imports import ImportCommand, ImportReport
from sasaeai.progress import participation_import, population


class Command(ImportCommand[Area]):
    """manage.py import_participants MUNICIPALITY YEAR PATH [--area CODE] [--commit]: the
    participants per activity of a 年度 from a table like the staff page's template, for the
    whole municipality or (--area) one block or region of it. Without --commit, every row is
    checked and nothing written; with it, all rows are written or (one bad row, or a closed
    年度) none."""

    help = "Import the participants per activity of a fiscal year from a table (.xlsx or CSV)."

    year = 0
    area = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="municipality code, e.g. 131199")
        parser.add_argument("year", type=int, help="年度, e.g. 2026")
        parser.add_argument("path", type=Path)
        parser.add_argument("--area", default="", help="a block's or region's code (default: all)")
        parser.add_argument("--commit", action="store_true", help="write, if every row is good")

    def handle(self, *args: Any, path: Path, municipality: str, **options: Any) -> None:
        self.year, self.area = options["year"], options["area"]
        options.update(dry_run=not options["commit"], all_or_nothing=True)
        super().handle(*args, path=path, municipality=municipality, **options)

    def municipality(self, code: str) -> Area | None:
        return Area.objects.municipalities().filter(code=code).first()

    def read(self, data: bytes, name: str) -> list[SourceRow]:
        return participation_import.read(data, name, max_rows=None)

    def import_rows(
        self, municipality: Area, rows: list[SourceRow], *, commit: bool, all_or_nothing: bool
    ) -> ImportReport[Any]:
        area = municipality
        if self.area:
            found = Area.objects.of(municipality).filter(code=self.area).first()
            if found is None or found.kind == AreaKind.UNIT:
                raise CommandError(
                    _("地域コード「%(code)s」のブロックか地域はありません。") % {"code": self.area}
                )
            area = found
        regions = population.regions_of(area)
        return participation_import.import_rows(
            area, regions, self.year, rows, by=None, commit=commit
        )
