from typing import Any

from sasaeai.areas.models import Area
from sasaeai.directory import transfer
from sasaeai.lib.import_files import SourceRow
from sasaeai.lib.imports import ImportCommand, ImportReport


class Command(ImportCommand[Area]):
    """manage.py import_activities PATH --municipality CODE [--dry-run] [--all-or-nothing]."""

    help = "Import activities from an .xlsx or CSV file (columns: docs/import-format.md)."

    def municipality(self, code: str) -> Area | None:
        return Area.objects.municipalities().filter(code=code).first()

    def read(self, data: bytes, name: str) -> list[SourceRow]:
        return transfer.read_file(data, name)

    def import_rows(
        self, municipality: Area, rows: list[SourceRow], *, commit: bool, all_or_nothing: bool
    ) -> ImportReport[Any]:
        return transfer.import_rows(
            municipality, rows, commit=commit, all_or_nothing=all_or_nothing
        )
