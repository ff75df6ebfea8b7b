"""The demo's desks (AreaContact): the ward's and each region's SC, with numbers in the
03-XXXX-XXXX form that no telephone answers (no exchange begins with 0)."""

from __future__ import annotations

from .models import Area, AreaContact

HOURS = "月〜金 9:00〜17:00（祝日・年末年始を除く）"


def build_contacts(municipality: Area) -> None:
    AreaContact.objects.get_or_create(
        area=municipality,
        defaults={
            "post": "板橋区社会福祉協議会 生活支援体制整備事業 担当",
            "phone": "03-0000-0100",
            "fax": "03-0000-0199",
            "hours": HOURS,
            "place": "板橋区社会福祉協議会",
        },
    )
    for n, region in enumerate(Area.objects.of(municipality).regions(), start=1):
        AreaContact.objects.get_or_create(
            area=region,
            defaults={
                "post": f"生活支援コーディネーター（{region.name}地域担当）",
                "phone": f"03-0000-{100 + n:04d}",
                "hours": HOURS,
                "place": f"{region.name}地域センター",
            },
        )
