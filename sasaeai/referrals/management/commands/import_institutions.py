from typing import Any

from sasaeai.areas.models import Area
from sasaeai.lib.import_files import SourceRow
from sasaeai.lib.imports import ImportCommand, ImportReport
from sasaeai.referrals import transfer


class Command(ImportCommand[Area]):
    """manage.py import_institutions PATH --municipality CODE [--dry-run] [--all-or-nothing]."""

    help = "Import institutions from an .xlsx or CSV file (columns: docs/import-format.md)."

    def municipality(self, code: str) -> Area | None:
        return Area.objects.municipalities().filter(code=code).first()

    def read(self, data: bytes, name: str) -> list[SourceRow]:
        return transfer.read(data, name, max_rows=None)

    def import_rows(
        self, municipality: Area, rows: list[SourceRow], *, commit: bool, all_or_nothing: bool
    ) -> ImportReport[Any]:
        return transfer.import_rows(
            municipality, rows, commit=commit, all_or_nothing=all_or_nothing
        )
