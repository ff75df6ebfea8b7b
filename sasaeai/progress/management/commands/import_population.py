from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.lib.import_files import SourceRow
from sasaeai.lib.imports import ImportCommand, ImportReport
from sasaeai.progress import population_import


class Command(ImportCommand[Area]):
    """manage.py import_population MUNICIPALITY YEAR PATH [--commit]: the population aged 65+
    of a 年度 from a 町丁目 table. Without --commit, every row is checked and nothing written;
    with it, all rows are written or (one bad row, or a closed 年度) none."""

    help = "Import the population aged 65+ of a fiscal year from a 町丁目 table (.xlsx or CSV)."

    year = 0
    report: ImportReport[Any] | None = None

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="municipality code, e.g. 131199")
        parser.add_argument("year", type=int, help="年度, e.g. 2026")
        parser.add_argument("path", type=Path)
        parser.add_argument("--commit", action="store_true", help="write, if every row is good")

    def handle(self, *args: Any, path: Path, municipality: str, **options: Any) -> None:
        self.year = year = options["year"]
        options.update(dry_run=not options["commit"], all_or_nothing=True)
        super().handle(*args, path=path, municipality=municipality, **options)
        report = self.report
        if report is None:
            return
        root = self.municipality(municipality)
        assert root is not None  # found by the base class already
        for total in population_import.totals(root, year, report.rows):
            self.stdout.write(
                _("%(region)s: %(count)s 人（%(day)s）") % {
                    "region": total.region.name, "count": total.count,
                    "day": total.as_of.isoformat(),
                }
            )  # fmt: skip

    def municipality(self, code: str) -> Area | None:
        return Area.objects.municipalities().filter(code=code).first()

    def read(self, data: bytes, name: str) -> list[SourceRow]:
        return population_import.read(data, name, max_rows=None)

    def import_rows(
        self, municipality: Area, rows: list[SourceRow], *, commit: bool, all_or_nothing: bool
    ) -> ImportReport[Any]:
        self.report = population_import.import_rows(municipality, self.year, rows, commit=commit)
        return self.report
