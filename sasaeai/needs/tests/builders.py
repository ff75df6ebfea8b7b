"""Small builders for need and helper tests."""

from __future__ import annotations

from typing import Any

from sasaeai.needs import services
from sasaeai.needs.models import Need, NeedKind
from sasaeai.test import area


def need_kind(code: str, municipality_code: str = "131199") -> NeedKind:
    return NeedKind.objects.get(municipality__code=municipality_code, code=code)


def make_need(
    area_code: str = "takashimadaira", kind: str = "shopping", by: Any = None, **fields: Any
) -> Need:
    place = area(area_code)
    municipality = place.municipality or place
    fields.setdefault("what", "近くにスーパーがなく、重い物を運べない。")
    need = Need(area=place, kind=need_kind(kind, municipality.code), **fields)
    return services.create_need(need, by=by)


def make_helper(
    area_code: str = "takashimadaira",
    kinds: tuple[str, ...] = ("shopping",),
    by: Any = None,
    **fields: Any,
) -> Any:
    from sasaeai.needs import helper_services
    from sasaeai.needs.models import Helper

    place = area(area_code)
    municipality = place.municipality or place
    fields.setdefault("name", "板橋 花子")
    fields.setdefault("contact", "03-1234-5678")
    helper = Helper(area=place, **fields)
    return helper_services.register_helper(
        helper, [need_kind(k, municipality.code) for k in kinds], by=by
    )
