from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.directory import transfer


class Command(BaseCommand):
    help = "Import activities from an .xlsx or CSV file (columns: docs/import-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--municipality", required=True, help="municipality code, e.g. 131199")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="write nothing if any row is bad"
        )

    def handle(self, *args: Any, path: Path, municipality: str, **options: Any) -> None:
        root = Area.objects.municipalities().filter(code=municipality).first()
        if root is None:
            raise CommandError(_("自治体コード「%(code)s」はありません。") % {"code": municipality})
        try:
            rows = transfer.read_file(path.read_bytes(), path.name)
        except OSError:
            raise CommandError(_("ファイルを読めません: %(path)s") % {"path": path}) from None
        except transfer.TransferError as error:
            raise CommandError(f"{path}: {error}") from None
        report = transfer.import_rows(
            root,
            rows,
            commit=not options["dry_run"],
            all_or_nothing=options["all_or_nothing"],
        )
        for row in report.bad:
            for reason in row.errors:
                self.stdout.write(
                    _("%(row)s 行目: %(reason)s") % {"row": row.number, "reason": reason}
                )
        counts = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "bad": len(report.bad),
        }
        if report.committed:
            summary = _(
                "新規 %(created)s 件、更新 %(updated)s 件を登録しました"
                "（変更なし %(unchanged)s 件）。"
            )
        else:
            summary = _(
                "登録しませんでした（取り込める行: 新規 %(created)s 件、更新 %(updated)s 件、"
                "変更なし %(unchanged)s 件）。"
            )
        self.stdout.write(summary % counts)
        if report.bad:
            raise CommandError(_("問題のある行が %(bad)s 行あります。") % counts)
