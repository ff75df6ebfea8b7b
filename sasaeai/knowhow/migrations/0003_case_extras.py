"""A case's photos (with consent and captions) and files (PDF, .xlsx), the guidebook's
initiatives as a tag, and themes a municipality hides instead of deleting."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("knowhow", "0002_questions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="theme",
            name="hidden",
            field=models.BooleanField(default=False, verbose_name="使わない（隠す）"),
        ),
        migrations.CreateModel(
            name="CaseFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=100, verbose_name="資料名")),
                (
                    "file",
                    models.FileField(
                        max_length=200, upload_to="knowhow/files/%Y/", verbose_name="ファイル"
                    ),
                ),
                ("original_name", models.CharField(max_length=200, verbose_name="元のファイル名")),
                (
                    "kind",
                    models.CharField(
                        choices=[("pdf", "PDF"), ("xlsx", "Excel (.xlsx)")],
                        max_length=4,
                        verbose_name="種類",
                    ),
                ),
                ("size", models.PositiveIntegerField(default=0, verbose_name="大きさ（バイト）")),
                (
                    "added_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="追加した日時"
                    ),
                ),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="files",
                        to="knowhow.case",
                    ),
                ),
            ],
            options={
                "verbose_name": "事例の資料",
                "verbose_name_plural": "事例の資料",
                "ordering": ["added_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="CasePhoto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("image", models.ImageField(upload_to="knowhow/photos/%Y/", verbose_name="写真")),
                (
                    "caption",
                    models.CharField(blank=True, max_length=100, verbose_name="写真の説明"),
                ),
                (
                    "consent",
                    models.BooleanField(
                        default=False, verbose_name="写っている人が、載せることに同意している"
                    ),
                ),
                (
                    "internal",
                    models.BooleanField(default=False, verbose_name="職員だけに見せる（内部）"),
                ),
                (
                    "added_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="追加した日時"
                    ),
                ),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="knowhow.case",
                    ),
                ),
            ],
            options={
                "verbose_name": "事例の写真",
                "verbose_name_plural": "事例の写真",
                "ordering": ["added_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="CaseInitiative",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "initiative",
                    models.CharField(
                        choices=[
                            ("tsunageru", "つなげる（活動の見える化・情報発信）"),
                            ("tsunagaru", "つながる（活動者同士のネットワークづくり）"),
                            ("nakama", "仲間探し（活動の仲間づくりの支援）"),
                            ("shiru", "知る・調べる（地域ニーズや困りごとの把握）"),
                            ("taiken", "体験・呼びかけ（地域との協働・企画）"),
                            ("kikan", "つながる（関係機関のネットワークづくり）"),
                        ],
                        max_length=12,
                        verbose_name="取組み",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="initiatives",
                        to="knowhow.case",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["initiative", "case"], name="case_initiative_lookup")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("case", "initiative"), name="case_initiative_once"
                    )
                ],
            },
        ),
    ]
